// The client library of the lock service (the lab's "clerk"), as a sans-I/O state machine.
//
// Each Lock/Unlock call gets a fresh request id. The clerk sends it to the primary; if that call
// fails it re-sends the same request (same id) to the backup, and keeps alternating between the
// two up to kMaxAttempts attempts: within the failure model a lost reply from a live primary
// plus a crashed backup means the primary must be asked again, and its at-most-once table makes
// that safe. Only when every attempt failed does the call end without a result.
#ifndef LOCKSIM_SERVICE_CLERK_H_
#define LOCKSIM_SERVICE_CLERK_H_

#include <optional>
#include <string>

#include "service/environment.h"
#include "service/flaws.h"
#include "service/messages.h"

namespace locksim::service {

class Clerk : public Node {
 public:
  // Four rounds of primary then backup: enough for any single failure plus several lost replies
  // in a row, and a bound so that a run with both servers down ends.
  static constexpr int kMaxAttempts = 8;

  Clerk(Environment& env, ClientId id, Flaw flaw = Flaw::kNone);

  // REQUIRES: !busy(). The outcome arrives through Environment::OperationCompleted.
  void Lock(std::string lock);
  void Unlock(std::string lock);
  bool busy() const { return call_.has_value(); }
  ClientId id() const { return id_; }

  void OnCall(NodeId from, ReplyToken token, const Message& request) override;
  void OnCallReply(CallId call, const Message& reply) override;
  void OnCallFailed(CallId call, CallFailure failure) override;
  void OnTimer(TimerId timer) override;

 private:
  struct OpenCall {
    ClientRequest request;
    int attempts = 0;
    CallId rpc = 0;
  };
  void Start(OpKind op, std::string lock);
  void SendAttempt();
  void Finish(std::optional<bool> result);

  Environment& env_;
  const ClientId id_;
  const Flaw flaw_;
  uint64_t next_sequence_ = 1;
  std::optional<OpenCall> call_;
};

}  // namespace locksim::service

#endif  // LOCKSIM_SERVICE_CLERK_H_
