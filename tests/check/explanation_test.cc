// The explanation of a history that is not linearizable: exact text on hand-made histories, one
// per kind of contradiction, and the shape of the report (which lock, which operations).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "check/history.h"
#include "check/lock_linearizability.h"

namespace locksim::check {
namespace {

HistoryOperation Done(int64_t client, LockOp op, int64_t invoke, int64_t ret, bool result,
                      std::string lock = "a") {
  return {client, op, std::move(lock), invoke, ret, result};
}
HistoryOperation Pending(int64_t client, LockOp op, int64_t invoke, std::string lock = "a") {
  return {client, op, std::move(lock), invoke, std::nullopt, std::nullopt};
}

std::vector<size_t> Indices(const LockCheckResult& r) {
  std::vector<size_t> indices;
  for (const UnorderableOperation& u : r.unorderable) indices.push_back(u.index);
  return indices;
}

constexpr LockOp kLock = LockOp::kLock;
constexpr LockOp kUnlock = LockOp::kUnlock;

TEST(Explanation, LinearizableHistorySaysSo) {
  History h;
  h.operations = {Done(0, kLock, 0, 5, true), Done(1, kUnlock, 6, 8, false, "b")};
  const LockCheckResult r = CheckLockLinearizability(h);
  EXPECT_TRUE(r.linearizable);
  EXPECT_EQ(FormatExplanation(r), "linearizable: 2 operations on 2 locks");
}

TEST(Explanation, UnlockOfAFreshLock) {
  History h;
  h.operations = {Done(0, kLock, 0, 2, true, "b"), Done(3, kUnlock, 10, 12, true)};
  const LockCheckResult r = CheckLockLinearizability(h);
  ASSERT_FALSE(r.linearizable);
  EXPECT_EQ(FormatExplanation(r),
            "NOT linearizable: lock \"a\"\n"
            "  client 3's Unlock [10, 12] -> true cannot have found the lock held: locks start "
            "free, and no Lock can have taken effect before it.\n"
            "  1 operation that cannot be ordered, given that the lock starts free, even if "
            "every other operation took effect at any time after its invoke or not at all "
            "(times: invoke..return):\n"
            "    #1  client 3  unlock  10..12  ->  true");
}

TEST(Explanation, TwoLocksWithoutAnUnlockBetween) {
  History h;
  h.operations = {Done(0, kLock, 0, 5, true), Done(2, kUnlock, 1, 2, false),
                  Done(1, kLock, 6, 9, true)};
  const LockCheckResult r = CheckLockLinearizability(h);
  ASSERT_FALSE(r.linearizable);
  EXPECT_EQ(FormatExplanation(r),
            "NOT linearizable: lock \"a\"\n"
            "  client 0's Lock [0, 5] -> true and client 1's Lock [6, 9] -> true both returned "
            "true, but no other Unlock can have taken effect between them.\n"
            "  2 operations that cannot be ordered, whatever state the lock was in before them, "
            "even if every other operation took effect at any time after its invoke or not at "
            "all (times: invoke..return):\n"
            "    #0  client 0  lock    0..5  ->  true\n"
            "    #2  client 1  lock    6..9  ->  true");
}

TEST(Explanation, UnlockFoundFreeAfterALock) {
  History h;
  h.operations = {Done(0, kLock, 0, 5, true), Done(1, kUnlock, 7, 9, false)};
  const LockCheckResult r = CheckLockLinearizability(h);
  ASSERT_FALSE(r.linearizable);
  EXPECT_EQ(
      r.why,
      "client 1's Unlock [7, 9] -> false found the lock free, but client 0's Lock [0, 5] "
      "-> true had locked it before, and no other Unlock can have taken effect between them.");
  EXPECT_TRUE(r.whatever_came_before);
}

TEST(Explanation, AnEarlierLockMayBeUsedAnywhereAfterItsInvoke) {
  // Lock [0, 1] is relaxed: it could have taken effect between the Unlock and the failed Lock
  // (from a held lock), so the pair relies on the lock starting free: the failed Lock needs two
  // Locks before it (one for the Unlock to free, one to hold the lock again), and only one was
  // invoked.
  History h;
  h.operations = {Done(0, kLock, 0, 1, true), Done(0, kUnlock, 2, 3, true),
                  Done(1, kLock, 4, 6, false)};
  const LockCheckResult r = CheckLockLinearizability(h);
  ASSERT_FALSE(r.linearizable);
  EXPECT_EQ(Indices(r), (std::vector<size_t>{1, 2}));
  EXPECT_FALSE(r.whatever_came_before);
  EXPECT_EQ(r.why,
            "client 1's Lock [4, 6] -> false found the lock held, but the Unlock listed with it "
            "returned true before it was invoked, so the lock, which starts free, was locked at "
            "least 2 times by time 6; but by then only 1 other Lock that did not return false "
            "had been invoked.");
}

TEST(Explanation, WhenNotACountTheSentenceSaysWherePlacingStops) {
  // Lock->false [7, 13] needs the lock held after Unlock->false [3, 6] found it free, and the
  // only Lock that did not return false, [1, 2], had to take effect before that. The pair alone
  // is orderable (relaxed, that Lock could go between them), so all three are needed.
  History h;
  h.operations = {Done(0, kUnlock, 3, 6, false), Done(0, kUnlock, 3, 8, true),
                  Done(0, kLock, 1, 2, true), Done(0, kLock, 7, 13, false)};
  const LockCheckResult r = CheckLockLinearizability(h);
  ASSERT_FALSE(r.linearizable);
  EXPECT_EQ(Indices(r), (std::vector<size_t>{2, 0, 3}));
  EXPECT_TRUE(r.whatever_came_before);
  EXPECT_EQ(r.why,
            "These 3 operations cannot be ordered whatever state the lock was in before them, "
            "even if the others took effect at any time after their invoke or not at all: "
            "starting free and placing each as early as its times and result allow, 2 of them "
            "fit, and then the lock is free and the last one cannot go next while it is free.");
}

TEST(Explanation, TheEarliestCountIsToldEvenWhenItIsOneFailedLock) {
  // Two counts fail: the Unlock [5, 6] with no Lock before it, and earlier the Lock->false
  // [0, 1], which found the lock held with no Lock invoked by its return. The earliest is told.
  // (A regression: a failed operation with no move before it was dropped as a candidate.)
  History h;
  h.operations = {Done(0, kLock, 0, 1, false), Done(1, kUnlock, 5, 6, true)};
  const LockCheckResult r = CheckLockLinearizability(h);
  ASSERT_FALSE(r.linearizable);
  EXPECT_EQ(Indices(r), (std::vector<size_t>{0}));
  EXPECT_EQ(r.why,
            "client 0's Lock [0, 1] -> false cannot have found the lock held: locks start free, "
            "and no Lock can have taken effect before it.");
}

TEST(Explanation, ConcurrentOperationsAreNotOrderedByEqualTimes) {
  // Return 5 and invoke 5 are concurrent: the Unlock may go first, so this is linearizable.
  History h;
  h.operations = {Done(0, kLock, 0, 5, true), Done(1, kUnlock, 5, 7, false)};
  EXPECT_TRUE(CheckLockLinearizability(h).linearizable);
  // One unit later it is not.
  h.operations[1].invoke = 6;
  EXPECT_FALSE(CheckLockLinearizability(h).linearizable);
}

TEST(Explanation, PendingOperationsAreUsedOnlyIfNeeded) {
  History h;
  // A pending Unlock explains a second successful Lock...
  h.operations = {Done(0, kLock, 0, 5, true), Pending(1, kUnlock, 3), Done(2, kLock, 6, 9, true)};
  EXPECT_TRUE(CheckLockLinearizability(h).linearizable);
  // ...but only once: a third needs another Unlock.
  h.operations.push_back(Done(3, kLock, 10, 11, true));
  const LockCheckResult r = CheckLockLinearizability(h);
  ASSERT_FALSE(r.linearizable);
  // The pending Unlock may go between any two of the Locks, so no pair is a certificate: all
  // three are needed (the greedy prefix alone would blame the last two, which is wrong).
  EXPECT_EQ(Indices(r), (std::vector<size_t>{0, 2, 3}));
  EXPECT_EQ(r.why,
            "These 3 Locks all returned true by time 11, so the lock was freed at least 2 times "
            "between them; but by then only 1 other Unlock that did not return false had been "
            "invoked.");
}

TEST(Explanation, AConcurrentOperationOutsideThePairIsNotIgnored) {
  // The two Unlocks cannot be ordered on their own whatever came before, but the Lock can go
  // between them (so "no Lock between them" would be false); what fails is that the lock starts
  // free and one Lock cannot serve both Unlocks.
  History h;
  h.operations = {Done(0, kUnlock, 0, 10, true), Done(1, kLock, 0, 10, true),
                  Done(2, kUnlock, 11, 12, true)};
  const LockCheckResult r = CheckLockLinearizability(h);
  ASSERT_FALSE(r.linearizable);
  EXPECT_EQ(Indices(r), (std::vector<size_t>{0, 2}));
  EXPECT_FALSE(r.whatever_came_before);
  EXPECT_EQ(r.why,
            "These 2 Unlocks all returned true by time 12, so the lock, which starts free, was "
            "locked at least 2 times before and between them; but by then only 1 other Lock that "
            "did not return false had been invoked.");
}

TEST(Explanation, OnlyTheFirstFailingLockIsExplainedButAllAreListed) {
  History h;
  h.operations = {Done(0, kUnlock, 0, 1, true, "z"), Done(0, kUnlock, 0, 1, true, "m"),
                  Done(0, kLock, 0, 1, true, "b")};
  const LockCheckResult r = CheckLockLinearizability(h);
  ASSERT_FALSE(r.linearizable);
  EXPECT_EQ(r.lock, "m");
  EXPECT_EQ(r.failing_locks, (std::vector<std::string>{"m", "z"}));
  EXPECT_TRUE(FormatExplanation(r).starts_with("NOT linearizable: lock \"m\" (and 1 more locks)\n"))
      << FormatExplanation(r);
}

TEST(Explanation, AShortageOfLocksNeedsEveryUnlock) {
  // 25 Locks and 26 Unlocks, all successful. Any earlier Lock could have taken effect late, so
  // no small subset is a certificate: it is the count that fails, and every Unlock is reported.
  History h;
  for (int64_t i = 0; i < 50; ++i) {
    h.operations.push_back(Done(i % 3, i % 2 == 0 ? kLock : kUnlock, 10 * i, 10 * i + 5, true));
  }
  h.operations.push_back(Done(7, kUnlock, 600, 601, true));
  const LockCheckResult r = CheckLockLinearizability(h);
  ASSERT_FALSE(r.linearizable);
  EXPECT_TRUE(r.minimal);
  EXPECT_EQ(r.unorderable.size(), 26u);
  for (const UnorderableOperation& u : r.unorderable) EXPECT_EQ(u.operation.op, kUnlock);
  // Told as the count it is, not as a walk through 26 operations.
  EXPECT_EQ(r.why,
            "These 26 Unlocks all returned true by time 601, so the lock, which starts free, was "
            "locked at least 26 times before and between them; but by then only 25 other Locks "
            "that did not return false had been invoked.");
}

TEST(Explanation, TooManySuccessfulLocksAreCounted) {
  // Four Locks succeed while only two Unlocks (and one that failed, which never changes the
  // lock) are under way.
  History h;
  for (int64_t c = 0; c < 4; ++c) h.operations.push_back(Done(c, kLock, 0, 10, true));
  h.operations.push_back(Done(4, kUnlock, 0, 10, true));
  h.operations.push_back(Pending(5, kUnlock, 1));
  h.operations.push_back(Done(6, kUnlock, 2, 3, false));
  h.operations.push_back(Done(7, kUnlock, 11, 12, true));  // too late to help
  const LockCheckResult r = CheckLockLinearizability(h);
  ASSERT_FALSE(r.linearizable);
  EXPECT_EQ(Indices(r), (std::vector<size_t>{0, 1, 2, 3}));
  EXPECT_EQ(r.why,
            "These 4 Locks all returned true by time 10, so the lock was freed at least 3 times "
            "between them; but by then only 2 other Unlocks that did not return false had been "
            "invoked.");
}

}  // namespace
}  // namespace locksim::check
