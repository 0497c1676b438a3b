// The client side of the lock protocol (a "clerk"), sans-I/O. It turns a user's Lock/Unlock into
// a ClientRequest with a unique id, sends it to the primary and, when that call fails, re-sends
// the same request to the backup, alternating between the two up to kMaxAttempts calls.
#ifndef LOCKSIM_SERVICE_CLERK_H_
#define LOCKSIM_SERVICE_CLERK_H_

#include <cstdint>
#include <optional>
#include <string>

#include "service/environment.h"
#include "service/flaws.h"
#include "service/messages.h"

namespace locksim::service {

class Clerk final : public Node {
 public:
  // Calls per operation before the clerk reports failure: primary, backup, primary, ... Why more
  // than two: a lost reply from a live primary plus a dead backup means the primary must be asked
  // again. With every server down all attempts fail fast, so the bound ends the operation.
  static constexpr int kMaxAttempts = 10;

  // `env` must outlive the clerk.
  Clerk(Environment& env, ClientId client, Flaw flaw = Flaw::kNone);
  Clerk(const Clerk&) = delete;
  Clerk& operator=(const Clerk&) = delete;

  // REQUIRES: !busy(). The result arrives through Environment::OperationCompleted.
  void Lock(std::string name);
  void Unlock(std::string name);
  bool busy() const { return busy_; }
  ClientId client() const { return client_; }
  // Calls made so far, over all operations (re-sends included).
  uint64_t calls_made() const { return calls_made_; }

  void OnCall(NodeId from, ReplyToken token, const Message& request) override;
  void OnCallReply(CallId call, const Message& reply) override;
  void OnCallFailed(CallId call, CallFailure failure) override;
  void OnTimer(TimerId timer) override;

 private:
  void Start(OpKind op, std::string name);
  void SendAttempt();
  void Finish(std::optional<bool> result);

  Environment& env_;
  const ClientId client_;
  const Flaw flaw_;
  uint64_t next_sequence_ = 1;
  bool busy_ = false;
  ClientRequest request_;  // the current operation's request, re-sent unchanged
  int attempt_ = 0;        // calls made for the current operation
  CallId current_call_ = 0;
  uint64_t calls_made_ = 0;
};

}  // namespace locksim::service

#endif  // LOCKSIM_SERVICE_CLERK_H_
