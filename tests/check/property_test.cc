// The fast checkers against the exhaustive reference, over hundreds of thousands of random small
// histories. The greedy procedure is the checker users rely on; a single disagreement here is a
// wrong verdict, and the test prints the history so it can be turned into a regression test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "check/greedy_lock_checker.h"
#include "check/history_json.h"
#include "check/lock_history.h"
#include "check/lock_linearizability.h"
#include "check/unorderable_set.h"
#include "check/wgl_linearizability.h"
#include "tests/check/brute_force.h"
#include "tests/check/history_generator.h"
#include "tests/check/relaxed_history.h"

namespace locksim::check {
namespace {

using testing::ArbitraryHistory;
using testing::BruteForceLinearizable;
using testing::CorrectLockHistory;
using testing::GeneratorOptions;
using testing::Relaxed;
using testing::TestRng;

// LOCKSIM_CHECK_PROPERTY_CASES raises the count for a deeper run (CI keeps the default).
uint64_t Cases(uint64_t default_cases) {
  const char* env = std::getenv("LOCKSIM_CHECK_PROPERTY_CASES");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : default_cases;
}

// Checks, independently of check/, that `order` (positions into `ops`) is a linearization of
// one lock's operations from `held`: every completed operation once, pending ones at most once,
// real time respected, every result what the lock would return.
bool IsWitness(std::span<const LockOpRecord> ops, const std::vector<uint32_t>& order, bool held) {
  std::vector<int> seen(ops.size(), 0);
  for (size_t k = 0; k < order.size(); ++k) {
    const LockOpRecord& op = ops[order[k]];
    if (++seen[order[k]] > 1) return false;
    for (size_t later = k + 1; later < order.size(); ++later) {
      if (ops[order[later]].ret < op.invoke) return false;  // a later one had to go first
    }
    const bool is_lock = op.op_class == OpClass::kLockTrue || op.op_class == OpClass::kLockFalse ||
                         op.op_class == OpClass::kPendingLock;
    const bool result = is_lock ? !held : held;
    if ((op.op_class == OpClass::kLockTrue || op.op_class == OpClass::kUnlockTrue) && !result) {
      return false;
    }
    if ((op.op_class == OpClass::kLockFalse || op.op_class == OpClass::kUnlockFalse) && result) {
      return false;
    }
    held = is_lock;
  }
  for (size_t i = 0; i < ops.size(); ++i) {
    if (!IsPending(ops[i].op_class) && seen[i] != 1) return false;
  }
  return true;
}

void ExpectAgreement(const History& history, uint64_t seed) {
  // Per lock, from free and from held (the explanation relies on the latter): the greedy verdict
  // against the exhaustive search, and the greedy order must be a real linearization.
  for (const LockHistory& lock : SplitByLock(history)) {
    History one;
    for (const LockOpRecord& op : lock.ops) one.operations.push_back(history.operations[op.index]);
    for (const bool held : {false, true}) {
      std::vector<uint32_t> order;
      const GreedyOutcome outcome =
          RunGreedyLockChecker(lock.ops, held ? LockState::kHeld : LockState::kFree, &order);
      const bool reference = BruteForceLinearizable(one, {{std::string(lock.lock), held}});
      ASSERT_EQ(outcome.linearizable, reference)
          << "greedy disagrees with the exhaustive search from " << (held ? "held" : "free")
          << " on lock " << lock.lock << " (case seed " << seed << "):\n"
          << WriteHistoryJson(one);
      if (outcome.linearizable) {
        ASSERT_TRUE(IsWitness(lock.ops, order, held))
            << "greedy's order is not a linearization (case seed " << seed << "):\n"
            << WriteHistoryJson(one);
      }
    }
  }

  const bool reference = BruteForceLinearizable(history);
  const bool greedy = IsLockHistoryLinearizable(history);
  const LockCheckResult explained = CheckLockLinearizability(history);
  const WglHistoryResult wgl = CheckHistoryWithWgl(history, WglBudget{.steps = 10'000'000});
  ASSERT_EQ(greedy, reference) << "greedy disagrees with the exhaustive search (case seed " << seed
                               << "):\n"
                               << WriteHistoryJson(history);
  ASSERT_EQ(explained.linearizable, reference) << WriteHistoryJson(history);
  ASSERT_NE(wgl.verdict, Verdict::kUndecided);
  ASSERT_EQ(wgl.verdict == Verdict::kLinearizable, reference)
      << "WGL disagrees with the exhaustive search (case seed " << seed << "):\n"
      << WriteHistoryJson(history);
}

TEST(CheckerProperty, AgreesWithExhaustiveSearchOnArbitraryHistories) {
  const uint64_t cases = Cases(250'000);
  uint64_t linearizable = 0;
  for (uint64_t seed = 0; seed < cases; ++seed) {
    TestRng rng(seed * 2 + 1);
    GeneratorOptions options;
    options.locks = seed % 4 == 0 ? 2 : 1;
    const History history = ArbitraryHistory(rng, options);
    ExpectAgreement(history, seed);
    if (HasFatalFailure()) return;
    linearizable += BruteForceLinearizable(history) ? 1 : 0;
  }
  // Both verdicts must be well represented, or the test proves little.
  EXPECT_GT(linearizable, cases / 10);
  EXPECT_LT(linearizable, cases * 9 / 10);
}

TEST(CheckerProperty, AgreesWithExhaustiveSearchOnHistoriesFromACorrectLock) {
  const uint64_t cases = Cases(250'000);
  for (uint64_t seed = 0; seed < cases; ++seed) {
    TestRng rng(seed * 2 + 2);
    GeneratorOptions options;
    options.locks = seed % 3 == 0 ? 2 : 1;
    options.clients = 2 + static_cast<int>(seed % 3);
    const History history = CorrectLockHistory(rng, options);
    ExpectAgreement(history, seed);
    if (HasFatalFailure()) return;
  }
}

// Larger histories than the exhaustive search can take: the generator is the oracle, since
// operations that really ran against a correct lock are linearizable by construction.
TEST(CheckerProperty, LargeHistoriesFromACorrectLockAreLinearizable) {
  for (uint64_t seed = 0; seed < Cases(20'000); ++seed) {
    TestRng rng(seed + 1'000'000);
    GeneratorOptions options;
    options.max_ops = 40;
    options.locks = 3;
    options.clients = 8;
    options.time_span = 40;
    const History history = CorrectLockHistory(rng, options, /*perturb=*/false);
    ASSERT_TRUE(IsLockHistoryLinearizable(history)) << "case seed " << seed << ":\n"
                                                    << WriteHistoryJson(history);
  }
}

// The one-pass checker feeds operations in the order the history lists them while that is invoke
// order, and starts again sorted when it is not: the verdict and the failing locks must not
// depend on the listing. Each history is checked as generated, sorted by invoke, reversed and
// shuffled.
TEST(CheckerProperty, VerdictDoesNotDependOnTheOrderOperationsAreListed) {
  uint64_t failing = 0;
  for (uint64_t seed = 0; seed < Cases(20'000); ++seed) {
    TestRng rng(seed * 5 + 4);
    GeneratorOptions options;
    options.max_ops = 30;
    options.locks = 4;
    options.clients = 4;
    options.time_span = 30;
    const History history =
        seed % 2 == 0 ? ArbitraryHistory(rng, options) : CorrectLockHistory(rng, options);
    const LockCheckResult expected = CheckLockLinearizability(history);
    failing += expected.linearizable ? 0 : 1;

    History sorted = history;
    std::stable_sort(
        sorted.operations.begin(), sorted.operations.end(),
        [](const HistoryOperation& a, const HistoryOperation& b) { return a.invoke < b.invoke; });
    History reversed = history;
    std::reverse(reversed.operations.begin(), reversed.operations.end());
    History shuffled = history;
    for (size_t k = shuffled.operations.size(); k > 1; --k) {
      std::swap(shuffled.operations[k - 1],
                shuffled.operations[static_cast<size_t>(rng.Below(static_cast<int64_t>(k)))]);
    }
    for (const History* listing : {&sorted, &reversed, &shuffled}) {
      const LockCheckResult result = CheckLockLinearizability(*listing);
      ASSERT_EQ(result.linearizable, expected.linearizable) << "case seed " << seed << ":\n"
                                                            << WriteHistoryJson(*listing);
      ASSERT_EQ(result.failing_locks, expected.failing_locks) << "case seed " << seed;
      ASSERT_EQ(result.locks, expected.locks) << "case seed " << seed;
      ASSERT_EQ(IsLockHistoryLinearizable(*listing), expected.linearizable)
          << "case seed " << seed << ":\n"
          << WriteHistoryJson(*listing);
    }
  }
  EXPECT_GT(failing, Cases(20'000) / 10);
}

// A regression: listed out of invoke order, this history looks stuck at its second operation
// (an Unlock->true of a free lock); that must not count, since the Lock->true that explains it
// is listed later.
TEST(CheckerProperty, AFailureSeenBeforeTheListingTurnsOutUnsortedIsNotTrusted) {
  History history;
  history.operations = {
      {5, LockOp::kUnlock, "a", 21, 24, true}, {3, LockOp::kUnlock, "a", 25, 40, true},
      {4, LockOp::kLock, "a", 19, 30, true},   {3, LockOp::kUnlock, "c", 33, 42, false},
      {1, LockOp::kLock, "a", 4, 17, true},    {3, LockOp::kLock, "a", 6, 17, false},
  };
  EXPECT_TRUE(IsLockHistoryLinearizable(history));
  EXPECT_TRUE(CheckLockLinearizability(history).linearizable);
}

// The explanation is a certificate: the lock's history with every operation outside the
// reported set relaxed (tests/check/relaxed_history.h) is not linearizable, which proves the
// history is not; and relaxing any one reported operation too makes it linearizable (1-minimal).
// Checked with the exhaustive search.

// When the sentence explains by counting, the counts are recomputed here from the history:
//  - "These k Locks (Unlocks) all returned true by time T, ... only u other Unlocks (Locks) ...":
//    the set is k successful operations of one kind, T their last return, and u the number of
//    other operations of the opposite kind on the lock that did not return false and were
//    invoked by T; u is too small.
//  - "<a failed operation> found the lock held (free), but the k Unlocks (Locks) listed with it
//    returned true before it was invoked, ... at least n times by time T; but by then only u
//    other ...": the set is that operation and k successful operations of the other kind, all
//    returned before its invoke; T is its return, u counted as above, n = k + 1 (k), u < n.
void ExpectCountSentenceIsTrue(const History& history, const LockCheckResult& result, uint64_t seed,
                               uint64_t* count_sentences) {
  const auto undoers_by = [&](bool undo_locks, int64_t time) {
    size_t undoers = 0;
    for (size_t i = 0; i < history.operations.size(); ++i) {
      const HistoryOperation& op = history.operations[i];
      const bool in_set = std::any_of(result.unorderable.begin(), result.unorderable.end(),
                                      [&](const UnorderableOperation& u) { return u.index == i; });
      if (op.lock == result.lock && !in_set && (op.op == LockOp::kLock) == undo_locks &&
          op.result != false && op.invoke <= time) {
        ++undoers;
      }
    }
    return undoers;
  };
  const size_t k = result.unorderable.size();
  for (const bool locks : {true, false}) {
    const std::string head =
        absl::StrCat("These ", k, locks ? " Locks" : " Unlocks", " all returned true");
    if (!result.why.starts_with(head)) continue;
    ++*count_sentences;
    int64_t last_return = 0;
    for (const UnorderableOperation& u : result.unorderable) {
      ASSERT_EQ(u.operation.op == LockOp::kLock, locks) << "case seed " << seed;
      ASSERT_EQ(u.operation.result, true) << "case seed " << seed;
      last_return = std::max(last_return, *u.operation.ret);
    }
    const size_t undoers = undoers_by(!locks, last_return);
    ASSERT_NE(result.why.find(absl::StrCat("by time ", last_return, ",")), std::string::npos)
        << result.why << " (case seed " << seed << ")";
    ASSERT_NE(result.why.find(absl::StrCat("only ", undoers, " other")), std::string::npos)
        << result.why << " (case seed " << seed << ")";
    ASSERT_TRUE(undoers + 1 < k || (!locks && !result.whatever_came_before && undoers < k))
        << result.why << " (case seed " << seed << ")";
  }
  if (result.why.find(" listed with it returned true before it was invoked") != std::string::npos) {
    ++*count_sentences;
    // The failed operation is the one the sentence starts with; the others are moves of the
    // other kind that returned before it was invoked.
    const UnorderableOperation* stay = nullptr;
    for (const UnorderableOperation& u : result.unorderable) {
      if (u.operation.result == false) {
        ASSERT_EQ(stay, nullptr) << result.why << " (case seed " << seed << ")";
        stay = &u;
      }
    }
    ASSERT_NE(stay, nullptr) << result.why << " (case seed " << seed << ")";
    ASSERT_TRUE(result.why.starts_with(DescribeOperation(stay->operation)))
        << result.why << " (case seed " << seed << ")";
    const bool moves_are_locks = stay->operation.op == LockOp::kUnlock;
    for (const UnorderableOperation& u : result.unorderable) {
      if (&u == stay) continue;
      ASSERT_EQ(u.operation.op == LockOp::kLock, moves_are_locks) << "case seed " << seed;
      ASSERT_EQ(u.operation.result, true) << "case seed " << seed;
      ASSERT_LT(*u.operation.ret, stay->operation.invoke) << "case seed " << seed;
    }
    const size_t moves = k - 1;
    const size_t needed = moves_are_locks ? moves : moves + 1;
    const size_t undoers = undoers_by(!moves_are_locks, *stay->operation.ret);
    ASSERT_NE(result.why.find(absl::StrCat("at least ", needed, " time")), std::string::npos)
        << result.why << " (case seed " << seed << ")";
    ASSERT_NE(result.why.find(absl::StrCat("by time ", *stay->operation.ret, ";")),
              std::string::npos)
        << result.why << " (case seed " << seed << ")";
    ASSERT_NE(result.why.find(absl::StrCat("only ", undoers, " other")), std::string::npos)
        << result.why << " (case seed " << seed << ")";
    ASSERT_LT(undoers, needed) << result.why << " (case seed " << seed << ")";
  }
}

TEST(CheckerProperty, ExplanationIsAMinimalCertificate) {
  uint64_t explained = 0;
  uint64_t larger_than_two = 0;
  uint64_t count_sentences = 0;
  for (uint64_t seed = 0; seed < Cases(40'000); ++seed) {
    TestRng rng(seed * 7 + 3);
    GeneratorOptions options;
    options.max_ops = 7;
    const History history =
        seed % 2 == 0 ? ArbitraryHistory(rng, options) : CorrectLockHistory(rng, options);
    const LockCheckResult result = CheckLockLinearizability(history);
    if (result.linearizable) continue;
    ++explained;
    ASSERT_FALSE(result.unorderable.empty());
    ASSERT_TRUE(result.minimal);
    std::vector<size_t> set;
    for (const UnorderableOperation& u : result.unorderable) {
      ASSERT_EQ(u.operation.lock, result.lock);
      ASSERT_FALSE(u.operation.pending());
      set.push_back(u.index);
    }
    larger_than_two += set.size() > 2 ? 1 : 0;
    // The key operations are operations of the set, the last of them one that cannot be placed.
    ASSERT_FALSE(result.key_operations.empty());
    ASSERT_LE(result.key_operations.size(), 4u);
    for (const KeyUnorderableOperation& key : result.key_operations) {
      ASSERT_NE(std::find(set.begin(), set.end(), key.index), set.end()) << "case seed " << seed;
    }
    ExpectCountSentenceIsTrue(history, result, seed, &count_sentences);
    if (HasFatalFailure()) return;
    const History certificate = Relaxed(history, result.lock, set);
    ASSERT_FALSE(BruteForceLinearizable(certificate))
        << "not a certificate (case seed " << seed << "):\n"
        << WriteHistoryJson(history) << FormatExplanation(result);
    if (result.whatever_came_before) {
      ASSERT_FALSE(BruteForceLinearizable(certificate, {{result.lock, true}}))
          << "not a certificate from held (case seed " << seed << "):\n"
          << WriteHistoryJson(history) << FormatExplanation(result);
    }
    for (size_t skip = 0; skip < set.size(); ++skip) {
      std::vector<size_t> smaller = set;
      smaller.erase(smaller.begin() + static_cast<ptrdiff_t>(skip));
      ASSERT_TRUE(BruteForceLinearizable(Relaxed(history, result.lock, smaller)))
          << "operation #" << set[skip] << " is not needed (case seed " << seed << "):\n"
          << WriteHistoryJson(history) << FormatExplanation(result);
    }
  }
  EXPECT_GT(explained, 1000u);
  EXPECT_GT(larger_than_two, 10u);
  EXPECT_GT(count_sentences, 10u);
}

// Certificates that are counts (FindCountCertificate) on histories far too large for the
// exhaustive search, with the greedy procedure (exact, and checked against the exhaustive search
// above) as the oracle: the set is a certificate, and relaxing any one of its operations makes
// the lock's history orderable. Histories from a correct lock with one result flipped, or with
// successful Locks appended, fail by counting, often with long certificates.
TEST(CheckerProperty, CountCertificatesAreMinimalOnLargeHistories) {
  uint64_t failing = 0;
  uint64_t counted = 0;
  uint64_t long_ones = 0;
  for (uint64_t seed = 0; seed < Cases(3'000); ++seed) {
    TestRng rng(seed * 11 + 5);
    GeneratorOptions options;
    options.max_ops = 300;
    options.clients = 2 + static_cast<int>(seed % 6);
    options.time_span = 600;
    options.pending_one_in = seed % 3 == 0 ? 1'000'000 : 20;
    History history = CorrectLockHistory(rng, options, /*perturb=*/false);
    if (seed % 4 == 3) {
      int64_t end = 0;
      for (const HistoryOperation& op : history.operations) end = std::max(end, op.invoke);
      history.operations.push_back({99, LockOp::kLock, "a", end + 1000, end + 1001, true});
      history.operations.push_back({99, LockOp::kLock, "a", end + 1002, end + 1003, true});
    } else {
      HistoryOperation& victim = history.operations[static_cast<size_t>(
          rng.Below(static_cast<int64_t>(history.operations.size())))];
      if (!victim.result.has_value()) continue;
      victim.result = !*victim.result;
    }
    const LockHistory lock = HistoryOfLock(history, "a");
    if (Orderable(lock.ops, LockState::kFree)) continue;
    ++failing;
    const std::vector<uint32_t> count = FindCountCertificate(lock.ops);
    if (count.empty()) continue;
    ++counted;
    long_ones += count.size() > 20 ? 1 : 0;
    ASSERT_FALSE(Orderable(RelaxOutside(lock.ops, count), LockState::kFree))
        << "not a certificate (case seed " << seed << ")";
    for (size_t skip = 0; skip < count.size(); ++skip) {
      std::vector<uint32_t> smaller = count;
      smaller.erase(smaller.begin() + static_cast<ptrdiff_t>(skip));
      if (smaller.empty()) continue;
      ASSERT_TRUE(Orderable(RelaxOutside(lock.ops, smaller), LockState::kFree))
          << "operation at position " << count[skip] << " of " << count.size()
          << " is not needed (case seed " << seed << ")";
    }
    // And the explanation of the whole history uses it.
    const LockCheckResult result = CheckLockLinearizability(history);
    ASSERT_EQ(result.unorderable.size(), count.size()) << "case seed " << seed;
    ASSERT_TRUE(result.minimal);
  }
  // Most such failures are counts, and many are long.
  EXPECT_GT(failing, Cases(3'000) / 5);
  EXPECT_GT(counted, failing * 9 / 10);
  EXPECT_GT(long_ones, 10u);
}

}  // namespace
}  // namespace locksim::check
