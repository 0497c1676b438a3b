#include "service/lock_server.h"

#include <algorithm>
#include <variant>

#include "base/assert.h"

namespace locksim::service {

LockServer::LockServer(Environment& env, ServerRole role, Flaw flaw)
    : env_(env), role_(role), flaw_(flaw), forwarding_(role == ServerRole::kPrimary) {}

// Every member but env_: one left out here would make a forked run part from the run it copies,
// which tests/runner/forkable_run_test.cc catches.
LockServer::LockServer(const LockServer& other, Environment& env)
    : env_(env),
      role_(other.role_),
      flaw_(other.flaw_),
      locks_(other.locks_),
      executed_(other.executed_),
      forwarding_(other.forwarding_),
      next_order_(other.next_order_),
      acked_order_(other.acked_order_),
      pending_replies_(other.pending_replies_),
      took_over_(other.took_over_),
      applied_order_(other.applied_order_),
      early_forwards_(other.early_forwards_),
      applied_any_order_(other.applied_any_order_),
      stats_(other.stats_),
      coverage_(other.coverage_) {}

void LockServer::OnCall(NodeId from, ReplyToken token, const Message& request) {
  if (const auto* client_request = std::get_if<ClientRequest>(&request)) {
    HandleClientRequest(token, *client_request);
    return;
  }
  if (const auto* forward = std::get_if<ForwardRequest>(&request)) {
    LOCKSIM_ASSERT(role_ == ServerRole::kBackup);
    LOCKSIM_ASSERT(from == kPrimaryNode);
    HandleForward(token, *forward);
    return;
  }
  LOCKSIM_UNREACHABLE("a server only receives client requests and forwards");
}

// The primary's only calls are forwards.
void LockServer::OnCallReply(CallId /*call*/, const Message& reply) {
  LOCKSIM_ASSERT(role_ == ServerRole::kPrimary);
  const auto* ack = std::get_if<ForwardReply>(&reply);
  LOCKSIM_ASSERT(ack != nullptr);
  LOCKSIM_ASSERT(ack->order <= next_order_);
  if (!forwarding_) {
    Count(ProtocolEvent::kAckAfterPrimaryAlone);
    return;
  }
  acked_order_ = std::max(acked_order_, ack->order);
  ReleaseAckedReplies();
}

void LockServer::OnCallFailed(CallId /*call*/, CallFailure /*failure*/) {
  LOCKSIM_ASSERT(role_ == ServerRole::kPrimary);
  // Within the failure model a failed forward means the backup is dead (fail-stop, never
  // repaired): carry on alone. Outside it (a lost forward) this is where split brain begins.
  if (flaw_ == Flaw::kPrimaryWaitsForDeadBackup) return;
  if (!forwarding_) return;
  Count(ProtocolEvent::kForwardFailedPrimaryAlone);
  forwarding_ = false;
  ReleaseAckedReplies();
}

void LockServer::OnTimer(TimerId /*timer*/) {
  LOCKSIM_UNREACHABLE("a lock server starts no timers");
}

std::vector<std::pair<std::string, bool>> LockServer::LockTableSorted() const {
  return {locks_.begin(), locks_.end()};
}

std::vector<std::string> LockServer::HeldLocks() const {
  std::vector<std::string> held;
  for (const auto& [name, is_held] : locks_) {
    if (is_held) held.push_back(name);
  }
  return held;
}

void LockServer::HandleClientRequest(ReplyToken token, const ClientRequest& request) {
  if (role_ == ServerRole::kBackup) Count(ProtocolEvent::kRequestAtBackup);
  if (const Executed* done = FindDuplicate(request)) {
    ++stats_.answered_from_table;
    Count(role_ == ServerRole::kPrimary ? ProtocolEvent::kDuplicateAnsweredAtPrimary
                                        : ProtocolEvent::kDuplicateAnsweredAtBackup);
    ReplyWhenAcked(token, request.id, done->result, done->order);
    return;
  }
  if (flaw_ != Flaw::kNoDuplicateTable && flaw_ != Flaw::kDuplicateByOperation) {
    auto it = executed_.find(request.id.client);
    if (it != executed_.end() && request.id.sequence < it->second.sequence) {
      // A network copy of a request whose client has moved on: nobody waits for an answer, and
      // executing it now would overwrite the client's newer table entry.
      ++stats_.stale_ignored;
      Count(ProtocolEvent::kStaleCopyIgnored);
      return;
    }
  }
  if (role_ == ServerRole::kBackup && !took_over_) {
    // A client only comes to the backup after its call to the primary failed. Within the failure
    // model, a request the primary acknowledged is in the table already, so a new one means the
    // primary is dead: take over. Forwards still in flight were never acknowledged to anyone.
    if (flaw_ == Flaw::kBackupNeverTakesOver) return;
    took_over_ = true;
    Count(ProtocolEvent::kBackupTakeover);
    early_forwards_.clear();
  }
  const bool result = Execute(request.op, request.lock);
  ++stats_.executed;
  uint64_t order = 0;
  if (forwarding_) {
    order = ++next_order_;
    env_.Call(kBackupNode, ForwardRequest{.order = order,
                                          .id = request.id,
                                          .op = request.op,
                                          .lock = request.lock,
                                          .result = result});
    ++stats_.forwards_sent;
  }
  Record(request.id, request.op, request.lock, result, order);
  ReplyWhenAcked(token, request.id, result, flaw_ == Flaw::kReplyBeforeForwardAck ? 0 : order);
}

void LockServer::HandleForward(ReplyToken token, const ForwardRequest& forward) {
  LOCKSIM_ASSERT(forward.order > 0);
  if (took_over_) {
    // The primary is presumed dead; its unacknowledged forwards are dropped unanswered.
    ++stats_.forwards_dropped;
    Count(ProtocolEvent::kForwardDroppedAfterTakeover);
    return;
  }
  if (flaw_ == Flaw::kForwardOutOfOrder) {
    // Applies whatever arrives, once, in arrival order.
    if (applied_any_order_.size() <= forward.order) applied_any_order_.resize(forward.order + 1);
    if (applied_any_order_[forward.order]) {
      ++stats_.forwards_duplicate;
    } else {
      applied_any_order_[forward.order] = true;
      ApplyForward(forward);
      applied_order_ = std::max(applied_order_, forward.order);
    }
    env_.Reply(token, ForwardReply{.order = applied_order_});
    return;
  }
  if (forward.order <= applied_order_) {
    ++stats_.forwards_duplicate;
    Count(ProtocolEvent::kForwardDuplicateIgnored);
  } else if (forward.order > applied_order_ + 1) {
    const bool buffered =
        std::any_of(early_forwards_.begin(), early_forwards_.end(),
                    [&](const ForwardRequest& early) { return early.order == forward.order; });
    if (buffered) {
      ++stats_.forwards_duplicate;
      Count(ProtocolEvent::kForwardDuplicateIgnored);
    } else if (early_forwards_.size() >= kMaxBufferedForwards) {
      ++stats_.forwards_dropped;
      Count(ProtocolEvent::kForwardDroppedBufferFull);
      return;
    } else {
      early_forwards_.push_back(forward);
      Count(ProtocolEvent::kForwardBuffered);
    }
  } else {
    ApplyForward(forward);
    applied_order_ = forward.order;
    // Drain the buffer: each pass applies the next order if it is there (bounded by its size).
    for (bool progressed = true; progressed && !early_forwards_.empty();) {
      progressed = false;
      for (size_t i = 0; i < early_forwards_.size(); ++i) {
        if (early_forwards_[i].order != applied_order_ + 1) continue;
        ApplyForward(early_forwards_[i]);
        Count(ProtocolEvent::kForwardAppliedFromBuffer);
        applied_order_ = early_forwards_[i].order;
        early_forwards_[i] = std::move(early_forwards_.back());
        early_forwards_.pop_back();
        progressed = true;
        break;
      }
    }
  }
  // The ack covers every contiguous order applied, so a buffered forward's own call may be
  // answered with a lower order: the call that fills the gap acknowledges it.
  env_.Reply(token, ForwardReply{.order = applied_order_});
}

void LockServer::ApplyForward(const ForwardRequest& forward) {
  const bool result = Execute(forward.op, forward.lock);
  ++stats_.forwards_applied;
  if (result != forward.result) {
    // Only a flaw can make the replicas diverge: without one this is a bug in the protocol.
    LOCKSIM_ASSERT(flaw_ != Flaw::kNone);
    ++stats_.result_mismatches;
  }
  if (flaw_ == Flaw::kBackupForgetsForwardedResults) return;
  // Record the primary's result: a re-sent request must see what the client would have seen.
  Record(forward.id, forward.op, forward.lock, forward.result, 0);
}

bool LockServer::Execute(OpKind op, std::string_view lock) {
  auto it = locks_.find(lock);
  if (op == OpKind::kLock) {
    if (it == locks_.end()) {
      locks_.emplace(std::string(lock), true);
      return true;
    }
    const bool was_free = !it->second;
    it->second = true;
    return was_free;
  }
  if (it == locks_.end()) return false;  // never locked: free
  const bool was_held = it->second;
  it->second = false;
  return was_held;
}

void LockServer::ReplyWhenAcked(ReplyToken token, RequestId id, bool result, uint64_t order) {
  if (!forwarding_ || order <= acked_order_) {
    env_.Reply(token, ClientReply{.id = id, .result = result});
    return;
  }
  Count(ProtocolEvent::kReplyHeldForAck);
  pending_replies_.push_back(
      PendingReply{.token = token, .id = id, .result = result, .order = order});
}

void LockServer::ReleaseAckedReplies() {
  // In arrival order, so that replies go out deterministically.
  size_t kept = 0;
  for (size_t i = 0; i < pending_replies_.size(); ++i) {
    const PendingReply& pending = pending_replies_[i];
    if (!forwarding_ || pending.order <= acked_order_) {
      env_.Reply(pending.token, ClientReply{.id = pending.id, .result = pending.result});
    } else {
      pending_replies_[kept++] = pending;
    }
  }
  pending_replies_.resize(kept);
}

const LockServer::Executed* LockServer::FindDuplicate(const ClientRequest& request) const {
  if (flaw_ == Flaw::kNoDuplicateTable) return nullptr;
  auto it = executed_.find(request.id.client);
  if (it == executed_.end()) return nullptr;
  const Executed& done = it->second;
  if (flaw_ == Flaw::kDuplicateByOperation) {
    return done.op == request.op && done.lock == request.lock ? &done : nullptr;
  }
  return done.sequence == request.id.sequence ? &done : nullptr;
}

void LockServer::Record(const RequestId& id, OpKind op, std::string_view lock, bool result,
                        uint64_t order) {
  if (flaw_ == Flaw::kNoDuplicateTable) return;
  Executed& entry = executed_[id.client];
  entry.sequence = id.sequence;
  entry.result = result;
  entry.order = order;
  if (flaw_ == Flaw::kDuplicateByOperation) {
    entry.op = op;
    entry.lock.assign(lock);
  }
}

}  // namespace locksim::service
