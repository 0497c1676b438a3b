// The clerk: request ids, re-sends to the other server, when it gives up (only when both servers
// refused), late replies.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

TEST(ClerkTest, GivesUpOnceBothServersRefused) {
  FakeNetwork n(1);
  n.Kill(kPrimaryNode);
  n.Kill(kBackupNode);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=failed");
  EXPECT_THAT(n.CallTargetsOf(ClientNode(0)), ElementsAre(kPrimaryNode, kBackupNode))
      << "fail-stop: a server that refused is down for good, so two refusals end the call";
  EXPECT_FALSE(n.clerk(0).busy());
  EXPECT_FALSE(n.CompletedOperations(0).back().result.has_value());
}

TEST(ClerkTest, TimeoutsNeverMakeItGiveUp) {
  FakeNetwork n(1);
  n.StartLock(0, "a");
  // A thousand calls in a row time out (lost requests or replies, or a server that is down but
  // swallows calls): the clerk alternates primary, backup, ... and keeps the same request.
  for (int i = 0; i < 1000; ++i) {
    ASSERT_EQ(n.calls().size(), 1u) << "attempt " << i;
    EXPECT_EQ(n.calls().front().to, i % 2 == 0 ? kPrimaryNode : kBackupNode) << "attempt " << i;
    n.FailCall(size_t{0}, CallFailure::kTimeout);
  }
  EXPECT_TRUE(n.clerk(0).busy());
  EXPECT_EQ(n.clerk(0).attempts(), 1001u);
  EXPECT_EQ(n.PendingCallsText().at(0), "#1001 client0->primary request c0#1 lock(a)");
  n.RunUntilQuiet();
  EXPECT_THAT(n.Completed(0), ElementsAre("lock(a)=true"));
}

// The false alarm of issue #11: the backup is down and the primary's replies to one request are
// lost again and again. The primary is alive and answers every re-send, so the call must end
// with its result, however many replies were lost.
TEST(ClerkTest, ADeadBackupAndManyLostRepliesStillComplete) {
  FakeNetwork n(1);
  n.Kill(kBackupNode);
  n.StartLock(0, "a");
  for (int lost = 1; lost <= 50; ++lost) {
    n.DeliverCall("client0->primary");
    if (lost == 1) n.FailCall(n.CallIndex("forward 1"), CallFailure::kRefused);  // goes alone
    n.DropReply(n.ReplyIndex("reply c0#1=true"));
    ASSERT_TRUE(n.TimeOutOneStuckCall());  // the clerk re-sends to the backup ...
    n.FailCall(n.CallIndex("client0->backup"), CallFailure::kRefused);  // ... which is down
    ASSERT_TRUE(n.clerk(0).busy()) << "gave up after " << lost << " lost replies";
    ASSERT_EQ(n.PendingCallsText().size(), 1u);
    EXPECT_EQ(n.PendingCallsText()[0],
              absl::StrCat("#", 2 * lost + 2, " client0->primary request c0#1 lock(a)"))
        << "the same request, to the primary again";
  }
  n.RunUntilQuiet();
  EXPECT_THAT(n.Completed(0), ElementsAre("lock(a)=true")) << "the first execution's result";
  EXPECT_EQ(n.clerk(0).attempts(), 101u);
}

TEST(ClerkTest, ARefusalAloneDoesNotEndTheCall) {
  FakeNetwork n(1);
  n.Kill(kPrimaryNode);
  n.StartLock(0, "a");
  n.RunUntilQuiet();  // refused by the primary, answered by the backup (it takes over)
  EXPECT_THAT(n.Completed(0), ElementsAre("lock(a)=true"));
  EXPECT_THAT(n.CallTargetsOf(ClientNode(0)), ElementsAre(kPrimaryNode, kBackupNode));
}

TEST(ClerkTest, RefusalsCountPerCall) {
  // Each call starts afresh: the primary is asked first again, even though it refused before.
  FakeNetwork n(1);
  n.Kill(kPrimaryNode);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
  EXPECT_THAT(n.CallTargetsOf(ClientNode(0)),
              ElementsAre(kPrimaryNode, kBackupNode, kPrimaryNode, kBackupNode));
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
