// A scripted stand-in for the simulator: two lock servers and N clerks wired through a message
// queue that the test drives by hand (deliver in order, hold forwards, reorder, duplicate, crash,
// deaf primary). Calls still unanswered when nothing is left to deliver time out, which stands
// for the RPC timeout. Deterministic; no clock.
#ifndef LOCKSIM_TESTS_SERVICE_FAKE_CLUSTER_H_
#define LOCKSIM_TESTS_SERVICE_FAKE_CLUSTER_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "service/clerk.h"
#include "service/environment.h"
#include "service/flaws.h"
#include "service/lock_server.h"

namespace locksim::service::testing {

class FakeCluster {
 public:
  explicit FakeCluster(int clients, Flaw flaw = Flaw::kNone);
  ~FakeCluster();

  LockServer& primary() { return *primary_; }
  LockServer& backup() { return *backup_; }
  Clerk& clerk(ClientId client) { return *clerks_[client]; }

  // Runs one operation to its end (timeouts included); "true", "false" or "failed".
  std::string Lock(ClientId client, std::string name);
  std::string Unlock(ClientId client, std::string name);
  // Starts an operation without waiting; Result(client) reads its outcome once it ended.
  void StartLock(ClientId client, std::string name);
  void StartUnlock(ClientId client, std::string name);
  std::string Result(ClientId client) const;

  // Delivers queued messages (FIFO) until none is left; no timeouts.
  void DeliverAll();
  // DeliverAll, then time out stuck calls, until nothing happens.
  void Settle();
  // Delivers the queued message at `index` (0 = oldest); `duplicate` keeps a copy queued.
  void DeliverAt(size_t index, bool duplicate = false);
  size_t queued() const { return queue_.size(); }
  // True: forwards stay queued through DeliverAll/Settle (they are not lost).
  void HoldForwards(bool hold) { hold_forwards_ = hold; }

  void Crash(NodeId node) { crashed_[node] = true; }
  void MakeDeaf(NodeId node) { deaf_[node] = true; }
  bool IsCrashed(NodeId node) const { return crashed_[node]; }
  // Fails the oldest outstanding call with a timeout, as if its reply were lost.
  void LoseReplyOf(CallId call);
  CallId last_call() const { return calls_.size() - 1; }

  struct Completed {
    ClientId client;
    CompletedOperation operation;
  };
  const std::vector<Completed>& completed() const { return completed_; }

 private:
  class Env;
  enum class Kind : uint8_t { kRequest, kReply, kRefused };
  struct Envelope {
    Kind kind;
    CallId call;
    Message message;
  };
  struct CallRecord {
    NodeId from = -1;
    NodeId to = -1;
    bool ended = false;
  };
  struct Token {
    CallId call;
    bool lost = false;  // deaf: the reply is thrown away
  };

  Node& node(NodeId id);
  std::string Wait(ClientId client);
  bool Deliverable(const Envelope& envelope) const;
  void Deliver(Envelope envelope);
  // Times out every outstanding call nothing is in flight for; true if any.
  bool TimeOutStuckCalls();
  void EndCall(CallId call, std::optional<CallFailure> failure, const Message* reply);

  std::vector<std::unique_ptr<Env>> envs_;
  std::unique_ptr<LockServer> primary_;
  std::unique_ptr<LockServer> backup_;
  std::vector<std::unique_ptr<Clerk>> clerks_;
  std::deque<Envelope> queue_;
  std::vector<CallRecord> calls_{1};  // index: CallId; 0 unused
  std::vector<Token> tokens_{1};      // index: ReplyToken; 0 unused
  std::vector<bool> crashed_;
  std::vector<bool> deaf_;
  std::vector<std::optional<std::optional<bool>>> results_;  // per client; outer: ended
  std::vector<Completed> completed_;
  bool hold_forwards_ = false;
  NodeId crash_after_handler_ = -1;
};

// "true", "false" or "failed".
std::string ResultText(std::optional<bool> result);

}  // namespace locksim::service::testing

#endif  // LOCKSIM_TESTS_SERVICE_FAKE_CLUSTER_H_
