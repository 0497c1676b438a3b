#include "service/clerk.h"

#include <utility>
#include <variant>

#include "base/assert.h"

namespace locksim::service {

Clerk::Clerk(Environment& env, ClientId client, Flaw flaw)
    : env_(env), client_(client), flaw_(flaw) {
  LOCKSIM_ASSERT(client >= 0);
}

// Every member but env_: one left out here would make a forked run part from the run it copies,
// which tests/runner/forkable_run_test.cc catches.
Clerk::Clerk(const Clerk& other, Environment& env)
    : env_(env),
      client_(other.client_),
      flaw_(other.flaw_),
      next_sequence_(other.next_sequence_),
      busy_(other.busy_),
      request_(other.request_),
      attempt_(other.attempt_),
      current_call_(other.current_call_),
      current_target_(other.current_target_),
      primary_refused_(other.primary_refused_),
      backup_refused_(other.backup_refused_),
      calls_made_(other.calls_made_) {}

void Clerk::Lock(std::string name) { Start(OpKind::kLock, std::move(name)); }
void Clerk::Unlock(std::string name) { Start(OpKind::kUnlock, std::move(name)); }

void Clerk::Start(OpKind op, std::string name) {
  LOCKSIM_ASSERT(!busy_);
  busy_ = true;
  request_.id = RequestId{.client = client_, .sequence = next_sequence_++};
  request_.op = op;
  request_.lock = std::move(name);
  attempt_ = 0;
  primary_refused_ = false;
  backup_refused_ = false;
  SendAttempt();
}

void Clerk::SendAttempt() {
  // Always the primary first, then strictly alternating: going straight to the backup after a
  // lost reply would make it take over while the primary still lives. A server that refused is
  // asked again all the same (it refuses fast): skipping it would gain one round trip and make
  // the order of attempts depend on the kind of each failure.
  current_target_ = attempt_ % 2 == 0 ? kPrimaryNode : kBackupNode;
  ++attempt_;
  ++calls_made_;
  current_call_ = env_.Call(current_target_, request_);
}

void Clerk::OnCall(NodeId /*from*/, ReplyToken /*token*/, const Message& /*request*/) {
  LOCKSIM_UNREACHABLE("nobody calls a clerk");
}

void Clerk::OnCallReply(CallId call, const Message& reply) {
  if (!busy_ || call != current_call_) return;  // a late reply to an earlier call
  const auto* client_reply = std::get_if<ClientReply>(&reply);
  LOCKSIM_ASSERT(client_reply != nullptr);
  LOCKSIM_ASSERT(client_reply->id == request_.id);
  Finish(client_reply->result);
}

void Clerk::OnCallFailed(CallId call, CallFailure failure) {
  if (!busy_ || call != current_call_) return;
  if (failure == CallFailure::kRefused) {
    (current_target_ == kPrimaryNode ? primary_refused_ : backup_refused_) = true;
  }
  // Only refusals end the operation: both servers down means nothing can ever answer. A timeout
  // may be a lost reply from a live server, which the next re-send can still get.
  if (flaw_ == Flaw::kClerkGivesUp || (primary_refused_ && backup_refused_)) {
    Finish(std::nullopt);
    return;
  }
  SendAttempt();
}

void Clerk::OnTimer(TimerId /*timer*/) { LOCKSIM_UNREACHABLE("a clerk starts no timers"); }

void Clerk::Finish(std::optional<bool> result) {
  // Clear the state first: the environment may start the next operation from inside
  // OperationCompleted.
  busy_ = false;
  current_call_ = 0;
  CompletedOperation completed{
      .id = request_.id, .op = request_.op, .lock = std::move(request_.lock), .result = result};
  request_.lock.clear();
  env_.OperationCompleted(completed);
}

}  // namespace locksim::service
