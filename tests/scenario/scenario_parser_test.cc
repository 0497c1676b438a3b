#include "scenario/scenario_parser.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace locksim::scenario {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(const std::string& json) {
  absl::StatusOr<Scenario> s = ParseScenario(json, "dir/x.json");
  return s.ok() ? "(parsed)" : std::string(s.status().message());
}

constexpr char kWorkload[] = R"("workload": {"ops_per_client": 3, "locks": 2})";

TEST(ScenarioParserTest, DefaultsAndName) {
  absl::StatusOr<Scenario> s =
      ParseScenario(R"({"steps": [{"client": 0, "lock": "a"}]})", "dir/x.json");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->name, "x");
  EXPECT_EQ(s->seed, 1u);
  EXPECT_EQ(s->clients, 1);
  EXPECT_EQ(s->rpc_timeout, sim::Duration::Millis(2000));
  EXPECT_EQ(s->expect, Expect::kPass);
  ASSERT_EQ(s->steps.size(), 1u);
  EXPECT_FALSE(s->workload.has_value());
}

TEST(ScenarioParserTest, AllStepKinds) {
  absl::StatusOr<Scenario> s = ParseScenario(R"({"clients": 2, "steps": [
      {"client": 1, "unlock": "a", "expect": false, "async": true},
      {"crash": "backup"}, {"deaf": "primary"}, {"sleep_ms": 1.5}]})",
                                             "x.json");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->steps.size(), 4u);
  const auto& call = std::get<CallStep>(s->steps[0]);
  EXPECT_EQ(call.client, 1);
  EXPECT_EQ(call.op, service::OpKind::kUnlock);
  EXPECT_EQ(call.expect, std::optional<bool>(false));
  EXPECT_TRUE(call.async);
  EXPECT_EQ(std::get<CrashStep>(s->steps[1]).server, service::kBackupNode);
  EXPECT_EQ(std::get<DeafStep>(s->steps[2]).server, service::kPrimaryNode);
  EXPECT_EQ(std::get<SleepStep>(s->steps[3]).duration, sim::Duration::Micros(1500));
}

TEST(ScenarioParserTest, WorkloadNetworkFaultsBudget) {
  absl::StatusOr<Scenario> s = ParseScenario(R"({"clients": 3, "seed": 18446744073709551615,
      "network": {"latency_ms": {"min": 1, "max": 5}, "drop": {"reply": 0.5},
                  "duplicate": {"request": 1}},
      "budget": {"max_events": 10, "max_time_ms": 7},
      "workload": {"ops_per_client": 100, "locks": ["x", "y"], "unlock_fraction": 0.25,
                   "think_ms": {"min": 0, "max": 2}},
      "faults": [{"crash": "either", "at_ms": {"min": 5, "max": 9}},
                 {"crash": "backup", "after_messages": 4},
                 {"crash": "primary", "after_forwards": {"min": 2, "max": 3}},
                 {"deaf": "primary", "at_ms": 3},
                 {"partition": [["primary"], ["clients"]], "at_ms": 1, "heal_after_ms": 2,
                  "one_way": true}],
      "expect": "violation"})",
                                             "x.json");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->seed, 18446744073709551615u);
  EXPECT_EQ(s->network.latency.max, sim::Duration::Millis(5));
  EXPECT_EQ(s->network.drop.reply, sim::Probability::FromDouble(0.5));
  EXPECT_EQ(s->budget.max_events, 10u);
  EXPECT_EQ(s->budget.max_time, sim::Duration::Millis(7));
  ASSERT_TRUE(s->workload.has_value());
  EXPECT_EQ(s->workload->locks, (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(s->faults.size(), 5u);
  EXPECT_EQ(std::get<CrashAtFault>(s->faults[0]).target, CrashTarget::kEither);
  EXPECT_EQ(std::get<CrashAfterMessagesFault>(s->faults[1]).messages_min, 4u);
  EXPECT_EQ(std::get<CrashAfterForwardsFault>(s->faults[2]).forwards_max, 3u);
  EXPECT_EQ(std::get<DeafAtFault>(s->faults[3]).at.min, sim::Duration::Millis(3));
  const auto& p = std::get<PartitionFault>(s->faults[4]);
  EXPECT_TRUE(p.one_way);
  ASSERT_TRUE(p.heal_after.has_value());
  EXPECT_EQ(s->expect, Expect::kViolation);
}

TEST(ScenarioParserTest, LockCountBecomesNames) {
  absl::StatusOr<Scenario> s = ParseScenario(absl::StrCat("{", kWorkload, "}"), "x.json");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->workload->locks, (std::vector<std::string>{"l0", "l1"}));
}

TEST(ScenarioParserErrorTest, MissingClient) {
  EXPECT_THAT(ErrorOf(R"({"clients": 2, "steps": [{"client": 0, "lock": "a"},
      {"crash": "primary"}, {"sleep_ms": 1}, {"client": 5, "lock": "a"}]})"),
              HasSubstr("dir/x.json: steps[3].client: client 5 does not exist (clients: 2)"));
}
TEST(ScenarioParserErrorTest, UnknownKeyNested) {
  EXPECT_THAT(ErrorOf(absl::StrCat(R"({"network": {"drop": {"forwrd": 0.1}}, )", kWorkload, "}")),
              HasSubstr("dir/x.json: network.drop.forwrd: unknown key"));
}
TEST(ScenarioParserErrorTest, UnknownTopLevelKey) {
  EXPECT_THAT(ErrorOf(absl::StrCat(R"({"sead": 1, )", kWorkload, "}")),
              HasSubstr("dir/x.json: sead: unknown key"));
}
TEST(ScenarioParserErrorTest, WrongType) {
  EXPECT_THAT(ErrorOf(absl::StrCat(R"({"clients": "3", )", kWorkload, "}")),
              HasSubstr("dir/x.json: clients:"));
}
TEST(ScenarioParserErrorTest, ClientsOutOfRange) {
  EXPECT_THAT(ErrorOf(absl::StrCat(R"({"clients": 1001, )", kWorkload, "}")),
              HasSubstr("dir/x.json: clients:"));
}
TEST(ScenarioParserErrorTest, SubMicrosecondDuration) {
  EXPECT_THAT(ErrorOf(absl::StrCat(R"({"rpc_timeout_ms": 0.0005, )", kWorkload, "}")),
              HasSubstr("dir/x.json: rpc_timeout_ms:"));
}
TEST(ScenarioParserErrorTest, ZeroRpcTimeout) {
  EXPECT_THAT(ErrorOf(absl::StrCat(R"({"rpc_timeout_ms": 0, )", kWorkload, "}")),
              HasSubstr("dir/x.json: rpc_timeout_ms:"));
}
TEST(ScenarioParserErrorTest, NegativeDuration) {
  EXPECT_THAT(ErrorOf(R"({"steps": [{"sleep_ms": -1}]})"),
              HasSubstr("dir/x.json: steps[0].sleep_ms:"));
}
TEST(ScenarioParserErrorTest, LatencyMinAboveMax) {
  EXPECT_THAT(ErrorOf(absl::StrCat(R"({"network": {"latency_ms": {"min": 5, "max": 1}}, )",
                                   kWorkload, "}")),
              HasSubstr("dir/x.json: network.latency_ms"));
}
TEST(ScenarioParserErrorTest, ProbabilityAboveOne) {
  EXPECT_THAT(
      ErrorOf(absl::StrCat(R"({"network": {"duplicate": {"reply": 1.5}}, )", kWorkload, "}")),
      HasSubstr("dir/x.json: network.duplicate.reply:"));
}
TEST(ScenarioParserErrorTest, NegativeSeed) {
  EXPECT_THAT(ErrorOf(absl::StrCat(R"({"seed": -1, )", kWorkload, "}")),
              HasSubstr("dir/x.json: seed:"));
}
TEST(ScenarioParserErrorTest, BothStepsAndWorkload) {
  EXPECT_THAT(ErrorOf(absl::StrCat(R"({"steps": [{"sleep_ms": 1}], )", kWorkload, "}")),
              HasSubstr("dir/x.json: "));
  EXPECT_NE(ErrorOf(absl::StrCat(R"({"steps": [{"sleep_ms": 1}], )", kWorkload, "}")), "(parsed)");
}
TEST(ScenarioParserErrorTest, NeitherStepsNorWorkload) { EXPECT_NE(ErrorOf("{}"), "(parsed)"); }
TEST(ScenarioParserErrorTest, FaultsWithSteps) {
  EXPECT_THAT(ErrorOf(R"({"steps": [{"sleep_ms": 1}], "faults": []})"),
              HasSubstr("dir/x.json: faults:"));
}
TEST(ScenarioParserErrorTest, EmptySteps) {
  EXPECT_THAT(ErrorOf(R"({"steps": []})"), HasSubstr("dir/x.json: steps:"));
}
TEST(ScenarioParserErrorTest, StepWithTwoActions) {
  EXPECT_THAT(ErrorOf(R"({"steps": [{"crash": "primary", "sleep_ms": 1}]})"),
              HasSubstr("dir/x.json: steps[0]"));
}
TEST(ScenarioParserErrorTest, ExpectOnlyOnCalls) {
  EXPECT_THAT(ErrorOf(R"({"steps": [{"crash": "primary", "expect": true}]})"),
              HasSubstr("dir/x.json: steps[0]"));
}
TEST(ScenarioParserErrorTest, AsyncOnlyOnCalls) {
  EXPECT_THAT(ErrorOf(R"({"steps": [{"sleep_ms": 1, "async": true}]})"),
              HasSubstr("dir/x.json: steps[0]"));
}
TEST(ScenarioParserErrorTest, EmptyLockName) {
  EXPECT_THAT(ErrorOf(R"({"steps": [{"client": 0, "lock": ""}]})"),
              HasSubstr("dir/x.json: steps[0].lock:"));
}
TEST(ScenarioParserErrorTest, TooManyOpsPerClient) {
  EXPECT_THAT(ErrorOf(R"({"workload": {"ops_per_client": 1000001, "locks": 1}})"),
              HasSubstr("dir/x.json: workload.ops_per_client:"));
}
TEST(ScenarioParserErrorTest, TooManyLocks) {
  EXPECT_THAT(ErrorOf(R"({"workload": {"ops_per_client": 1, "locks": 10001}})"),
              HasSubstr("dir/x.json: workload.locks"));
}
TEST(ScenarioParserErrorTest, FaultWithTwoTriggers) {
  EXPECT_THAT(ErrorOf(absl::StrCat(
                  R"({"faults": [{"crash": "primary", "at_ms": 1, "after_messages": 2}], )",
                  kWorkload, "}")),
              HasSubstr("dir/x.json: faults[0]"));
}
TEST(ScenarioParserErrorTest, AfterMessagesZero) {
  EXPECT_THAT(ErrorOf(absl::StrCat(R"({"faults": [{"crash": "primary", "after_messages": 0}], )",
                                   kWorkload, "}")),
              HasSubstr("dir/x.json: faults[0].after_messages"));
}
TEST(ScenarioParserErrorTest, AfterForwardsOnBackup) {
  EXPECT_THAT(ErrorOf(absl::StrCat(R"({"faults": [{"crash": "backup", "after_forwards": 1}], )",
                                   kWorkload, "}")),
              HasSubstr("dir/x.json: faults[0].after_forwards: only the primary sends forwards"));
}
TEST(ScenarioParserErrorTest, UnknownPartitionNode) {
  EXPECT_THAT(
      ErrorOf(absl::StrCat(
          R"({"clients": 2, "faults": [{"partition": [["primary"], ["client2"]], "at_ms": 1}], )",
          kWorkload, "}")),
      HasSubstr("dir/x.json: faults[0].partition[1][0]"));
}
TEST(ScenarioParserErrorTest, BadServerName) {
  EXPECT_THAT(ErrorOf(R"({"steps": [{"crash": "primry"}]})"),
              HasSubstr("dir/x.json: steps[0].crash:"));
}
TEST(ScenarioParserErrorTest, InvalidJson) { EXPECT_THAT(ErrorOf("{"), HasSubstr("dir/x.json: ")); }
TEST(ScenarioParserErrorTest, MissingFile) {
  absl::StatusOr<Scenario> s = LoadScenario("/nonexistent/y.json");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.status().message()), HasSubstr("/nonexistent/y.json: "));
}

}  // namespace
}  // namespace locksim::scenario

namespace locksim::scenario {
namespace {

// Regression: nlohmann stores 0 as unsigned, which once skipped the lower bound.
TEST(ScenarioParserErrorTest, ZeroClients) {
  EXPECT_THAT(ErrorOf(R"({"clients": 0, "steps": [{"sleep_ms": 1}]})"),
              HasSubstr("dir/x.json: clients: 0 is out of range"));
}

TEST(ScenarioParserTest, WaitForStep) {
  absl::StatusOr<Scenario> s =
      ParseScenario(R"({"clients": 2, "steps": [{"wait_for": 1}]})", "x.json");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(std::get<WaitStep>(s->steps[0]).client, 1);
}

TEST(ScenarioParserErrorTest, WaitForMissingClient) {
  EXPECT_THAT(ErrorOf(R"({"clients": 2, "steps": [{"wait_for": 2}]})"),
              HasSubstr("dir/x.json: steps[0].wait_for:"));
}

}  // namespace
}  // namespace locksim::scenario
