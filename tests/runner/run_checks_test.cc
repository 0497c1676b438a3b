// The checks of a finished run, on hand-made runs: each verdict and message a person reads.
#include "runner/run_checks.h"

#include <gtest/gtest.h>

#include "service/node_id.h"

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
  ASSERT_EQ(result.checks.size(), 6u);
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
  EXPECT_EQ(result.violations[0].message,
            "client 0's lock(\"a\") invoked at 0 µs failed: its clerk gave up because both "
            "servers refused the call (both are down)");
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
  run.budget.max_events = 500;
  run.events = 500;
  RunResult result;
  CheckLiveness(run, &result);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].kind, kViolationBudget);
  EXPECT_EQ(result.violations[0].message,
            "the run hit its event budget (500 events) at 10.000 ms after 500 events, with no "
            "call open. If the run is meant to be that long, raise \"budget\": {\"max_events\": "
            "N} in the scenario");
  EXPECT_FALSE(result.checks.back().passed);
}

TEST(RunChecks, BudgetNamesWhatWasStillOpenBeforeTheCallsItCutShort) {
  check::History history{{Op(0, kLock, "a", 0, 10, true),
                          Op(1, kUnlock, "b", 1500, std::nullopt, std::nullopt),
                          Op(0, kLock, "c", 2000, std::nullopt, std::nullopt)}};
  FinishedRun run = Finished(history);
  run.stop_reason = sim::StopReason::kTimeBudget;
  run.budget.max_time = sim::Duration::Millis(10);
  run.events = 77;
  RunResult result;
  CheckLiveness(run, &result);
  ASSERT_EQ(result.violations.size(), 3u);
  EXPECT_EQ(result.violations[0].kind, kViolationBudget);
  EXPECT_EQ(result.violations[0].message,
            "the run hit its simulated-time budget (10.000 ms) at 10.000 ms after 77 events, with "
            "2 calls still open (the oldest: client 1's unlock(\"b\") invoked at 1.500 ms); a "
            "clerk re-sends for as long as a server may answer, so calls that never get a reply "
            "run until the budget ends the run. If the run is meant to be that long, raise "
            "\"budget\": {\"max_time_ms\": T} in the scenario");
  EXPECT_EQ(result.violations[1].kind, kViolationLiveness);
  EXPECT_EQ(result.violations[2].kind, kViolationLiveness);
}

TEST(RunChecks, AFailedAssertionComesFirstAndWhatItCutShortIsNotJudged) {
  check::History history{{Op(0, kLock, "a", 0, 10, true),
                          Op(1, kLock, "b", 20, std::nullopt, std::nullopt),
                          Op(0, kUnlock, "a", 30, std::nullopt, std::nullopt)}};
  FinishedRun run = Finished(history);
  run.gave_up[2] = true;  // its clerk gave up before the assertion: still a liveness failure
  run.stop_reason = sim::StopReason::kAssertion;
  run.assertion = sim::AssertionStop{service::kPrimaryNode, sim::Time::FromMicros(2500),
                                     FailedAssertion{"service/lock_server.cc", 104, "x > 0"}};
  run.expectations.push_back(Expectation{1, 1, true});
  run.unfinished_step = 2;
  run.live_held.emplace(HeldLocks{"a"}, HeldLocks{});
  RunResult result;
  RunAllChecks(run, &result);
  EXPECT_FALSE(result.passed);
  ASSERT_EQ(result.violations.size(), 2u);
  EXPECT_EQ(result.violations[0].kind, kViolationAssertion);
  EXPECT_EQ(result.violations[0].message,
            "service/lock_server.cc:104: x > 0 (in the primary at 2.500 ms)\nThe protocol broke "
            "one of its own invariants and the run stopped there; the other checks judge what "
            "happened before it.");
  EXPECT_EQ(result.violations[1].kind, kViolationLiveness);
  EXPECT_NE(result.violations[1].message.find("client 0's unlock(\"a\")"), std::string::npos);
  ASSERT_EQ(result.checks.size(), 6u);
  EXPECT_EQ(result.checks[0].summary,
            "service/lock_server.cc:104 failed in the primary at 2.500 ms");
  EXPECT_EQ(result.checks[2].summary, "all 0 met; 1 not judged: the assertion stopped their calls");
  EXPECT_EQ(result.checks[3].summary,
            "1 calls did not complete; 1 cut short by the assertion, not judged");
  EXPECT_TRUE(result.checks[5].passed) << "tables mid-flight are not compared";
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
  ASSERT_EQ(result.checks.size(), 1u);
  EXPECT_EQ(result.checks[0].name, "replica agreement");
  EXPECT_TRUE(result.checks[0].passed);
  EXPECT_EQ(result.checks[0].summary, "both servers hold the same table (2 locks held)");
}

}  // namespace
}  // namespace locksim::runner
