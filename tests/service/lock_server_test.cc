// The lock server alone, driven message by message through a recording environment.
#include "service/lock_server.h"

#include <string>
#include <variant>
#include <vector>

#include "gtest/gtest.h"
#include "tests/service/fake_cluster.h"

namespace locksim::service::testing {
namespace {

class RecordingEnv final : public Environment {
 public:
  struct SentCall {
    NodeId to;
    Message request;
  };
  CallId Call(NodeId to, Message request) override {
    calls.push_back({to, std::move(request)});
    return calls.size();
  }
  void Reply(ReplyToken token, Message reply) override {
    replies.push_back({token, std::move(reply)});
  }
  TimerId StartTimer(Micros) override { return 0; }
  void CancelTimer(TimerId) override {}
  Micros Now() const override { return Micros(0); }
  void OperationCompleted(const CompletedOperation&) override {}

  // "token 3: true", "token 4: ack 2", ... one per reply, in order.
  std::vector<std::string> RepliesText() const {
    std::vector<std::string> out;
    for (const auto& [token, message] : replies) {
      std::string text = "token " + std::to_string(token) + ": ";
      if (const auto* r = std::get_if<ClientReply>(&message)) text += r->result ? "true" : "false";
      if (const auto* a = std::get_if<ForwardReply>(&message))
        text += "ack " + std::to_string(a->order);
      out.push_back(text);
    }
    return out;
  }
  std::vector<SentCall> calls;
  std::vector<std::pair<ReplyToken, Message>> replies;
};

ClientRequest Req(ClientId client, uint64_t seq, OpKind op, std::string lock) {
  return ClientRequest{.id = {client, seq}, .op = op, .lock = std::move(lock)};
}
ForwardRequest Fwd(uint64_t order, ClientId client, uint64_t seq, OpKind op, std::string lock,
                   bool result) {
  return ForwardRequest{
      .order = order, .id = {client, seq}, .op = op, .lock = std::move(lock), .result = result};
}
using Strings = std::vector<std::string>;
using Table = std::vector<std::pair<std::string, bool>>;

TEST(PrimaryTest, RepliesOnlyAfterTheBackupAcked) {
  RecordingEnv env;
  LockServer primary(env, ServerRole::kPrimary);
  primary.OnCall(ClientNode(0), 1, Req(0, 1, OpKind::kLock, "a"));
  primary.OnCall(ClientNode(1), 2, Req(1, 1, OpKind::kLock, "b"));
  ASSERT_EQ(env.calls.size(), 2u);  // pipelined: both forwards outstanding
  EXPECT_EQ(std::get<ForwardRequest>(env.calls[0].request).order, 1u);
  EXPECT_EQ(std::get<ForwardRequest>(env.calls[1].request).order, 2u);
  EXPECT_EQ(env.RepliesText(), Strings{});
  primary.OnCallReply(2, ForwardReply{.order = 2});  // covers order 1 too
  EXPECT_EQ(env.RepliesText(), (Strings{"token 1: true", "token 2: true"}));
}

TEST(PrimaryTest, DuplicateRequestIsAnsweredFromTableNotReExecuted) {
  RecordingEnv env;
  LockServer primary(env, ServerRole::kPrimary);
  primary.OnCall(ClientNode(0), 1, Req(0, 1, OpKind::kLock, "a"));
  primary.OnCall(ClientNode(0), 2, Req(0, 1, OpKind::kLock, "a"));  // network duplicate
  EXPECT_EQ(env.calls.size(), 1u);
  primary.OnCallReply(1, ForwardReply{.order = 1});
  EXPECT_EQ(env.RepliesText(), (Strings{"token 1: true", "token 2: true"}));
  EXPECT_EQ(primary.stats().executed, 1u);
}

TEST(PrimaryTest, ForwardFailureLeavesThePrimaryAlone) {
  RecordingEnv env;
  LockServer primary(env, ServerRole::kPrimary);
  primary.OnCall(ClientNode(0), 1, Req(0, 1, OpKind::kLock, "a"));
  primary.OnCallFailed(1, CallFailure::kRefused);
  EXPECT_EQ(env.RepliesText(), Strings{"token 1: true"});
  EXPECT_FALSE(primary.forwarding());
  primary.OnCall(ClientNode(0), 2, Req(0, 2, OpKind::kLock, "a"));
  EXPECT_EQ(env.calls.size(), 1u);  // no more forwards
  EXPECT_EQ(env.RepliesText(), (Strings{"token 1: true", "token 2: false"}));
}

TEST(BackupTest, AppliesReorderedAndDuplicatedForwardsInOrder) {
  RecordingEnv env;
  LockServer backup(env, ServerRole::kBackup);
  backup.OnCall(kPrimaryNode, 1, Fwd(2, 1, 1, OpKind::kUnlock, "a", true));
  EXPECT_EQ(backup.LockTableSorted(), Table{});  // buffered, not applied
  backup.OnCall(kPrimaryNode, 2, Fwd(2, 1, 1, OpKind::kUnlock, "a", true));  // duplicate
  backup.OnCall(kPrimaryNode, 3, Fwd(1, 0, 1, OpKind::kLock, "a", true));
  backup.OnCall(kPrimaryNode, 4, Fwd(1, 0, 1, OpKind::kLock, "a", true));  // late duplicate
  EXPECT_EQ(env.RepliesText(),
            (Strings{"token 1: ack 0", "token 2: ack 0", "token 3: ack 2", "token 4: ack 2"}));
  EXPECT_EQ(backup.LockTableSorted(), (Table{{"a", false}}));
  EXPECT_EQ(backup.stats().forwards_applied, 2u);
  EXPECT_EQ(backup.stats().result_mismatches, 0u);
}

TEST(BackupTest, AnswersKnownRequestsAndTakesOverForNewOnes) {
  RecordingEnv env;
  LockServer backup(env, ServerRole::kBackup);
  backup.OnCall(kPrimaryNode, 1, Fwd(1, 0, 1, OpKind::kLock, "a", true));
  backup.OnCall(ClientNode(0), 2, Req(0, 1, OpKind::kLock, "a"));  // re-sent after a lost reply
  EXPECT_FALSE(backup.acting_primary());
  backup.OnCall(ClientNode(1), 3, Req(1, 1, OpKind::kLock, "a"));  // new: the primary is dead
  EXPECT_TRUE(backup.acting_primary());
  backup.OnCall(ClientNode(1), 4, Req(1, 1, OpKind::kLock, "a"));            // network duplicate
  backup.OnCall(kPrimaryNode, 5, Fwd(2, 1, 7, OpKind::kUnlock, "a", true));  // late: dropped
  EXPECT_EQ(env.RepliesText(),
            (Strings{"token 1: ack 1", "token 2: true", "token 3: false", "token 4: false"}));
  EXPECT_EQ(backup.stats().executed, 1u);
  EXPECT_EQ(backup.stats().forwards_dropped, 1u);
  EXPECT_EQ(backup.HeldLocks(), Strings{"a"});
}

TEST(ClusterTest, LostReplyThenReSendGetsTheFirstResult) {
  FakeCluster c(1);
  c.StartLock(0, "a");
  // Deliver the request and the forward round trip, but not the reply to the client.
  c.DeliverAt(0);  // request -> primary
  c.DeliverAt(0);  // forward -> backup
  c.DeliverAt(0);  // ack -> primary: the reply to client 0 is now queued
  ASSERT_EQ(c.queued(), 1u);
  c.LoseReplyOf(1);  // client 0's call to the primary times out: re-send to the backup
  c.Settle();
  EXPECT_EQ(c.Result(0), "true");
  EXPECT_FALSE(c.backup().acting_primary());  // answered from its table
  EXPECT_EQ(c.primary().stats().executed + c.backup().stats().executed, 1u);
}

TEST(ClusterTest, LostReplyWithDeadBackupAsksThePrimaryAgain) {
  FakeCluster c(1);
  c.Crash(kBackupNode);
  c.StartLock(0, "a");
  c.DeliverAt(0);  // request -> primary; forward queued
  c.DeliverAt(0);  // forward refused -> queued failure
  c.DeliverAt(0);  // primary alone: reply queued
  c.LoseReplyOf(1);
  c.Settle();
  EXPECT_EQ(c.Result(0), "true");
  EXPECT_EQ(c.primary().stats().answered_from_table, 1u);
}

TEST(ClusterTest, BothServersDownTheClerkGivesUpAfterItsBound) {
  FakeCluster c(1);
  c.Crash(kPrimaryNode);
  c.Crash(kBackupNode);
  EXPECT_EQ(c.Lock(0, "a"), "failed");
  EXPECT_EQ(c.clerk(0).calls_made(), static_cast<uint64_t>(Clerk::kMaxAttempts));
}

}  // namespace
}  // namespace locksim::service::testing
