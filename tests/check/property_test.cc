// The fast checkers against the exhaustive reference, over hundreds of thousands of random small
// histories. The greedy procedure is the checker users rely on; a single disagreement here is a
// wrong verdict, and the test prints the history so it can be turned into a regression test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "check/history_json.h"
#include "check/lock_linearizability.h"
#include "check/wgl_linearizability.h"
#include "tests/check/brute_force.h"
#include "tests/check/history_generator.h"

namespace locksim::check {
namespace {

using testing::ArbitraryHistory;
using testing::BruteForceLinearizable;
using testing::CorrectLockHistory;
using testing::GeneratorOptions;
using testing::TestRng;

// LOCKSIM_CHECK_PROPERTY_CASES raises the count for a deeper run (CI keeps the default).
uint64_t Cases(uint64_t default_cases) {
  const char* env = std::getenv("LOCKSIM_CHECK_PROPERTY_CASES");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : default_cases;
}

void ExpectAgreement(const History& history, uint64_t seed) {
  const bool reference = BruteForceLinearizable(history);
  const bool greedy = IsLockHistoryLinearizable(history);
  const LockCheckResult explained = CheckLockLinearizability(history);
  const WglHistoryResult wgl = CheckHistoryWithWgl(history, 10'000'000);
  ASSERT_EQ(greedy, reference) << "greedy disagrees with the exhaustive search (case seed " << seed
                               << "):\n"
                               << WriteHistoryJson(history);
  ASSERT_EQ(explained.linearizable, reference) << WriteHistoryJson(history);
  ASSERT_NE(wgl.verdict, Verdict::kGaveUp);
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

// The explanation: the reported set is unorderable on its own, and removing any one of its
// operations makes it orderable (1-minimal).
TEST(CheckerProperty, ExplanationIsUnorderableAndMinimal) {
  uint64_t explained = 0;
  for (uint64_t seed = 0; seed < Cases(40'000); ++seed) {
    TestRng rng(seed * 7 + 3);
    GeneratorOptions options;
    options.max_ops = 8;
    const History history = ArbitraryHistory(rng, options);
    const LockCheckResult result = CheckLockLinearizability(history);
    if (result.linearizable) continue;
    ++explained;
    ASSERT_FALSE(result.unorderable.empty());
    History set;
    for (const UnorderableOperation& u : result.unorderable) {
      ASSERT_EQ(u.operation.lock, result.lock);
      set.operations.push_back(u.operation);
    }
    ASSERT_FALSE(BruteForceLinearizable(set)) << "the reported set can be ordered:\n"
                                              << WriteHistoryJson(set);
    if (result.whatever_came_before) {
      ASSERT_FALSE(BruteForceLinearizable(set, {{result.lock, true}}))
          << "the reported set can be ordered from held:\n"
          << WriteHistoryJson(set);
    }
    if (!result.minimal) continue;
    for (size_t skip = 0; skip < set.operations.size(); ++skip) {
      History smaller;
      for (size_t i = 0; i < set.operations.size(); ++i) {
        if (i != skip) smaller.operations.push_back(set.operations[i]);
      }
      const bool orderable =
          BruteForceLinearizable(smaller) ||
          (result.whatever_came_before && BruteForceLinearizable(smaller, {{result.lock, true}}));
      ASSERT_TRUE(orderable) << "operation " << skip << " is not needed in:\n"
                             << WriteHistoryJson(set);
    }
  }
  EXPECT_GT(explained, 1000u);
}

}  // namespace
}  // namespace locksim::check
