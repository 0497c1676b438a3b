#include "service/clerk.h"

#include <utility>

#include "base/assert.h"

namespace locksim::service {

Clerk::Clerk(Environment& env, ClientId id, Flaw flaw) : env_(env), id_(id), flaw_(flaw) {
  LOCKSIM_ASSERT(id >= 0);
}

void Clerk::Lock(std::string lock) { Start(OpKind::kLock, std::move(lock)); }
void Clerk::Unlock(std::string lock) { Start(OpKind::kUnlock, std::move(lock)); }

void Clerk::Start(OpKind op, std::string lock) {
  LOCKSIM_ASSERT(!busy());  // one outstanding call per clerk
  call_.emplace(OpenCall{ClientRequest{RequestId{id_, next_sequence_++}, op, std::move(lock)}});
  SendAttempt();
}

void Clerk::SendAttempt() {
  LOCKSIM_ASSERT(call_.has_value() && call_->attempts < kMaxAttempts);
  const NodeId server = call_->attempts % 2 == 0 ? kPrimaryNode : kBackupNode;
  ++call_->attempts;
  call_->rpc = env_.Call(server, call_->request);
}

void Clerk::OnCallReply(CallId call, const Message& reply) {
  if (!call_.has_value() || call != call_->rpc) return;  // a reply to an attempt given up on
  const auto* answer = std::get_if<ClientReply>(&reply);
  if (answer == nullptr || answer->id != call_->request.id) return;
  Finish(answer->result);
}

void Clerk::OnCallFailed(CallId call, CallFailure /*failure*/) {
  if (!call_.has_value() || call != call_->rpc) return;
  // Flaw kClerkGivesUp: no second server is tried.
  if (flaw_ == Flaw::kClerkGivesUp || call_->attempts >= kMaxAttempts) {
    Finish(std::nullopt);
    return;
  }
  SendAttempt();  // the same request, same id, to the other server
}

void Clerk::Finish(std::optional<bool> result) {
  CompletedOperation done{call_->request.id, call_->request.op, std::move(call_->request.lock),
                          result};
  call_.reset();
  env_.OperationCompleted(done);
}

void Clerk::OnCall(NodeId /*from*/, ReplyToken /*token*/, const Message& /*request*/) {}
void Clerk::OnTimer(TimerId /*timer*/) {}

}  // namespace locksim::service
