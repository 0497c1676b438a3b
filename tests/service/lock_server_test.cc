// The lock servers' protocol, message by message (docs/protocol.md): forwarding, acks, the
// backup's ordering and duplicate handling, takeover, and the at-most-once table.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/service/fake_environment.h"

namespace locksim::service::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(PrimaryTest, RepliesOnlyAfterTheForwardAck) {
  FakeNetwork n(1);
  n.StartLock(0, "a");
  EXPECT_EQ(n.DeliverCall("request"), "#1 client0->primary request c0#1 lock(a)");
  EXPECT_THAT(n.PendingCallsText(), ElementsAre("#2 primary->backup forward 1 c0#1 lock(a)=true"));
  EXPECT_THAT(n.PendingRepliesText(), IsEmpty()) << "no reply before the backup has it";
  n.DeliverCall("forward 1");
  EXPECT_THAT(n.PendingRepliesText(), ElementsAre("#2 backup->primary ack 1"));
  n.DeliverReply("ack 1");
  EXPECT_THAT(n.PendingRepliesText(), ElementsAre("#1 primary->client0 reply c0#1=true"));
  n.DeliverReply(size_t{0});
  EXPECT_EQ(n.LastCompleted(0), "lock(a)=true");
  EXPECT_EQ(n.primary().applied_order(), 1u);
  EXPECT_EQ(n.backup().applied_order(), 1u);
}

TEST(PrimaryTest, ForwardsArePipelined) {
  FakeNetwork n(3);
  n.StartLock(0, "x");
  n.StartUnlock(1, "x");
  n.StartLock(2, "x");
  n.DeliverCall("client0");
  n.DeliverCall("client1");
  n.DeliverCall("client2");
  EXPECT_THAT(n.PendingCallsText(), ElementsAre("#4 primary->backup forward 1 c0#1 lock(x)=true",
                                                "#5 primary->backup forward 2 c1#1 unlock(x)=true",
                                                "#6 primary->backup forward 3 c2#1 lock(x)=true"));
  EXPECT_THAT(n.PendingRepliesText(), IsEmpty());
}

// Three pipelined forwards on one lock, for the ordering tests below.
void ThreeForwardsOnX(FakeNetwork& n) {
  n.StartLock(0, "x");
  n.StartUnlock(1, "x");
  n.StartLock(2, "x");
  n.DeliverCall("client0");
  n.DeliverCall("client1");
  n.DeliverCall("client2");
}

TEST(BackupTest, AppliesReorderedForwardsInOrder) {
  FakeNetwork n(3);
  ThreeForwardsOnX(n);
  n.DeliverCall("forward 3");
  n.DeliverCall("forward 2");
  EXPECT_THAT(n.backup().LockTableSorted(), IsEmpty()) << "early forwards are only buffered";
  EXPECT_EQ(n.backup().applied_order(), 0u);
  n.DeliverCall("forward 1");
  EXPECT_EQ(n.backup().applied_order(), 3u);
  EXPECT_THAT(n.backup().HeldLocks(), ElementsAre("x"));
  EXPECT_EQ(n.backup().stats().result_mismatches, 0u);
  // Each forward is acked with the contiguous prefix applied when it arrived.
  EXPECT_THAT(n.PendingRepliesText(),
              ElementsAre("#6 backup->primary ack 0", "#5 backup->primary ack 0",
                          "#4 backup->primary ack 3"));
}

TEST(BackupTest, DuplicatedForwardsAreAppliedOnceAndReAcked) {
  FakeNetwork n(3);
  ThreeForwardsOnX(n);
  n.DuplicateCall(n.CallIndex("forward 3"));  // buffered, then buffered again
  n.DeliverCall("forward 3");
  n.DuplicateCall(n.CallIndex("forward 1"));  // applied, then applied again
  n.DeliverCall("forward 1");
  n.DeliverCall("forward 2");
  EXPECT_EQ(n.backup().stats().forwards_applied, 3u);
  EXPECT_EQ(n.backup().stats().forwards_duplicate, 2u);
  EXPECT_THAT(n.backup().HeldLocks(), ElementsAre("x"));
  EXPECT_THAT(n.PendingRepliesText(),
              ElementsAre("#6 backup->primary ack 0", "#6 backup->primary ack 0",
                          "#4 backup->primary ack 1", "#4 backup->primary ack 1",
                          "#5 backup->primary ack 3"));
}

TEST(PrimaryTest, AcksArrivingOutOfOrderReleaseEveryCoveredReply) {
  FakeNetwork n(3);
  ThreeForwardsOnX(n);
  n.DeliverCall("forward 1");
  n.DeliverCall("forward 2");
  n.DeliverCall("forward 3");
  n.DeliverReply("ack 3");  // the last ack first
  EXPECT_THAT(
      n.PendingRepliesText(),
      ElementsAre("#4 backup->primary ack 1", "#5 backup->primary ack 2",
                  "#1 primary->client0 reply c0#1=true", "#2 primary->client1 reply c1#1=true",
                  "#3 primary->client2 reply c2#1=true"));
  n.DeliverReply("ack 1");
  n.DeliverReply("ack 2");
  EXPECT_EQ(n.primary().applied_order(), 3u) << "a late lower ack does not go backwards";
  n.RunUntilQuiet();
  EXPECT_EQ(n.LastCompleted(0), "lock(x)=true");
  EXPECT_EQ(n.LastCompleted(1), "unlock(x)=true");
  EXPECT_EQ(n.LastCompleted(2), "lock(x)=true");
}

TEST(PrimaryTest, ForwardFailureLeavesItAloneAndAnswersWaitingClients) {
  FakeNetwork n(2);
  n.StartLock(0, "a");
  n.StartLock(1, "b");
  n.DeliverCall("client0");
  n.DeliverCall("client1");
  n.FailCall(n.CallIndex("forward 1"), CallFailure::kRefused);
  EXPECT_FALSE(n.primary().forwarding());
  EXPECT_THAT(n.PendingRepliesText(), ElementsAre("#1 primary->client0 reply c0#1=true",
                                                  "#2 primary->client1 reply c1#1=true"));
  n.FailCall(n.CallIndex("forward 2"), CallFailure::kTimeout);  // harmless now
  n.RunUntilQuiet();
  n.StartUnlock(0, "a");
  n.DeliverCall("client0");
  EXPECT_THAT(n.PendingCallsText(), IsEmpty()) << "no more forwards";
  EXPECT_THAT(n.PendingRepliesText(), ElementsAre("#5 primary->client0 reply c0#2=true"));
}

TEST(BackupTest, TakesOverOnAnUnseenRequestAndDropsLaterForwards) {
  FakeNetwork n(2);
  n.StartLock(0, "a");
  n.DeliverCall("client0");  // forward 1 now in flight
  n.StartLock(1, "a");
  n.FailCall(n.CallIndex("client1->primary"), CallFailure::kRefused);
  EXPECT_EQ(n.DeliverCall("client1->backup"), "#4 client1->backup request c1#1 lock(a)");
  EXPECT_TRUE(n.backup().acting_primary());
  EXPECT_THAT(n.PendingRepliesText(), ElementsAre("#4 backup->client1 reply c1#1=true"));
  n.DeliverCall("forward 1");
  EXPECT_EQ(n.backup().stats().forwards_dropped, 1u);
  EXPECT_THAT(n.PendingRepliesText(), ElementsAre("#4 backup->client1 reply c1#1=true"))
      << "a dropped forward is not answered";
  EXPECT_THAT(n.backup().HeldLocks(), ElementsAre("a"));
}

TEST(BackupTest, TakeoverDiscardsBufferedForwards) {
  FakeNetwork n(3);
  n.StartLock(0, "a");
  n.StartLock(1, "b");
  n.DeliverCall("client0");
  n.DeliverCall("client1");
  n.DeliverCall("forward 2");  // buffered
  n.StartLock(2, "b");
  n.FailCall(n.CallIndex("client2->primary"), CallFailure::kRefused);
  n.DeliverCall("client2->backup");
  n.DeliverCall("forward 1");  // dropped: the backup is acting primary
  EXPECT_THAT(n.backup().HeldLocks(), ElementsAre("b")) << "only client 2's own lock(b)";
  EXPECT_EQ(n.LastCompleted(2), "none");
  n.DeliverReply("client2");
  EXPECT_EQ(n.LastCompleted(2), "lock(b)=true");
}

TEST(PrimaryTest, DuplicatedRequestWhileItsForwardIsPendingWaitsForTheAck) {
  FakeNetwork n(1);
  n.StartLock(0, "a");
  n.DuplicateCall(size_t{0});
  n.DeliverCall("client0");
  EXPECT_EQ(n.primary().stats().executed, 1u);
  EXPECT_EQ(n.primary().stats().answered_from_table, 1u);
  EXPECT_THAT(n.PendingRepliesText(), IsEmpty()) << "neither copy is answered before the ack";
  n.DeliverCall("forward 1");
  n.DeliverReply("ack 1");
  EXPECT_THAT(n.PendingRepliesText(), ElementsAre("#1 primary->client0 reply c0#1=true",
                                                  "#1 primary->client0 reply c0#1=true"));
  n.RunUntilQuiet();
  EXPECT_THAT(n.Completed(0), ElementsAre("lock(a)=true")) << "completed once";
}

TEST(PrimaryTest, StaleDuplicateOfAnOlderRequestIsIgnored) {
  FakeNetwork n(1);
  n.StartLock(0, "a");
  const Message first = n.calls().front().message;
  n.RunUntilQuiet();
  EXPECT_EQ(n.Unlock(0, "a"), "unlock(a)=true");
  // A network copy of request #1 arrives late. Answering it would be harmless; executing it
  // would take the lock again.
  n.primary().OnCall(ClientNode(0), /*token=*/999, first);
  EXPECT_EQ(n.primary().stats().stale_ignored, 1u);
  EXPECT_THAT(n.primary().HeldLocks(), IsEmpty());
  EXPECT_THAT(n.PendingCallsText(), IsEmpty());
  EXPECT_THAT(n.PendingRepliesText(), IsEmpty());
}

TEST(ClusterTest, LostReplyThenReSendToTheBackupGetsTheFirstResult) {
  FakeNetwork n(1);
  n.StartLock(0, "a");
  n.DeliverCall("client0");
  n.DeliverCall("forward 1");
  n.DeliverReply("ack 1");
  n.DropReply(n.ReplyIndex("reply c0#1"));
  n.FailCallId(1, CallFailure::kTimeout);
  EXPECT_THAT(n.PendingCallsText(), ElementsAre("#3 client0->backup request c0#1 lock(a)"));
  n.RunUntilQuiet();
  EXPECT_EQ(n.LastCompleted(0), "lock(a)=true");
  EXPECT_FALSE(n.backup().acting_primary()) << "a known request does not make it take over";
  EXPECT_EQ(n.backup().stats().answered_from_table, 1u);
}

TEST(ClusterTest, LostReplyWithDeadBackupAsksThePrimaryAgain) {
  FakeNetwork n(1);
  n.StartLock(0, "a");
  n.DeliverCall("client0");
  n.DeliverCall("forward 1");
  n.DeliverReply("ack 1");
  n.DropReply(size_t{0});
  n.Kill(kBackupNode);
  n.RunUntilQuiet();  // timeout, backup refused, primary again
  EXPECT_EQ(n.LastCompleted(0), "lock(a)=true");
  EXPECT_EQ(n.primary().stats().executed, 1u);
  EXPECT_EQ(n.primary().stats().answered_from_table, 1u);
}

TEST(ClusterTest, ShuffledDeliveryKeepsReplicasInAgreement) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    FakeNetwork n(3);
    for (int round = 0; round < 5; ++round) {
      n.StartLock(0, "x");
      n.StartUnlock(1, "x");
      n.StartLock(2, round % 2 == 0 ? "x" : "y");
      n.RunUntilQuietShuffled(seed * 100 + static_cast<uint64_t>(round));
    }
    EXPECT_EQ(n.primary().LockTableSorted(), n.backup().LockTableSorted()) << "seed " << seed;
    EXPECT_EQ(n.backup().stats().result_mismatches, 0u);
    for (ClientId c = 0; c < 3; ++c) {
      for (const std::string& op : n.Completed(c)) {
        EXPECT_EQ(op.find("failed"), std::string::npos) << "seed " << seed;
      }
    }
  }
}

}  // namespace
}  // namespace locksim::service::testing
