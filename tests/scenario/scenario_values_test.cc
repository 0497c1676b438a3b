// Valid scenarios: every feature parses to exactly the values the file gives (durations in µs,
// probabilities in parts per billion).
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "scenario/scenario.h"
#include "scenario/scenario_parser.h"

namespace locksim::scenario {
namespace {

using sim::Duration;
using sim::DurationRange;
using sim::Probability;

Scenario Parse(const std::string& json) {
  absl::StatusOr<Scenario> s = ParseScenario(json, "dir/x.json");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : Scenario{};
}

DurationRange Us(int64_t lo, int64_t hi) {
  return DurationRange{Duration::Micros(lo), Duration::Micros(hi)};
}
Probability Ppb(uint64_t n) { return Probability::PartsPerBillion(n); }
PartitionMember Node(service::NodeId node) { return PartitionMember{.node = node}; }
const PartitionMember kAllClients{.all_clients = true};

TEST(ScenarioValues, Defaults) {
  const Scenario s = Parse(R"({"steps": [{"sleep_ms": 1}]})");
  EXPECT_EQ(s.name, "x");
  EXPECT_EQ(s.file, "dir/x.json");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.clients, 1);
  EXPECT_EQ(s.rpc_timeout, Duration::Micros(2'000'000));
  EXPECT_EQ(s.network.latency, Us(1000, 1000));
  for (const ChannelProbabilities* c : {&s.network.drop, &s.network.duplicate}) {
    EXPECT_EQ(c->request, Probability::Never());
    EXPECT_EQ(c->reply, Probability::Never());
    EXPECT_EQ(c->forward, Probability::Never());
    EXPECT_EQ(c->forward_reply, Probability::Never());
  }
  EXPECT_EQ(s.expect, Expect::kPass);
  EXPECT_EQ(s.budget.max_events, 5'000'000u);
  EXPECT_EQ(s.budget.max_time, Duration::Micros(3'600'000'000));
  EXPECT_FALSE(s.workload.has_value());
  EXPECT_TRUE(s.faults.empty());
  ASSERT_EQ(s.steps.size(), 1u);
}

TEST(ScenarioValues, TopLevelValues) {
  const Scenario s = Parse(R"({
    "name": "mine", "description": "Two sentences. Here.", "seed": 18446744073709551615,
    "clients": 1000, "rpc_timeout_ms": 1.5, "expect": "violation",
    "budget": {"max_events": 1000000000, "max_time_ms": 2592000000},
    "steps": [{"sleep_ms": 0}]})");
  EXPECT_EQ(s.name, "mine");
  EXPECT_EQ(s.description, "Two sentences. Here.");
  EXPECT_EQ(s.seed, 18446744073709551615u);
  EXPECT_EQ(s.clients, 1000);
  EXPECT_EQ(s.rpc_timeout, Duration::Micros(1500));
  EXPECT_EQ(s.expect, Expect::kViolation);
  EXPECT_EQ(s.budget.max_events, 1'000'000'000u);
  EXPECT_EQ(s.budget.max_time, Duration::Micros(2'592'000'000'000));
  EXPECT_EQ(Parse(R"({"expect": "pass", "steps": [{"sleep_ms": 0}]})").expect, Expect::kPass);
}

TEST(ScenarioValues, BudgetKeysAreIndependent) {
  const Scenario s = Parse(R"({"budget": {"max_events": 7}, "steps": [{"sleep_ms": 0}]})");
  EXPECT_EQ(s.budget.max_events, 7u);
  EXPECT_EQ(s.budget.max_time, Duration::Micros(3'600'000'000));
  const Scenario t = Parse(R"({"budget": {"max_time_ms": 0.001}, "steps": [{"sleep_ms": 0}]})");
  EXPECT_EQ(t.budget.max_events, 5'000'000u);
  EXPECT_EQ(t.budget.max_time, Duration::Micros(1));
}

TEST(ScenarioValues, NetworkPerChannel) {
  const Scenario s = Parse(R"({"network": {
      "latency_ms": {"min": 0.5, "max": 10},
      "drop": {"request": 0.1, "reply": 0.25, "forward": 1, "forward_reply": 0.000000001},
      "duplicate": {"reply": 0.5, "forward_reply": 0.3333333333}},
    "steps": [{"sleep_ms": 0}]})");
  EXPECT_EQ(s.network.latency, Us(500, 10'000));
  EXPECT_EQ(s.network.drop.request, Ppb(100'000'000));
  EXPECT_EQ(s.network.drop.reply, Ppb(250'000'000));
  EXPECT_EQ(s.network.drop.forward, Probability::Always());
  EXPECT_EQ(s.network.drop.forward_reply, Ppb(1));
  EXPECT_EQ(s.network.duplicate.request, Probability::Never());
  EXPECT_EQ(s.network.duplicate.reply, Ppb(500'000'000));
  EXPECT_EQ(s.network.duplicate.forward, Probability::Never());
  EXPECT_EQ(s.network.duplicate.forward_reply, Ppb(333'333'333));
}

TEST(ScenarioValues, EmptyNetworkKeepsDefaults) {
  const Scenario s = Parse(R"({"network": {"drop": {}}, "steps": [{"sleep_ms": 0}]})");
  EXPECT_EQ(s.network.latency, Us(1000, 1000));
  EXPECT_EQ(s.network.drop.request, Probability::Never());
}

TEST(ScenarioValues, EveryKindOfStep) {
  const Scenario s = Parse(R"({"clients": 3, "steps": [
      {"client": 0, "lock": "a", "expect": true},
      {"client": 2, "unlock": "b", "expect": false, "async": true},
      {"client": 1, "lock": "c", "async": false},
      {"crash": "backup"},
      {"crash": "primary"},
      {"deaf": "primary"},
      {"deaf": "backup"},
      {"sleep_ms": 1.5},
      {"wait_for": 2}]})");
  ASSERT_EQ(s.steps.size(), 9u);

  const auto& c0 = std::get<CallStep>(s.steps[0]);
  EXPECT_EQ(c0.client, 0);
  EXPECT_EQ(c0.op, service::OpKind::kLock);
  EXPECT_EQ(c0.lock, "a");
  EXPECT_EQ(c0.expect, std::optional<bool>(true));
  EXPECT_FALSE(c0.async);

  const auto& c1 = std::get<CallStep>(s.steps[1]);
  EXPECT_EQ(c1.client, 2);
  EXPECT_EQ(c1.op, service::OpKind::kUnlock);
  EXPECT_EQ(c1.lock, "b");
  EXPECT_EQ(c1.expect, std::optional<bool>(false));
  EXPECT_TRUE(c1.async);

  const auto& c2 = std::get<CallStep>(s.steps[2]);
  EXPECT_EQ(c2.client, 1);
  EXPECT_EQ(c2.lock, "c");
  EXPECT_FALSE(c2.expect.has_value());
  EXPECT_FALSE(c2.async);

  EXPECT_EQ(std::get<CrashStep>(s.steps[3]).server, service::kBackupNode);
  EXPECT_EQ(std::get<CrashStep>(s.steps[4]).server, service::kPrimaryNode);
  EXPECT_EQ(std::get<DeafStep>(s.steps[5]).server, service::kPrimaryNode);
  EXPECT_EQ(std::get<DeafStep>(s.steps[6]).server, service::kBackupNode);
  EXPECT_EQ(std::get<SleepStep>(s.steps[7]).duration, Duration::Micros(1500));
  EXPECT_EQ(std::get<WaitStep>(s.steps[8]).client, 2);
}

TEST(ScenarioValues, DurationsAreExactMicroseconds) {
  const auto sleep = [](const std::string& ms) {
    const Scenario s = Parse(R"({"steps": [{"sleep_ms": )" + ms + "}]}");
    return s.steps.empty() ? Duration::Micros(-1) : std::get<SleepStep>(s.steps[0]).duration;
  };
  EXPECT_EQ(sleep("0"), Duration::Micros(0));
  EXPECT_EQ(sleep("0.001"), Duration::Micros(1));
  EXPECT_EQ(sleep("0.1"), Duration::Micros(100));
  EXPECT_EQ(sleep("1.5"), Duration::Micros(1500));
  EXPECT_EQ(sleep("2.0"), Duration::Micros(2000));
  EXPECT_EQ(sleep("1e3"), Duration::Micros(1'000'000));
  EXPECT_EQ(sleep("12345.678"), Duration::Micros(12'345'678));
  EXPECT_EQ(sleep("86399999.999"), Duration::Micros(86'399'999'999));
  EXPECT_EQ(sleep("86400000"), Duration::Micros(86'400'000'000));
  EXPECT_EQ(sleep("86400000.0"), Duration::Micros(86'400'000'000));
}

TEST(ScenarioValues, WorkloadWithLockCount) {
  const Scenario s = Parse(R"({"clients": 4,
    "workload": {"ops_per_client": 100, "locks": 3, "unlock_fraction": 0.1,
                 "think_ms": {"min": 0, "max": 5}}})");
  ASSERT_TRUE(s.workload.has_value());
  EXPECT_TRUE(s.steps.empty());
  EXPECT_TRUE(s.faults.empty());
  EXPECT_EQ(s.workload->ops_per_client, 100);
  EXPECT_EQ(s.workload->locks, (std::vector<std::string>{"l0", "l1", "l2"}));
  EXPECT_EQ(s.workload->unlock_fraction, Ppb(100'000'000));
  EXPECT_EQ(s.workload->think, Us(0, 5000));
}

TEST(ScenarioValues, WorkloadDefaults) {
  const Scenario s = Parse(R"({"workload": {"ops_per_client": 1}})");
  ASSERT_TRUE(s.workload.has_value());
  EXPECT_EQ(s.workload->ops_per_client, 1);
  EXPECT_EQ(s.workload->locks, (std::vector<std::string>{"l0"}));
  EXPECT_EQ(s.workload->unlock_fraction, Ppb(500'000'000));
  EXPECT_EQ(s.workload->think, Us(0, 0));
}

TEST(ScenarioValues, WorkloadWithLockNamesAndFixedThinkTime) {
  const Scenario s = Parse(R"({"clients": 10,
    "workload": {"ops_per_client": 1000000, "locks": ["x", "y", "a b"], "unlock_fraction": 0,
                 "think_ms": 2.5}})");
  ASSERT_TRUE(s.workload.has_value());
  EXPECT_EQ(s.workload->ops_per_client, 1'000'000);
  EXPECT_EQ(s.workload->locks, (std::vector<std::string>{"x", "y", "a b"}));
  EXPECT_EQ(s.workload->unlock_fraction, Probability::Never());
  EXPECT_EQ(s.workload->think, Us(2500, 2500));
}

TEST(ScenarioValues, WorkloadWithManyLocks) {
  const Scenario s = Parse(R"({"workload": {"ops_per_client": 1, "locks": 10000}})");
  ASSERT_TRUE(s.workload.has_value());
  ASSERT_EQ(s.workload->locks.size(), 10'000u);
  EXPECT_EQ(s.workload->locks.back(), "l9999");
}

TEST(ScenarioValues, CrashFaults) {
  const Scenario s = Parse(R"({"workload": {"ops_per_client": 1}, "faults": [
      {"crash": "primary", "at_ms": 100},
      {"crash": "backup", "at_ms": {"min": 0.5, "max": 1000}},
      {"crash": "either", "at_ms": {"min": 7, "max": 7}},
      {"crash": "either", "after_messages": 5},
      {"crash": "backup", "after_messages": {"min": 20, "max": 500}},
      {"crash": "primary", "after_forwards": 3},
      {"crash": "primary", "after_forwards": {"min": 1, "max": 100000000}}]})");
  ASSERT_EQ(s.faults.size(), 7u);

  const auto& f0 = std::get<CrashAtFault>(s.faults[0]);
  EXPECT_EQ(f0.target, CrashTarget::kPrimary);
  EXPECT_EQ(f0.at, Us(100'000, 100'000));
  const auto& f1 = std::get<CrashAtFault>(s.faults[1]);
  EXPECT_EQ(f1.target, CrashTarget::kBackup);
  EXPECT_EQ(f1.at, Us(500, 1'000'000));
  const auto& f2 = std::get<CrashAtFault>(s.faults[2]);
  EXPECT_EQ(f2.target, CrashTarget::kEither);
  EXPECT_EQ(f2.at, Us(7000, 7000));

  const auto& f3 = std::get<CrashAfterMessagesFault>(s.faults[3]);
  EXPECT_EQ(f3.target, CrashTarget::kEither);
  EXPECT_EQ(f3.messages_min, 5u);
  EXPECT_EQ(f3.messages_max, 5u);
  const auto& f4 = std::get<CrashAfterMessagesFault>(s.faults[4]);
  EXPECT_EQ(f4.target, CrashTarget::kBackup);
  EXPECT_EQ(f4.messages_min, 20u);
  EXPECT_EQ(f4.messages_max, 500u);

  const auto& f5 = std::get<CrashAfterForwardsFault>(s.faults[5]);
  EXPECT_EQ(f5.forwards_min, 3u);
  EXPECT_EQ(f5.forwards_max, 3u);
  const auto& f6 = std::get<CrashAfterForwardsFault>(s.faults[6]);
  EXPECT_EQ(f6.forwards_min, 1u);
  EXPECT_EQ(f6.forwards_max, 100'000'000u);
}

TEST(ScenarioValues, DeafFaults) {
  const Scenario s = Parse(R"({"workload": {"ops_per_client": 1}, "faults": [
      {"deaf": "primary", "at_ms": 10},
      {"deaf": "backup", "at_ms": {"min": 1, "max": 2.5}}]})");
  ASSERT_EQ(s.faults.size(), 2u);
  const auto& f0 = std::get<DeafAtFault>(s.faults[0]);
  EXPECT_EQ(f0.server, service::kPrimaryNode);
  EXPECT_EQ(f0.at, Us(10'000, 10'000));
  const auto& f1 = std::get<DeafAtFault>(s.faults[1]);
  EXPECT_EQ(f1.server, service::kBackupNode);
  EXPECT_EQ(f1.at, Us(1000, 2500));
}

TEST(ScenarioValues, PartitionFaults) {
  const Scenario s = Parse(R"({"clients": 3, "workload": {"ops_per_client": 1}, "faults": [
      {"partition": [["primary", "client0"], ["backup", "client1", "client2"]],
       "at_ms": {"min": 20, "max": 100}, "heal_after_ms": {"min": 300, "max": 600}},
      {"partition": [["clients"], ["primary"]], "at_ms": 5, "one_way": true},
      {"partition": [["backup"], ["primary"]], "at_ms": 0, "heal_after_ms": 1.5,
       "one_way": false}]})");
  ASSERT_EQ(s.faults.size(), 3u);

  const auto& p0 = std::get<PartitionFault>(s.faults[0]);
  EXPECT_EQ(p0.groups[0], (std::vector<PartitionMember>{Node(service::kPrimaryNode),
                                                        Node(service::ClientNode(0))}));
  EXPECT_EQ(p0.groups[1],
            (std::vector<PartitionMember>{Node(service::kBackupNode), Node(service::ClientNode(1)),
                                          Node(service::ClientNode(2))}));
  EXPECT_EQ(p0.at, Us(20'000, 100'000));
  EXPECT_EQ(p0.heal_after, std::optional<DurationRange>(Us(300'000, 600'000)));
  EXPECT_FALSE(p0.one_way);

  const auto& p1 = std::get<PartitionFault>(s.faults[1]);
  EXPECT_EQ(p1.groups[0], (std::vector<PartitionMember>{kAllClients}));
  EXPECT_EQ(p1.groups[1], (std::vector<PartitionMember>{Node(service::kPrimaryNode)}));
  EXPECT_EQ(p1.at, Us(5000, 5000));
  EXPECT_FALSE(p1.heal_after.has_value());
  EXPECT_TRUE(p1.one_way);

  const auto& p2 = std::get<PartitionFault>(s.faults[2]);
  EXPECT_EQ(p2.at, Us(0, 0));
  EXPECT_EQ(p2.heal_after, std::optional<DurationRange>(Us(1500, 1500)));
  EXPECT_FALSE(p2.one_way);
}

TEST(ScenarioValues, EmptyFaultListIsAllowed) {
  const Scenario s = Parse(R"({"workload": {"ops_per_client": 1}, "faults": []})");
  EXPECT_TRUE(s.faults.empty());
}

TEST(ScenarioValues, NameDefaultsToStemOfAnyPath) {
  absl::StatusOr<Scenario> s = ParseScenario(R"({"steps": [{"sleep_ms": 0}]})", "a.b/c.d.json");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->name, "c.d");
}

}  // namespace
}  // namespace locksim::scenario
