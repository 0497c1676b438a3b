// Liveness end to end (issue #11): within the failure model a clerk never gives up while a server
// may still answer, so bad luck with lost replies never fails a pass scenario; outside it, a
// network that loses every reply ends in a budgeted run that says why, never a hang.
#include <gtest/gtest.h>

#include <string>

#include "runner/simulation.h"
#include "scenario/scenario_parser.h"

namespace locksim::runner {
namespace {

scenario::Scenario Parse(const std::string& json) {
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(json, "liveness.json");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : scenario::Scenario{};
}

std::string Describe(const RunResult& result) {
  std::string text = "reproduce with: " + result.repro + "\n";
  for (const Violation& v : result.violations) text += "  [" + v.kind + "] " + v.message + "\n";
  return text;
}

// Seeds of scenarios/crash_and_lost_replies.json whose clerks gave up when the clerk stopped
// after 10 attempts: a server crashed and five replies in a row from the live one were lost.
TEST(Liveness, LostRepliesAfterACrashNeverMakeAClerkGiveUp) {
  const std::string path = std::string(LOCKSIM_SCENARIOS_DIR) + "/crash_and_lost_replies.json";
  absl::StatusOr<scenario::Scenario> scenario = scenario::LoadScenario(path);
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  for (uint64_t seed : {17154u, 18376u, 34480u, 38755u}) {
    RunOptions options;
    options.seed = seed;
    options.scenario_path = path;
    const RunResult result = RunScenario(*scenario, options);
    EXPECT_TRUE(result.passed) << Describe(result);
    EXPECT_EQ(result.operations_failed, 0) << result.repro;
    EXPECT_EQ(result.operations_completed, result.operations_invoked) << result.repro;
  }
}

TEST(Liveness, BothServersDownEndsCallsFast) {
  // Both servers refuse: the clerk gives up after asking each once, the right answer.
  const scenario::Scenario scenario = Parse(R"({"clients": 1, "steps": [
      {"crash": "primary"}, {"crash": "backup"}, {"client": 0, "lock": "a"}]})");
  RunOptions options;
  const RunResult result = RunScenario(scenario, options);
  EXPECT_EQ(result.operations_failed, 1);
  EXPECT_EQ(result.network.calls, 2u) << "one call to each server";
  EXPECT_EQ(result.stop_reason, sim::StopReason::kQuiescent);
  ASSERT_FALSE(result.violations.empty());
  EXPECT_EQ(result.violations[0].kind, kViolationLiveness);
  EXPECT_NE(result.violations[0].message.find("both servers refused"), std::string::npos)
      << result.violations[0].message;
}

TEST(Liveness, ANetworkThatLosesEveryReplyEndsAtTheBudgetAndSaysSo) {
  const scenario::Scenario scenario = Parse(R"({"clients": 2, "network": {"drop": {"reply": 1}},
      "workload": {"ops_per_client": 10}})");
  RunOptions options;
  const RunResult result = RunScenario(scenario, options);
  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.stop_reason, sim::StopReason::kTimeBudget);
  EXPECT_EQ(result.operations_failed, 0) << "timeouts never make a clerk give up";
  EXPECT_LE(result.events, scenario.budget.max_events);
  ASSERT_FALSE(result.violations.empty());
  // The budget comes first: it is why the calls listed after it never returned.
  EXPECT_EQ(result.violations[0].kind, kViolationBudget) << Describe(result);
  const std::string& message = result.violations[0].message;
  EXPECT_NE(message.find("simulated-time budget (3600.000000 s)"), std::string::npos) << message;
  EXPECT_NE(message.find("with 2 calls still open"), std::string::npos) << message;
  EXPECT_NE(message.find("\"budget\": {\"max_time_ms\": T}"), std::string::npos) << message;
  ASSERT_GE(result.violations.size(), 3u);
  EXPECT_EQ(result.violations[1].kind, kViolationLiveness);
  EXPECT_NE(result.violations[1].message.find("never returned"), std::string::npos);
}

TEST(Liveness, TinyTimeoutsEndAtTheEventBudget) {
  const scenario::Scenario scenario = Parse(R"({"clients": 1, "rpc_timeout_ms": 0.001,
      "network": {"drop": {"reply": 1}}, "workload": {"ops_per_client": 1},
      "budget": {"max_events": 20000}})");
  RunOptions options;
  const RunResult result = RunScenario(scenario, options);
  EXPECT_EQ(result.stop_reason, sim::StopReason::kEventBudget);
  EXPECT_EQ(result.events, 20000u);
  ASSERT_FALSE(result.violations.empty());
  EXPECT_EQ(result.violations[0].kind, kViolationBudget);
  EXPECT_NE(result.violations[0].message.find("event budget (20000 events)"), std::string::npos)
      << result.violations[0].message;
  EXPECT_NE(result.violations[0].message.find("\"budget\": {\"max_events\": N}"),
            std::string::npos);
}

}  // namespace
}  // namespace locksim::runner
