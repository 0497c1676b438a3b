// Each flaw: its wrong behaviour shows up; and the catalogue is complete and well formed.
#include "service/flaws.h"

#include <string>

#include "gtest/gtest.h"
#include "tests/service/fake_cluster.h"

namespace locksim::service::testing {
namespace {

TEST(FlawCatalogueTest, NamesRoundTripAndDescriptionsAreThere) {
  EXPECT_GE(AllFlaws().size(), 8u);
  for (const FlawInfo& info : AllFlaws()) {
    EXPECT_NE(info.flaw, Flaw::kNone);
    EXPECT_EQ(FlawByName(info.name), info.flaw) << info.name;
    EXPECT_EQ(FlawName(info.flaw), info.name);
    EXPECT_GT(info.description.size(), 80u) << info.name;
  }
  EXPECT_EQ(FlawByName("none"), Flaw::kNone);
  EXPECT_EQ(FlawByName("no-such-flaw"), std::nullopt);
}

// The lab's primary_fail2: client 1's Lock(c) executes, its reply is lost, the primary dies.
std::string DeafPrimaryReSend(Flaw flaw) {
  FakeCluster c(2, flaw);
  c.Lock(0, "a");
  c.MakeDeaf(kPrimaryNode);
  return c.Lock(1, "c");  // the re-send reaches the backup
}

TEST(FlawTest, CorrectProtocolReturnsTheRecordedResult) {
  EXPECT_EQ(DeafPrimaryReSend(Flaw::kNone), "true");
}

TEST(FlawTest, NoDuplicateTableExecutesTheReSentRequestAgain) {
  EXPECT_EQ(DeafPrimaryReSend(Flaw::kNoDuplicateTable), "false");
}

TEST(FlawTest, BackupForgetsForwardedResultsExecutesTheReSentRequestAgain) {
  EXPECT_EQ(DeafPrimaryReSend(Flaw::kBackupForgetsForwardedResults), "false");
}

TEST(FlawTest, DuplicateByOperationTakesASecondLockForARepeat) {
  FakeCluster c(1, Flaw::kDuplicateByOperation);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Lock(0, "a"), "true");  // correct: false
}

TEST(FlawTest, ReplyBeforeForwardAckLetsTwoClientsHoldOneLock) {
  FakeCluster c(2, Flaw::kReplyBeforeForwardAck);
  c.HoldForwards(true);               // the forward is slow
  EXPECT_EQ(c.Lock(0, "a"), "true");  // answered before the backup has it
  c.Crash(kPrimaryNode);
  EXPECT_EQ(c.Lock(1, "a"), "true");  // the backup takes over without it: correct is false
}

TEST(FlawTest, CorrectProtocolWaitsForTheSlowForward) {
  FakeCluster c(1);
  c.HoldForwards(true);
  c.StartLock(0, "a");
  c.DeliverAll();
  EXPECT_EQ(c.Result(0), "pending");
  c.HoldForwards(false);
  c.Settle();
  EXPECT_EQ(c.Result(0), "true");
}

TEST(FlawTest, ClerkGivesUpWhenThePrimaryDies) {
  FakeCluster c(1, Flaw::kClerkGivesUp);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  c.Crash(kPrimaryNode);
  EXPECT_EQ(c.Lock(0, "b"), "failed");  // correct: the backup answers true
}

TEST(FlawTest, ForwardOutOfOrderDivergesTheBackup) {
  FakeCluster c(2, Flaw::kForwardOutOfOrder);
  c.HoldForwards(true);
  c.StartLock(0, "a");
  c.DeliverAll();
  // Forward 1 (Lock a) is queued; run client 1's Unlock(a) through the primary too.
  c.StartUnlock(1, "a");
  c.DeliverAll();
  c.HoldForwards(false);
  ASSERT_EQ(c.queued(), 2u);
  c.DeliverAt(1);  // forward 2 (Unlock a) overtakes forward 1
  c.Settle();
  EXPECT_EQ(c.Result(0), "true");
  EXPECT_EQ(c.Result(1), "true");
  EXPECT_EQ(c.primary().HeldLocks(), std::vector<std::string>{});
  EXPECT_EQ(c.backup().HeldLocks(), std::vector<std::string>{"a"});  // diverged
  EXPECT_EQ(c.backup().stats().result_mismatches, 1u);
}

TEST(FlawTest, BackupNeverTakesOverLeavesCallsFailing) {
  FakeCluster c(1, Flaw::kBackupNeverTakesOver);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  c.Crash(kPrimaryNode);
  EXPECT_EQ(c.Lock(0, "b"), "failed");
}

TEST(FlawTest, PrimaryWaitsForDeadBackupLeavesCallsFailing) {
  FakeCluster c(1, Flaw::kPrimaryWaitsForDeadBackup);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  c.Crash(kBackupNode);
  EXPECT_EQ(c.Lock(0, "b"), "failed");
}

}  // namespace
}  // namespace locksim::service::testing
