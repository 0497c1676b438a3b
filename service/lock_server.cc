#include "service/lock_server.h"

#include <algorithm>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "base/assert.h"

namespace locksim::service {

LockServer::LockServer(Environment& env, Role role, Flaw flaw)
    : env_(env), role_(role), flaw_(flaw), forwarding_(role == Role::kPrimary) {}

void LockServer::OnCall(NodeId /*from*/, ReplyToken token, const Message& request) {
  if (const auto* client_request = std::get_if<ClientRequest>(&request)) {
    HandleClientRequest(token, *client_request);
  } else if (const auto* forward = std::get_if<ForwardRequest>(&request)) {
    HandleForward(token, *forward);
  }
  // Replies never arrive as calls; anything else is ignored rather than trusted.
}

bool LockServer::Apply(OpKind op, const std::string& lock) {
  ++operations_executed_;
  bool& held = locks_[lock];  // never-used locks are free
  const bool result = op == OpKind::kLock ? !held : held;
  held = op == OpKind::kLock;
  return result;
}

namespace {
std::string OperationKey(const ClientRequest& request) {
  return absl::StrCat(request.id.client, "/", static_cast<int>(request.op), "/", request.lock);
}
}  // namespace

void LockServer::Remember(const ClientRequest& request, bool result, uint64_t order) {
  // Flaw kNoDuplicateTable: nothing is remembered, so a re-sent request executes again.
  if (flaw_ == Flaw::kNoDuplicateTable) return;
  const Executed entry{request.id.sequence, result, order};
  // Flaw kDuplicateByOperation: keyed by what the request does, not by which request it is.
  if (flaw_ == Flaw::kDuplicateByOperation) {
    executed_by_operation_[OperationKey(request)] = entry;
    return;
  }
  executed_[request.id.client] = entry;
}

const LockServer::Executed* LockServer::Recall(const ClientRequest& request) const {
  if (flaw_ == Flaw::kNoDuplicateTable) return nullptr;
  if (flaw_ == Flaw::kDuplicateByOperation) {
    const auto it = executed_by_operation_.find(OperationKey(request));
    return it == executed_by_operation_.end() ? nullptr : &it->second;
  }
  const auto it = executed_.find(request.id.client);
  if (it == executed_.end() || it->second.sequence != request.id.sequence) return nullptr;
  return &it->second;
}

// A clerk has one call outstanding and numbers its calls 1, 2, 3...: a request older than the
// latest one recorded for its client is a stray network duplicate whose caller has moved on.
bool LockServer::IsStale(const ClientRequest& request) const {
  if (flaw_ == Flaw::kNoDuplicateTable || flaw_ == Flaw::kDuplicateByOperation) return false;
  const auto it = executed_.find(request.id.client);
  return it != executed_.end() && request.id.sequence < it->second.sequence;
}

void LockServer::HandleClientRequest(ReplyToken token, const ClientRequest& request) {
  if (IsStale(request)) return;  // executing it would break at-most-once; nobody awaits it
  if (const Executed* done = Recall(request)) {
    // A re-sent (or duplicated) request: the first result, never a fresh execution. If that
    // execution is still waiting for the backup, so does this answer.
    if (role_ == Role::kPrimary && forwarding_ && done->order > acknowledged_through_) {
      ReplyWhenAcknowledged(done->order, token, request, done->result);
    } else {
      env_.Reply(token, ClientReply{request.id, done->result});
    }
    return;
  }
  if (role_ == Role::kBackup && !acting_primary_) {
    // A request the primary never forwarded: within the failure model the primary is down, so
    // the backup takes over. Forwards that arrive later were never acknowledged to any client
    // (acknowledgements are cumulative and in order), so they are dropped from now on.
    acting_primary_ = true;
    early_forwards_.clear();
  }
  const bool result = Apply(request.op, request.lock);
  if (role_ == Role::kPrimary && forwarding_) {
    const uint64_t order = next_order_++;
    Remember(request, result, order);
    const CallId call =
        env_.Call(kBackupNode, ForwardRequest{order, request.id, request.op, request.lock, result});
    forward_calls_.emplace(call, order);
    // Flaw kReplyBeforeForwardAck: answer now, before the backup has the operation.
    if (flaw_ == Flaw::kReplyBeforeForwardAck) {
      env_.Reply(token, ClientReply{request.id, result});
    } else {
      ReplyWhenAcknowledged(order, token, request, result);
    }
    return;
  }
  Remember(request, result, 0);
  env_.Reply(token, ClientReply{request.id, result});
}

void LockServer::ReplyWhenAcknowledged(uint64_t order, ReplyToken token,
                                       const ClientRequest& request, bool result) {
  pending_replies_.emplace(order, PendingReply{token, request.id, result});
}

void LockServer::ReleaseAcknowledged() {
  while (!pending_replies_.empty() &&
         (!forwarding_ || pending_replies_.begin()->first <= acknowledged_through_)) {
    const PendingReply& pending = pending_replies_.begin()->second;
    env_.Reply(pending.token, ClientReply{pending.id, pending.result});
    pending_replies_.erase(pending_replies_.begin());
  }
}

void LockServer::OnCallReply(CallId call, const Message& reply) {
  const auto it = forward_calls_.find(call);
  if (it == forward_calls_.end()) return;
  forward_calls_.erase(it);
  const auto* ack = std::get_if<ForwardReply>(&reply);
  if (ack == nullptr) return;
  // The backup applies in order, so an acknowledgement of `order` covers everything before it,
  // even when acknowledgements arrive out of order.
  acknowledged_through_ = std::max(acknowledged_through_, ack->order);
  ReleaseAcknowledged();
}

void LockServer::OnCallFailed(CallId call, CallFailure /*failure*/) {
  const auto it = forward_calls_.find(call);
  if (it == forward_calls_.end()) return;
  forward_calls_.erase(it);
  // Flaw kPrimaryIgnoresForwardFailure: keep waiting for a backup that is gone.
  if (flaw_ == Flaw::kPrimaryIgnoresForwardFailure) return;
  StopForwarding();
}

void LockServer::StopForwarding() {
  if (!forwarding_) return;
  // Fail-stop: a failed forward means the backup is gone for good. Carry on alone, and answer
  // everyone who was waiting for it.
  forwarding_ = false;
  forward_calls_.clear();
  ReleaseAcknowledged();
}

void LockServer::HandleForward(ReplyToken token, const ForwardRequest& forward) {
  if (role_ != Role::kBackup || acting_primary_) return;  // see HandleClientRequest
  // Flaw kForwardOutOfOrder: apply whatever arrives, when it arrives.
  if (flaw_ == Flaw::kForwardOutOfOrder) {
    if (applied_orders_.insert(forward.order).second) {
      const bool result = Apply(forward.op, forward.lock);
      Remember(ClientRequest{forward.id, forward.op, forward.lock}, result, forward.order);
    }
    env_.Reply(token, ForwardReply{forward.order});
    return;
  }
  if (forward.order <= applied_through_) {
    env_.Reply(token, ForwardReply{applied_through_});  // a duplicate: acknowledge again
    return;
  }
  early_forwards_.emplace(forward.order, std::make_pair(forward, token));
  ApplyBufferedForwards();
}

void LockServer::ApplyBufferedForwards() {
  std::vector<ReplyToken> to_acknowledge;
  while (!early_forwards_.empty() && early_forwards_.begin()->first == applied_through_ + 1) {
    const auto& [forward, token] = early_forwards_.begin()->second;
    const bool result = Apply(forward.op, forward.lock);
    // Applying the primary's operations in the primary's order from the same start gives the
    // primary's results; a difference means the ordering logic is broken. (Flaws change the
    // protocol on purpose, so the invariant is the correct protocol's only.)
    if (flaw_ == Flaw::kNone) LOCKSIM_ASSERT(result == forward.result);
    // Flaw kBackupForgetsForwardedResults: the table misses what came from the primary.
    if (flaw_ != Flaw::kBackupForgetsForwardedResults) {
      Remember(ClientRequest{forward.id, forward.op, forward.lock}, result, forward.order);
    }
    applied_through_ = forward.order;
    to_acknowledge.push_back(token);
    early_forwards_.erase(early_forwards_.begin());
  }
  for (ReplyToken token : to_acknowledge) env_.Reply(token, ForwardReply{applied_through_});
}

void LockServer::OnTimer(TimerId /*timer*/) {}  // the servers use no timers

std::vector<std::pair<std::string, bool>> LockServer::LockTableSorted() const {
  std::vector<std::pair<std::string, bool>> table(locks_.begin(), locks_.end());
  std::sort(table.begin(), table.end());
  return table;
}

}  // namespace locksim::service
