// A scripted network for the service state machines: it owns two LockServers and N Clerks, gives
// each its own service::Environment, and records every Call and Reply in queues that the test
// drives by hand: deliver the next or a chosen message, out of order, twice, drop a reply, fail a
// call (kRefused / kTimeout), crash a node, make the primary "deaf" (the lab's dying primary).
// There is no clock: a call "times out" only when the test says so, or when RunUntilQuiet finds
// nothing left to deliver and the call can never be answered. Deterministic; no simulator.
#ifndef LOCKSIM_TESTS_SERVICE_FAKE_ENVIRONMENT_H_
#define LOCKSIM_TESTS_SERVICE_FAKE_ENVIRONMENT_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/splitmix64.h"
#include "service/clerk.h"
#include "service/environment.h"
#include "service/flaws.h"
#include "service/lock_server.h"
#include "service/messages.h"
#include "service/node_id.h"

namespace locksim::service::testing {

// A tiny deterministic generator for "shuffled" deliveries and seeded workloads.
class TestRng {
 public:
  explicit TestRng(uint64_t seed) : mix_(seed) {}
  uint64_t Next() { return mix_.Next(); }
  // Uniform enough in [0, n) for tests. REQUIRES: n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  SplitMix64 mix_;
};

std::string OpText(OpKind op, std::string_view lock);
// "lock(a)=true", "unlock(b)=false", "lock(c)=failed".
std::string CompletedText(const CompletedOperation& operation);
// "request c0#1 lock(a)", "reply c0#1=true", "forward 2 c1#1 unlock(b)=true", "ack 2".
std::string MessageText(const Message& message);
std::string FailureText(CallFailure failure);

class FakeNetwork {
 public:
  struct PendingCall {
    uint64_t seq = 0;  // send order across calls and replies
    CallId call = 0;
    NodeId from = 0;
    NodeId to = 0;
    Message message;
  };
  struct PendingReply {
    uint64_t seq = 0;
    ReplyToken token = 0;
    CallId call = 0;
    NodeId from = 0;  // the callee that answered
    NodeId to = 0;    // the caller
    Message message;
  };

  // `server_flaw` goes to both servers, `clerk_flaw` to every clerk.
  explicit FakeNetwork(int clients, Flaw server_flaw = Flaw::kNone, Flaw clerk_flaw = Flaw::kNone);
  ~FakeNetwork();
  FakeNetwork(const FakeNetwork&) = delete;
  FakeNetwork& operator=(const FakeNetwork&) = delete;

  LockServer& primary() { return *primary_; }
  LockServer& backup() { return *backup_; }
  LockServer& server(NodeId node) { return node == kPrimaryNode ? *primary_ : *backup_; }
  Clerk& clerk(ClientId client) { return *clerks_.at(static_cast<size_t>(client)); }
  int clients() const { return static_cast<int>(clerks_.size()); }

  // --- The queues ------------------------------------------------------------------------------
  const std::deque<PendingCall>& calls() const { return calls_; }
  const std::deque<PendingReply>& replies() const { return replies_; }
  // One line per pending message: "#3 primary->backup forward 1 c0#1 lock(a)=true".
  std::vector<std::string> PendingCallsText() const;
  std::vector<std::string> PendingRepliesText() const;
  // Index of the first pending call / reply whose text contains `match`; out of range (with a test
  // failure) if none.
  size_t CallIndex(std::string_view match) const;
  size_t ReplyIndex(std::string_view match) const;

  // --- Delivering --------------------------------------------------------------------------------
  // Delivers pending call `index` to its callee (removing it); returns its text. A call to a
  // crashed node is swallowed (its caller learns nothing until the test fails the call).
  std::string DeliverCall(size_t index);
  std::string DeliverCall(std::string_view match) { return DeliverCall(CallIndex(match)); }
  // Delivers a copy of pending call `index` and leaves the original queued (a network duplicate).
  std::string DuplicateCall(size_t index);
  // Hands pending reply `index` to its caller (removing it). A reply whose call already ended
  // (failed, or answered by a duplicate) is discarded, as the environment contract says.
  std::string DeliverReply(size_t index);
  std::string DeliverReply(std::string_view match) { return DeliverReply(ReplyIndex(match)); }
  // Loses pending reply `index`: its call is left without an answer (it will time out).
  std::string DropReply(size_t index);
  // Delivers the oldest pending message, call or reply; false if none.
  bool DeliverNext();
  // Fails pending call `index` (removing it) or any outstanding call by id.
  void FailCall(size_t index, CallFailure failure);
  void FailCallId(CallId call, CallFailure failure);

  // Delivers everything pending, oldest first, refusing calls to killed nodes at once; then, when
  // nothing is left, times out the oldest call that can no longer be answered, and goes on until
  // no message is pending and no call outstanding, or until it has timed out kMaxTimeouts calls:
  // a clerk re-sends after every timeout for as long as a server may answer, so a script in which
  // nothing ever answers would go on forever (the simulator's run budget plays this part there).
  static constexpr int kMaxTimeouts = 100;
  void RunUntilQuiet();
  // The same, but each step delivers a pending message chosen by TestRng(seed).
  void RunUntilQuietShuffled(uint64_t seed);
  // Only the message part: delivers FIFO until no message is pending; times nothing out.
  void DeliverAll();
  // Times out the oldest outstanding call that nothing pending will answer; false if none.
  bool TimeOutOneStuckCall();

  // --- Faults ------------------------------------------------------------------------------------
  // The node handles nothing more. Calls to it stay pending until the test fails them.
  void Crash(NodeId node) { crashed_.at(static_cast<size_t>(node)) = true; }
  // Crash, and every call to it, pending or later, fails with kRefused ("requests fail fast").
  void Kill(NodeId node);
  bool crashed(NodeId node) const { return crashed_.at(static_cast<size_t>(node)); }
  // The next client request `node` receives executes in full (forward included) but its reply is
  // thrown away, and the node is killed right after that handler; the call then times out.
  void MakeDeaf(NodeId node) { deaf_.at(static_cast<size_t>(node)) = true; }

  // --- Clients -----------------------------------------------------------------------------------
  void StartLock(ClientId client, std::string name);
  void StartUnlock(ClientId client, std::string name);
  // Start, RunUntilQuiet, and the completed operation's text ("lock(a)=true"), or "still busy".
  std::string Lock(ClientId client, std::string name);
  std::string Unlock(ClientId client, std::string name);
  // Every operation this clerk completed, as text, in order.
  std::vector<std::string> Completed(ClientId client) const;
  const std::vector<CompletedOperation>& CompletedOperations(ClientId client) const {
    return completed_.at(static_cast<size_t>(client));
  }
  // The text of the client's last completed operation, or "none".
  std::string LastCompleted(ClientId client) const;

  // Calls made from `from` to `to` so far (delivered or not), e.g. clerk attempts.
  std::vector<NodeId> CallTargetsOf(NodeId from) const;
  // Every call ever made, by id, as "#id from->to text".
  std::string CallText(CallId call) const;

 private:
  class NodeEnvironment;
  struct CallRecord {
    NodeId from = 0;
    NodeId to = 0;
    Message message;
    bool ended = false;
  };

  Node& node(NodeId id);
  CallId RecordCall(NodeId from, NodeId to, Message message);
  void RecordReply(NodeId from, ReplyToken token, Message message);
  void Complete(NodeId from, const CompletedOperation& operation);
  void HandOver(const PendingCall& call);
  void EndWithFailure(CallId call, CallFailure failure);
  void AfterHandler();
  void RefuseCallsToKilled();
  bool HasPendingMessage() const { return !calls_.empty() || !replies_.empty(); }
  void RunUntilQuietImpl(std::optional<uint64_t> seed);

  std::vector<std::unique_ptr<NodeEnvironment>> envs_;
  std::unique_ptr<LockServer> primary_;
  std::unique_ptr<LockServer> backup_;
  std::vector<std::unique_ptr<Clerk>> clerks_;

  std::deque<PendingCall> calls_;
  std::deque<PendingReply> replies_;
  uint64_t next_seq_ = 1;
  std::map<CallId, CallRecord> all_calls_;
  std::map<ReplyToken, CallId> tokens_;  // each delivery of a call gets its own token
  ReplyToken next_token_ = 1;
  std::vector<bool> crashed_;
  std::vector<bool> killed_;
  std::vector<bool> deaf_;
  std::vector<std::optional<CallId>> deaf_call_;  // per node: the request whose reply is lost
  std::vector<NodeId> kill_after_handler_;
  std::vector<std::vector<CompletedOperation>> completed_;
};

}  // namespace locksim::service::testing

#endif  // LOCKSIM_TESTS_SERVICE_FAKE_ENVIRONMENT_H_
