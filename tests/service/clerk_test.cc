// The clerk: request ids, re-sends to the other server, the attempt bound, late replies.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/service/fake_environment.h"

namespace locksim::service::testing {
namespace {

using ::testing::ElementsAre;

TEST(ClerkTest, EachCallGetsANewIdAndAReSendKeepsIt) {
  FakeNetwork n(1);
  n.StartLock(0, "a");
  EXPECT_EQ(n.PendingCallsText().at(0), "#1 client0->primary request c0#1 lock(a)");
  n.FailCall(size_t{0}, CallFailure::kTimeout);
  EXPECT_EQ(n.PendingCallsText().at(0), "#2 client0->backup request c0#1 lock(a)");
  n.RunUntilQuiet();
  n.StartLock(0, "a");
  EXPECT_EQ(n.PendingCallsText().at(0), "#3 client0->primary request c0#2 lock(a)");
}

TEST(ClerkTest, AlternatesPrimaryAndBackupUpToTheBoundThenReportsFailure) {
  FakeNetwork n(1);
  n.Kill(kPrimaryNode);
  n.Kill(kBackupNode);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=failed");
  const std::vector<NodeId> targets = n.CallTargetsOf(ClientNode(0));
  ASSERT_EQ(targets.size(), static_cast<size_t>(Clerk::kMaxAttempts));
  for (size_t i = 0; i < targets.size(); ++i) {
    EXPECT_EQ(targets[i], i % 2 == 0 ? kPrimaryNode : kBackupNode) << "attempt " << i;
  }
  EXPECT_FALSE(n.clerk(0).busy());
  EXPECT_FALSE(n.CompletedOperations(0).back().result.has_value());
}

TEST(ClerkTest, TimeoutsCountAsAttemptsToo) {
  FakeNetwork n(1);
  n.Crash(kPrimaryNode);  // calls swallowed: each one times out
  n.Crash(kBackupNode);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=failed");
  EXPECT_EQ(n.clerk(0).calls_made(), static_cast<uint64_t>(Clerk::kMaxAttempts));
}

TEST(ClerkTest, IgnoresLateRepliesOfAbandonedAttempts) {
  FakeNetwork n(1);
  n.StartLock(0, "a");
  n.DeliverCall("client0");
  n.DeliverCall("forward 1");
  n.DeliverReply("ack 1");
  const FakeNetwork::PendingReply late = n.replies().at(0);
  n.DropReply(size_t{0});
  n.FailCallId(late.call, CallFailure::kTimeout);  // the clerk moves on to the backup
  // The primary's reply turns up after all: the clerk ignores it, it is not this attempt's.
  n.clerk(0).OnCallReply(late.call, late.message);
  EXPECT_TRUE(n.clerk(0).busy());
  EXPECT_EQ(n.LastCompleted(0), "none");
  // A late failure of the abandoned attempt is ignored too.
  n.clerk(0).OnCallFailed(late.call, CallFailure::kTimeout);
  EXPECT_EQ(n.clerk(0).calls_made(), 2u);
  n.RunUntilQuiet();
  EXPECT_THAT(n.Completed(0), ElementsAre("lock(a)=true"));
  // And after the operation ended, the same late reply changes nothing.
  n.clerk(0).OnCallReply(late.call, late.message);
  EXPECT_THAT(n.Completed(0), ElementsAre("lock(a)=true"));
}

TEST(ClerkTest, ConsecutiveOperationsCompleteInOrder) {
  FakeNetwork n(1);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_FALSE(n.clerk(0).busy());
  EXPECT_EQ(n.Unlock(0, "a"), "unlock(a)=true");
  EXPECT_THAT(n.Completed(0), ElementsAre("lock(a)=true", "unlock(a)=true"));
}

}  // namespace
}  // namespace locksim::service::testing
