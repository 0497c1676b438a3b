// Assertions stay on in every build type and say where they broke. Outside the system under test
// a failure is a locksim bug (abort, asking for a report); inside a SystemUnderTestScope it is a
// finding (AssertionFailure, caught by the world).
#include "base/assert.h"

#include <gtest/gtest.h>

#include <thread>

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
  EXPECT_DEATH(
      LOCKSIM_ASSERT(two + two == 5),
      "internal invariant broken: two \\+ two == 5 \\(tests/base/assert_test.cc:[0-9]+\\)");
}

TEST(AssertDeathTest, UnreachableAbortsSayingWhy) {
  EXPECT_EQ(Sign(-4), -1);
  EXPECT_DEATH(LOCKSIM_UNREACHABLE("no way here"),
               "internal invariant broken: unreachable: no way here \\(.*assert_test.cc:[0-9]+\\)");
}

TEST(AssertDeathTest, AnAbortAsksForABugReportWithTheCommandLine) {
  const char* argv[] = {"locksim", "run", "scenarios/x.json", "--seed", "7"};
  EXPECT_DEATH(
      {
        SetCommandLineForBugReports(5, argv);
        LOCKSIM_ASSERT(Sign(1) == 0);
      },
      "This is a bug in locksim itself, not a finding of a simulated run\\. Please report it "
      ".*\ncommand: locksim run scenarios/x.json --seed 7");
}

TEST(Assert, InsideTheSystemUnderTestAFailureThrowsWhereAndWhat) {
  EXPECT_FALSE(InSystemUnderTest());
  int line = 0;
  try {
    const SystemUnderTestScope protocol;
    EXPECT_TRUE(InSystemUnderTest());
    line = __LINE__ + 1;
    LOCKSIM_ASSERT(Sign(-1) == 1);
    ADD_FAILURE() << "not reached";
  } catch (const AssertionFailure& failure) {
    EXPECT_EQ(failure.failed(),
              (FailedAssertion{"tests/base/assert_test.cc", line, "Sign(-1) == 1"}));
    EXPECT_EQ(failure.failed().Describe(),
              "tests/base/assert_test.cc:" + std::to_string(line) + ": Sign(-1) == 1");
    EXPECT_STREQ(failure.what(), ("assertion failed: " + failure.failed().Describe()).c_str());
  }
  EXPECT_FALSE(InSystemUnderTest()) << "unwinding left the scope";
}

TEST(Assert, UnreachableInsideTheSystemUnderTestThrowsToo) {
  const SystemUnderTestScope protocol;
  EXPECT_THROW(LOCKSIM_UNREACHABLE("a message nobody sends"), AssertionFailure);
}

TEST(Assert, ScopesNestAndRestore) {
  {
    const SystemUnderTestScope outer;
    {
      const SimulatorScope simulator;
      EXPECT_FALSE(InSystemUnderTest());
      {
        const SystemUnderTestScope inner;
        EXPECT_TRUE(InSystemUnderTest());
      }
      EXPECT_FALSE(InSystemUnderTest());
    }
    EXPECT_TRUE(InSystemUnderTest());
  }
  EXPECT_FALSE(InSystemUnderTest());
}

TEST(Assert, TheScopeBelongsToItsThread) {
  const SystemUnderTestScope protocol;
  bool other_thread = true;
  std::thread([&] { other_thread = InSystemUnderTest(); }).join();
  EXPECT_FALSE(other_thread) << "a sweep's other runs are not inside this run's handler";
}

TEST(AssertDeathTest, TheSimulatorsOwnCodeInsideAHandlerStillAborts) {
  EXPECT_DEATH(
      {
        const SystemUnderTestScope protocol;
        const SimulatorScope simulator;  // the world sending on the node's behalf
        LOCKSIM_ASSERT(Sign(0) == 1);
      },
      "internal invariant broken: Sign\\(0\\) == 1 .*\nThis is a bug in locksim itself");
}

}  // namespace
}  // namespace locksim
