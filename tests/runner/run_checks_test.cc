// The checks of a finished run, on hand-made runs: each verdict and message a person reads.
#include "runner/run_checks.h"

#include <gtest/gtest.h>

namespace locksim::runner {
namespace {

check::HistoryOperation Op(int64_t client, check::LockOp op, std::string lock, int64_t invoke,
                           std::optional<int64_t> ret, std::optional<bool> result) {
  return check::HistoryOperation{client, op, std::move(lock), invoke, ret, result};
}

constexpr auto kLock = check::LockOp::kLock;
constexpr auto kUnlock = check::LockOp::kUnlock;

FinishedRun Finished(const check::History& history) {
  FinishedRun run;
  run.history = &history;
  run.gave_up.assign(history.operations.size(), false);
  run.end_time = sim::Time::FromMicros(10'000);
  return run;
}

TEST(RunChecks, CleanRunPassesEveryCheck) {
  check::History history{{Op(0, kLock, "a", 0, 10, true), Op(1, kLock, "a", 20, 30, false),
                          Op(0, kUnlock, "a", 40, 50, true)}};
  FinishedRun run = Finished(history);
  run.live_held.emplace(HeldLocks{}, HeldLocks{});
  RunResult result;
  RunAllChecks(run, &result);
  EXPECT_TRUE(result.passed);
  ASSERT_EQ(result.checks.size(), 5u);
  for (const CheckVerdict& c : result.checks) EXPECT_TRUE(c.passed) << c.name << ": " << c.summary;
}

TEST(RunChecks, AnUnexplainedTimeoutIsAProgressViolation) {
  check::History history{{Op(0, kLock, "a", 0, 10, true)}};
  FinishedRun run = Finished(history);
  run.unexplained_timeouts.push_back(
      sim::UnexplainedTimeout{service::ClientNode(0), service::kPrimaryNode,
                              sim::Time::FromMicros(1000), sim::Time::FromMicros(101000)});
  RunResult result;
  RunAllChecks(run, &result);
  EXPECT_FALSE(result.passed);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].kind, kViolationProgress);
  EXPECT_NE(result.violations[0].message.find("client0's call to primary"), std::string::npos)
      << result.violations[0].message;
}

TEST(RunChecks, TwoSuccessfulLocksInARowAreNotLinearizable) {
  check::History history{{Op(0, kLock, "a", 0, 10, true), Op(1, kLock, "a", 20, 30, true)}};
  RunResult result;
  RunAllChecks(Finished(history), &result);
  EXPECT_FALSE(result.passed);
  ASSERT_FALSE(result.violations.empty());
  EXPECT_EQ(result.violations[0].kind, kViolationLinearizability);
  EXPECT_NE(result.violations[0].message.find("client 1"), std::string::npos)
      << result.violations[0].message;
}

TEST(RunChecks, UnmetExpectationNamesTheStepAndTheValueSeen) {
  check::History history{{Op(0, kLock, "a", 0, 10, false)}};
  FinishedRun run = Finished(history);
  run.expectations.push_back(Expectation{0, 3, true});
  RunResult result;
  CheckExpectations(run, &result);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].kind, kViolationExpectation);
  EXPECT_EQ(result.violations[0].message,
            "steps[3]: client 0's lock(\"a\") should return true but returned false");
}

TEST(RunChecks, OpenCallIsALivenessViolationNamingTheCall) {
  check::History history{{Op(2, kUnlock, "b", 1500, std::nullopt, std::nullopt)}};
  FinishedRun run = Finished(history);
  RunResult result;
  CheckLiveness(run, &result);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].kind, kViolationLiveness);
  EXPECT_EQ(result.violations[0].message,
            "client 2's unlock(\"b\") invoked at 1.500 ms never returned before the run ended "
            "at 10.000 ms");
}

TEST(RunChecks, ClerkThatGaveUpIsALivenessViolation) {
  check::History history{{Op(0, kLock, "a", 0, std::nullopt, std::nullopt)}};
  FinishedRun run = Finished(history);
  run.gave_up[0] = true;
  RunResult result;
  CheckLiveness(run, &result);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_NE(result.violations[0].message.find("gave up"), std::string::npos);
}

TEST(RunChecks, UnfinishedScriptIsALivenessViolation) {
  check::History history;
  FinishedRun run = Finished(history);
  run.unfinished_step = 4;
  RunResult result;
  CheckLiveness(run, &result);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message,
            "the run ended before steps[4] could run: the script was still waiting for a call "
            "to return");
}

TEST(RunChecks, BudgetExhaustionIsReported) {
  check::History history;
  FinishedRun run = Finished(history);
  run.stop_reason = sim::StopReason::kEventBudget;
  RunResult result;
  CheckLiveness(run, &result);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].kind, kViolationBudget);
}

TEST(RunChecks, LiveServersThatDisagreeAreReported) {
  check::History history;
  FinishedRun run = Finished(history);
  run.live_held.emplace(HeldLocks{"a"}, HeldLocks{"b"});
  RunResult result;
  CheckReplicaAgreement(run, &result);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].kind, kViolationReplicaAgreement);
  EXPECT_EQ(result.violations[0].message,
            "both servers are alive at the end but disagree: \"a\" is held at the primary but "
            "free at the backup, \"b\" is free at the primary but held at the backup");
}

TEST(RunChecks, ServersHoldingTheSameLocksAgree) {
  check::History history;
  FinishedRun run = Finished(history);
  run.live_held.emplace(HeldLocks{"a", "c"}, HeldLocks{"a", "c"});
  RunResult result;
  CheckReplicaAgreement(run, &result);
  EXPECT_TRUE(result.violations.empty());
}

}  // namespace
}  // namespace locksim::runner
