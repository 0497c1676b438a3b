// Assertions stay on in every build type and say where they broke.
#include "base/assert.h"

#include <gtest/gtest.h>

namespace locksim {
namespace {

int Sign(int n) {
  if (n > 0) return 1;
  if (n < 0) return -1;
  if (n == 0) return 0;
  LOCKSIM_UNREACHABLE("an int is positive, negative or zero");
}

TEST(AssertDeathTest, FailedAssertionAbortsNamingTheCondition) {
  const int two = 2;
  EXPECT_DEATH(LOCKSIM_ASSERT(two + two == 5),
               "internal invariant broken: two \\+ two == 5 \\(.*assert_test.cc:[0-9]+\\)");
}

TEST(AssertDeathTest, UnreachableAbortsSayingWhy) {
  EXPECT_EQ(Sign(-4), -1);
  EXPECT_DEATH(LOCKSIM_UNREACHABLE("no way here"),
               "internal invariant broken: unreachable: no way here \\(.*assert_test.cc:[0-9]+\\)");
}

}  // namespace
}  // namespace locksim
