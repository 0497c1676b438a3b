// Named messages in runs: a scenario's `network.messages` and anchored crash/deaf steps act on
// exactly the message they name, and a message log says what every message was.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runner/simulation.h"
#include "scenario/scenario_parser.h"

namespace locksim::runner {
namespace {

scenario::Scenario Parse(const std::string& json) {
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(json, "x.json");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : scenario::Scenario{};
}

RunResult RunJson(const std::string& json, std::vector<sim::MessageRecord>* log = nullptr) {
  RunOptions options;
  options.seed = 7;
  options.message_log = log;
  return RunScenario(Parse(json), options);
}

constexpr char kTwoCalls[] = R"(
    {"client": 0, "lock": "a", "expect": true},
    {"client": 0, "unlock": "a", "expect": true})";

TEST(MessageRulesRun, LostReplyIsResentAndAnswered) {
  const RunResult result = RunJson(std::string(R"({"clients": 1, "network": {"messages": [
      {"message": "reply", "client": 0, "call": 2, "lose": true}]}, "steps": [)") +
                                   kTwoCalls + "]}");
  EXPECT_TRUE(result.passed) << result.repro;
  EXPECT_EQ(result.network.dropped, 1u);
  EXPECT_EQ(result.operations_completed, 2);
}

TEST(MessageRulesRun, DuplicateAndLatencyApplyToTheNamedMessageOnly) {
  std::vector<sim::MessageRecord> log;
  const RunResult result = RunJson(std::string(R"({"clients": 1, "network": {"messages": [
      {"message": "request", "client": 0, "call": 1, "duplicate": true, "latency_ms": [1, 9]},
      {"message": "forward", "client": 0, "call": 2, "latency_ms": 6}]}, "steps": [)") +
                                       kTwoCalls + "]}",
                                   &log);
  EXPECT_TRUE(result.passed) << result.repro;
  EXPECT_EQ(result.network.duplicated, 1u);
  int sent = 0;
  for (const sim::MessageRecord& r : log) {
    if (r.event != sim::MessageRecord::Event::kSent) continue;
    ++sent;
    if (r.key.type == sim::MessageType::kRequest && r.key.call == 1) {
      EXPECT_EQ(r.fate.copies, 2);
      EXPECT_EQ(r.fate.latency[1], sim::Duration::Millis(9));
    } else if (r.key.type == sim::MessageType::kForward && r.key.call == 2) {
      EXPECT_EQ(r.fate.latency[0], sim::Duration::Millis(6));
    } else {
      EXPECT_EQ(r.fate.copies, 1);
      EXPECT_EQ(r.fate.latency[0], sim::Duration::Millis(1));
    }
  }
  // Two calls, each a request, a forward, its acknowledgement and a reply.
  EXPECT_EQ(sent, 8);
}

TEST(MessageRulesRun, CrashAfterTheNamedForward) {
  const RunResult result = RunJson(std::string(R"({"clients": 1, "steps": [
      {"crash": "primary", "after": {"message": "forward", "client": 0, "call": 2}},)") +
                                   kTwoCalls + "]}");
  EXPECT_TRUE(result.passed) << result.repro;
  ASSERT_EQ(result.faults.size(), 1u);
  EXPECT_EQ(result.faults[0].description,
            "crash primary right after it sent the forward of client 0's call 2 (steps[0])");
}

TEST(MessageRulesRun, DeafAtTheNamedRequest) {
  const RunResult result = RunJson(std::string(R"({"clients": 1, "steps": [
      {"deaf": "primary", "at": {"message": "request", "client": 0, "call": 2}},)") +
                                   kTwoCalls + "]}");
  EXPECT_TRUE(result.passed) << result.repro;
  ASSERT_EQ(result.faults.size(), 1u);
  EXPECT_EQ(result.faults[0].description,
            "primary turns deaf at the request of client 0's call 2 to primary (steps[0]): its "
            "reply is lost");
}

TEST(MessageRulesRun, AnAnchorThatNeverComesFiresNothing) {
  const RunResult result = RunJson(std::string(R"({"clients": 1, "steps": [
      {"crash": "backup", "after": {"message": "forward", "client": 0, "call": 9}},)") +
                                   kTwoCalls + "]}");
  EXPECT_TRUE(result.passed) << result.repro;
  EXPECT_TRUE(result.faults.empty());
}

}  // namespace
}  // namespace locksim::runner
