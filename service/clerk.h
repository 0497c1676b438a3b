// The client side of the lock protocol (a "clerk"), sans-I/O. It turns a user's Lock/Unlock into
// a ClientRequest with a unique id, sends it to the primary and, when that call fails, re-sends
// the same request to the backup, alternating between the two until one answers or both have
// refused (docs/protocol.md, "Liveness").
#ifndef LOCKSIM_SERVICE_CLERK_H_
#define LOCKSIM_SERVICE_CLERK_H_

#include <cstdint>
#include <optional>
#include <string>

#include "service/environment.h"
#include "service/flaws.h"
#include "service/messages.h"

namespace locksim::service {

// Retries are not counted against a bound: a reply may be lost any number of times, and a live
// server can still answer the next re-send, so giving up after k attempts turns bad luck into a
// failed call. The clerk gives up only when both servers have refused a call of the operation:
// servers are fail-stop and never repaired, so a server that refused is down for good and nothing
// can ever answer. Timeouts never make it give up (a timeout may be a lost reply from a live
// server). A network that loses every reply therefore keeps a clerk retrying; whoever drives it
// bounds that: the simulator's run budget, a real client's deadline.
class Clerk final : public Node {
 public:
  // `env` must outlive the clerk.
  Clerk(Environment& env, ClientId client, Flaw flaw = Flaw::kNone);
  // A copy of `other`'s whole state that acts through `env` from now on: a simulation forks a
  // run this way (runner/simulation.h, ForkableRun). `env` must outlive the clerk.
  Clerk(const Clerk& other, Environment& env);
  Clerk(const Clerk&) = delete;
  Clerk& operator=(const Clerk&) = delete;

  // REQUIRES: !busy(). The result arrives through Environment::OperationCompleted: a result, or
  // nullopt when both servers refused (the call may or may not have taken effect).
  void Lock(std::string name);
  void Unlock(std::string name);
  bool busy() const { return busy_; }
  ClientId client() const { return client_; }
  // Calls made so far, over all operations (re-sends included).
  uint64_t calls_made() const { return calls_made_; }
  // Calls made for the current operation (or the last one, once it ended).
  uint64_t attempts() const { return attempt_; }

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
  uint64_t attempt_ = 0;   // calls made for the current operation
  CallId current_call_ = 0;
  NodeId current_target_ = kPrimaryNode;
  // Whether the primary / the backup refused a call of the current operation.
  bool primary_refused_ = false;
  bool backup_refused_ = false;
  uint64_t calls_made_ = 0;
};

}  // namespace locksim::service

#endif  // LOCKSIM_SERVICE_CLERK_H_
