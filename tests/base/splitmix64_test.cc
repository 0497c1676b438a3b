// Pins splitmix64 against its published reference output: the simulator's PRNG is seeded and
// forked through it, so a change here would change every recorded run.
#include "base/splitmix64.h"

#include <gtest/gtest.h>

namespace locksim {
namespace {

TEST(SplitMix64, MatchesPublishedReferenceForSeedZero) {
  SplitMix64 mix(0);
  EXPECT_EQ(mix.Next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(mix.Next(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(mix.Next(), 0x06c45d188009454fULL);
}

TEST(SplitMix64, IsUsableAtCompileTime) {
  constexpr uint64_t kFirst = SplitMix64(0).Next();
  static_assert(kFirst == 0xe220a8397b1dcdafULL);
}

}  // namespace
}  // namespace locksim
