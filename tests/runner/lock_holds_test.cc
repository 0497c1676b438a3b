// Who held each lock when, along the checker's linearization, on hand-made histories.
#include "runner/lock_holds.h"

#include <gtest/gtest.h>

namespace locksim::runner {
namespace {

check::HistoryOperation Op(int64_t client, check::LockOp op, std::string lock, int64_t invoke,
                           std::optional<int64_t> ret, std::optional<bool> result) {
  return check::HistoryOperation{client, op, std::move(lock), invoke, ret, result};
}

constexpr auto kLock = check::LockOp::kLock;
constexpr auto kUnlock = check::LockOp::kUnlock;

TEST(LockHolds, LocksComeSortedByNameWithOneHoldPerLockUnlockPair) {
  const check::History history{{Op(0, kLock, "b", 0, 10, true), Op(1, kLock, "a", 5, 15, true),
                                Op(0, kUnlock, "b", 20, 30, true)}};
  const std::vector<LockLinearization> locks = LinearizeLocks(history);
  ASSERT_EQ(locks.size(), 2u);
  EXPECT_EQ(locks[0].lock, "a");
  EXPECT_EQ(locks[1].lock, "b");

  const LockLinearization& b = locks[1];
  EXPECT_TRUE(b.linearizable);
  EXPECT_FALSE(b.stuck_at.has_value());
  ASSERT_EQ(b.order.size(), 2u);
  EXPECT_EQ(b.order[0].op, 0u);
  EXPECT_EQ(b.order[0].at, 0);
  EXPECT_EQ(b.order[1].op, 2u);
  EXPECT_EQ(b.order[1].at, 20);
  ASSERT_EQ(b.holds.size(), 1u);
  EXPECT_EQ(b.holds[0].client, 0);
  EXPECT_EQ(b.holds[0].taken_by, 0u);
  EXPECT_EQ(b.holds[0].freed_by, 1u);

  const LockLinearization& a = locks[0];
  ASSERT_EQ(a.holds.size(), 1u);
  EXPECT_EQ(a.holds[0].client, 1);
  EXPECT_FALSE(a.holds[0].freed_by.has_value()) << "still held at the end of the run";
}

TEST(LockHolds, MomentIsTheLatestInvokeSoFarAndNamesItsAnchor) {
  // Client 1's Unlock is invoked first but must come after client 0's Lock, which is invoked
  // later: the Unlock's moment is the Lock's invoke, so its anchor is the Lock.
  const check::History history{
      {Op(1, kUnlock, "a", 0, 100, true), Op(0, kLock, "a", 10, 20, true)}};
  const std::vector<LockLinearization> locks = LinearizeLocks(history);
  ASSERT_EQ(locks.size(), 1u);
  const LockLinearization& a = locks[0];
  ASSERT_EQ(a.order.size(), 2u);
  EXPECT_EQ(a.order[0].op, 1u);
  EXPECT_EQ(a.order[0].at, 10);
  EXPECT_EQ(a.order[0].anchor, 1u);
  EXPECT_EQ(a.order[1].op, 0u);
  EXPECT_EQ(a.order[1].at, 10) << "never earlier than the previous moment";
  EXPECT_EQ(a.order[1].anchor, 1u);
  for (const LinearizedOp& placed : a.order) {
    const check::HistoryOperation& op = history.operations[placed.op];
    EXPECT_GE(placed.at, op.invoke);
    EXPECT_LE(placed.at, op.ret.value_or(placed.at));
  }
}

TEST(LockHolds, PendingLockPlacedAsAMoveTakesTheLock) {
  // The Lock->false needs the lock held: only the pending Lock can have taken it.
  const check::History history{
      {Op(0, kLock, "a", 0, std::nullopt, std::nullopt), Op(1, kLock, "a", 10, 20, false)}};
  const LockLinearization a = LinearizeLocks(history).at(0);
  EXPECT_TRUE(a.linearizable);
  ASSERT_EQ(a.holds.size(), 1u);
  EXPECT_EQ(a.holds[0].client, 0);
  EXPECT_EQ(a.order[a.holds[0].taken_by].op, 0u);
}

TEST(LockHolds, NotLinearizableStopsWhereTheCheckerGotStuck) {
  // Two successful Locks with nothing between them: the second cannot be placed.
  const check::History history{{Op(0, kLock, "a", 0, 10, true), Op(1, kLock, "a", 20, 30, true)}};
  const LockLinearization a = LinearizeLocks(history).at(0);
  EXPECT_FALSE(a.linearizable);
  ASSERT_EQ(a.order.size(), 1u);
  ASSERT_TRUE(a.stuck_at.has_value());
  EXPECT_EQ(*a.stuck_at, 30) << "the earliest return among the operations left";
  ASSERT_EQ(a.holds.size(), 1u);
  EXPECT_FALSE(a.holds[0].freed_by.has_value());
}

}  // namespace
}  // namespace locksim::runner
