// A failed assertion in protocol code is a finding, not a crash of the tool (issue #11 item 2):
// the run stops there and reports a violation of kind "assertion" with the file, line,
// condition, node and time, its report and trace up to the failure, and its repro command; the
// other checks judge what happened before it; a sweep goes on with its other seeds. The bug is a
// test double (tests/runner/tripping_backup.h), not a product flaw.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "runner/html_report.h"
#include "runner/html_report_data.h"
#include "runner/report.h"
#include "runner/simulation.h"
#include "runner/sweep.h"
#include "runner/sweep_json.h"
#include "scenario/scenario_parser.h"
#include "service/node_id.h"
#include "sim/trace.h"
#include "tests/runner/tripping_backup.h"

namespace locksim::runner {
namespace {

using testing::TripBackupAt;

const std::string kDouble = "tests/runner/tripping_backup.h";

absl::StatusOr<scenario::Scenario> Shipped(const std::string& name) {
  return scenario::LoadScenario(std::string(LOCKSIM_SCENARIOS_DIR) + "/" + name);
}

RunOptions Options(uint64_t seed, const std::string& path) {
  RunOptions options;
  options.seed = seed;
  options.scenario_path = path;
  return options;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(Assertion, InTheProtocolIsAViolationThatNamesWhereWhatAndWhen) {
  const absl::StatusOr<scenario::Scenario> scenario = Shipped("no_faults.json");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  const RunResult result =
      RunScenario(*scenario, TripBackupAt(Options(3, "scenarios/no_faults.json"), 40));

  EXPECT_FALSE(result.passed);
  EXPECT_EQ(result.stop_reason, sim::StopReason::kAssertion);
  ASSERT_TRUE(result.assertion.has_value());
  EXPECT_EQ(result.assertion->node, service::kBackupNode);
  EXPECT_EQ(result.assertion->failed.file, kDouble);
  EXPECT_EQ(result.assertion->failed.condition, "!tripping");
  EXPECT_EQ(result.repro, "locksim run scenarios/no_faults.json --seed 3");

  ASSERT_FALSE(result.violations.empty());
  const Violation& first = result.violations.front();
  EXPECT_EQ(first.kind, kViolationAssertion) << "the root cause comes first";
  const std::string where = kDouble + ":" + std::to_string(result.assertion->failed.line) +
                            ": !tripping (in the backup at " +
                            sim::FormatSimTime(result.assertion->at) + ")";
  EXPECT_EQ(first.message.substr(0, first.message.find('\n')), where);

  // The calls it cut short are not liveness failures, nor is the script's end; the servers'
  // tables are not compared mid-flight.
  EXPECT_EQ(result.violations.size(), 1u) << result.violations.back().message;
  EXPECT_LT(result.operations_completed, result.operations_invoked);
  ASSERT_EQ(result.checks.size(), 6u);
  EXPECT_EQ(result.checks[0].name, "assertions");
  EXPECT_FALSE(result.checks[0].passed);
  EXPECT_EQ(result.checks[1].name, "linearizability");
  EXPECT_TRUE(result.checks[1].passed) << "the history up to the stop is judged";
  EXPECT_EQ(result.checks[3].name, "liveness");
  EXPECT_TRUE(result.checks[3].passed);
  EXPECT_NE(result.checks[3].summary.find("cut short by the assertion, not judged"),
            std::string::npos)
      << result.checks[3].summary;
  EXPECT_EQ(result.checks[4].name, "progress");
  EXPECT_EQ(result.checks[5].summary, "not judged: the run stopped at the assertion, mid-flight");
}

TEST(Assertion, TheRunPrintsItsWholeReportAndItsTraceUpToTheFailure) {
  const absl::StatusOr<scenario::Scenario> scenario = Shipped("no_faults.json");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  std::ostringstream jsonl;
  sim::JsonLinesTraceSink sink(jsonl, service::NodeNames(scenario->clients));
  RunOptions options = TripBackupAt(Options(3, "scenarios/no_faults.json"), 40);
  options.sinks.push_back(&sink);
  const RunResult result = RunScenario(*scenario, options);

  const std::string summary = HumanSummary(result, false);
  EXPECT_NE(summary.find("outcome    VIOLATION"), std::string::npos) << summary;
  EXPECT_NE(summary.find("ended stopped by a failed assertion in the protocol"), std::string::npos)
      << summary;
  EXPECT_NE(summary.find("FAIL  assertions"), std::string::npos) << summary;
  EXPECT_NE(summary.find("[assertion] " + kDouble + ":"), std::string::npos) << summary;
  EXPECT_NE(summary.find("reproduce   locksim run scenarios/no_faults.json --seed 3"),
            std::string::npos)
      << summary;

  const nlohmann::json json = RunResultJson(result);
  EXPECT_EQ(json["outcome"], "violation");
  EXPECT_EQ(json["violations"][0]["kind"], "assertion");
  EXPECT_EQ(json["assertion"]["file"], kDouble);
  EXPECT_EQ(json["assertion"]["node"], "backup");
  EXPECT_EQ(json["assertion"]["at_us"], result.assertion->at.micros());

  const std::vector<std::string> lines = Lines(jsonl.str());
  ASSERT_GE(lines.size(), 2u);
  EXPECT_NE(lines[lines.size() - 2].find("\"event\":\"assertion\",\"node\":\"backup\""),
            std::string::npos)
      << lines[lines.size() - 2];
  EXPECT_NE(lines.back().find("\"event\":\"run_end\""), std::string::npos);

  // Deterministic like any run: the same seed stops at the same point.
  const RunResult again =
      RunScenario(*scenario, TripBackupAt(Options(3, "scenarios/no_faults.json"), 40));
  EXPECT_EQ(again.fingerprint, result.fingerprint);
  EXPECT_EQ(again.events, result.events);
}

TEST(Assertion, AScriptedExpectationItCutShortIsNotAFailedExpectation) {
  const absl::StatusOr<scenario::Scenario> scenario = scenario::ParseScenario(
      R"({"clients": 1, "steps": [{"client": 0, "lock": "a", "expect": true},
          {"client": 0, "lock": "b", "expect": true}, {"client": 0, "unlock": "a"}]})",
      "cut.json");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  const RunResult result = RunScenario(*scenario, TripBackupAt(Options(1, "cut.json"), 2));
  ASSERT_EQ(result.violations.size(), 1u) << result.violations.back().message;
  EXPECT_EQ(result.violations[0].kind, kViolationAssertion);
  EXPECT_EQ(result.checks[2].name, "expectations");
  EXPECT_EQ(result.checks[2].summary, "all 1 met; 1 not judged: the assertion stopped their calls");
}

TEST(Assertion, ASweepListsItWithSeedAndReproAndGoesOn) {
  const absl::StatusOr<scenario::Scenario> scenario = Shipped("no_faults.json");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  SweepOptions options;
  options.scenario_path = "scenarios/no_faults.json";
  options.seeds = 40;
  options.jobs = 2;  // runs on two threads: each run's scope is its own
  // Forward 30 is on lock l1 in some seeds only.
  options.run_scenario = [](const scenario::Scenario& s, const RunOptions& run) {
    return RunScenario(s, TripBackupAt(run, 30, "l1"));
  };
  const SweepResult result = RunSweep(*scenario, options);
  EXPECT_EQ(result.seeds_run, 40u) << "every seed ran";
  ASSERT_FALSE(result.failures.empty());
  EXPECT_LT(result.failures.size(), 40u) << "seeds whose forward 30 is not on l1 pass";
  for (const SeedFailure& failure : result.failures) {
    EXPECT_EQ(failure.kind, kViolationAssertion);
    EXPECT_EQ(failure.message.rfind(kDouble + ":", 0), 0u) << failure.message;
    EXPECT_EQ(failure.repro,
              "locksim run scenarios/no_faults.json --seed " + std::to_string(failure.seed));
  }
  const nlohmann::json json = SweepResultJson(result);
  EXPECT_EQ(json["outcome"], "violation");
  EXPECT_EQ(json["failures"][0]["kind"], "assertion");
  EXPECT_EQ(json["failing_seeds"].size(), result.failures.size());
}

TEST(Assertion, TheReportPageMarksIt) {
  const absl::StatusOr<scenario::Scenario> scenario = Shipped("no_faults.json");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  HtmlReportSink sink;
  RunOptions options = TripBackupAt(Options(3, "scenarios/no_faults.json"), 40);
  options.sinks.push_back(&sink);
  const RunResult result = RunScenario(*scenario, options);
  const nlohmann::json data =
      HtmlReportData(result, *scenario, sink.events(), service::NodeNames(scenario->clients));
  int assertion_marks = 0;
  for (const nlohmann::json& mark : data["marks"]) {
    if (mark[0] != static_cast<int>(HtmlMark::kAssertion)) continue;
    ++assertion_marks;
    EXPECT_EQ(mark[1], service::kBackupNode);
    EXPECT_EQ(mark[3], result.assertion->at.micros());
    EXPECT_EQ(mark[6], result.assertion->failed.Describe());
  }
  EXPECT_EQ(assertion_marks, 1);
  EXPECT_EQ(data["run"]["violations"][0]["kind"], "assertion");
}

}  // namespace
}  // namespace locksim::runner
