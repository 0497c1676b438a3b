// The fault plan is drawn entirely before the run, from the faults stream alone: the same seed
// gives the same plan whatever the network or the workload, every draw stays in its range, and
// the run fires exactly what the plan says. A failure names the seed.
#include "runner/fault_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "runner/simulation.h"
#include "scenario/scenario_parser.h"
#include "sim/prng.h"

namespace locksim::runner {
namespace {

using service::ClientNode;
using service::kBackupNode;
using service::kPrimaryNode;
using service::NodeId;
using sim::Time;

scenario::Scenario Parse(const std::string& json) {
  absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(json, "plan.json");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *s : scenario::Scenario{};
}

// The plan the run of `seed` draws.
FaultPlan PlanOf(const scenario::Scenario& s, uint64_t seed) {
  return DrawFaultPlan(s, sim::Prng(seed).Fork(sim::Stream::kFaults));
}

Time Ms(int64_t ms) { return Time::Zero() + sim::Duration::Millis(ms); }

// One fault of every kind, each with a range to draw from.
constexpr char kEveryKind[] = R"({"clients": 2, "workload": {"ops_per_client": 3}, "faults": [
    {"crash": "either", "at_ms": {"min": 10, "max": 20}},
    {"crash": "backup", "after_messages": {"min": 3, "max": 9}},
    {"crash": "primary", "after_forwards": {"min": 2, "max": 5}},
    {"deaf": "primary", "at_ms": {"min": 30, "max": 40}},
    {"partition": [["primary"], ["backup"]], "at_ms": {"min": 50, "max": 60},
     "heal_after_ms": {"min": 5, "max": 8}}]})";

TEST(FaultPlan, SameSeedSamePlanAndSeedsDiffer) {
  const scenario::Scenario s = Parse(kEveryKind);
  std::set<std::string> distinct;
  for (uint64_t seed = 0; seed < 50; ++seed) {
    const FaultPlan plan = PlanOf(s, seed);
    ASSERT_EQ(plan.size(), s.faults.size());
    EXPECT_EQ(PlanOf(s, seed), plan) << "seed " << seed;
    const auto& partition = std::get<PlannedPartition>(plan[4]);
    distinct.insert(std::to_string(partition.at.micros()) + "/" +
                    std::to_string(std::get<CountedCrash>(plan[1]).count));
  }
  EXPECT_GT(distinct.size(), 25u) << "50 seeds should draw many different plans";
}

TEST(FaultPlan, DependsOnNothingButTheFaultsAndTheStream) {
  const scenario::Scenario quiet = Parse(kEveryKind);
  std::string busy_json = kEveryKind;
  busy_json.replace(busy_json.find(R"("workload": {"ops_per_client": 3})"),
                    std::string(R"("workload": {"ops_per_client": 3})").size(),
                    R"("workload": {"ops_per_client": 40, "locks": 5, "think_ms": {"min": 0,
                        "max": 9}}, "network": {"latency_ms": {"min": 1, "max": 30},
                        "drop": {"reply": 0.2}, "duplicate": {"request": 0.3}})");
  const scenario::Scenario busy = Parse(busy_json);
  for (uint64_t seed = 0; seed < 20; ++seed) {
    EXPECT_EQ(PlanOf(quiet, seed), PlanOf(busy, seed)) << "seed " << seed;
  }
}

TEST(FaultPlan, EveryDrawStaysInItsRange) {
  const scenario::Scenario s = Parse(kEveryKind);
  for (uint64_t seed = 0; seed < 300; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const FaultPlan plan = PlanOf(s, seed);

    const auto& crash = std::get<TimedFault>(plan[0]);
    EXPECT_EQ(crash.action, TimedFault::Action::kCrash);
    EXPECT_TRUE(crash.at >= Ms(10) && crash.at <= Ms(20)) << crash.at.micros();
    EXPECT_EQ(crash.description, "crash " + service::NodeName(crash.node));

    const auto& after_messages = std::get<CountedCrash>(plan[1]);
    EXPECT_EQ(after_messages.counter, CountedCrash::Counter::kMessagesHandled);
    EXPECT_EQ(after_messages.node, kBackupNode);
    EXPECT_TRUE(after_messages.count >= 3 && after_messages.count <= 9) << after_messages.count;
    EXPECT_EQ(after_messages.description, "crash backup right after it handled message #" +
                                              std::to_string(after_messages.count));

    const auto& after_forwards = std::get<CountedCrash>(plan[2]);
    EXPECT_EQ(after_forwards.counter, CountedCrash::Counter::kForwardsSent);
    EXPECT_EQ(after_forwards.node, kPrimaryNode);
    EXPECT_TRUE(after_forwards.count >= 2 && after_forwards.count <= 5) << after_forwards.count;

    const auto& deaf = std::get<TimedFault>(plan[3]);
    EXPECT_EQ(deaf.action, TimedFault::Action::kDeaf);
    EXPECT_EQ(deaf.node, kPrimaryNode);
    EXPECT_TRUE(deaf.at >= Ms(30) && deaf.at <= Ms(40)) << deaf.at.micros();

    const auto& partition = std::get<PlannedPartition>(plan[4]);
    EXPECT_TRUE(partition.at >= Ms(50) && partition.at <= Ms(60)) << partition.at.micros();
    ASSERT_TRUE(partition.heal_at.has_value());
    const sim::Duration healed_after = *partition.heal_at - partition.at;
    EXPECT_TRUE(healed_after >= sim::Duration::Millis(5) &&
                healed_after <= sim::Duration::Millis(8))
        << healed_after.micros();
  }
}

TEST(FaultPlan, ADeafFaultDeafensItsOwnServer) {
  const scenario::Scenario s = Parse(R"({"workload": {"ops_per_client": 1}, "faults": [
      {"deaf": "backup", "at_ms": 3}, {"deaf": "primary", "at_ms": 4}]})");
  const FaultPlan plan = PlanOf(s, 1);
  EXPECT_EQ(plan[0],
            PlannedFault(TimedFault{TimedFault::Action::kDeaf, kBackupNode, Ms(3),
                                    "backup turns deaf: its next client request's reply is lost"}));
  EXPECT_EQ(plan[1], PlannedFault(TimedFault{
                         TimedFault::Action::kDeaf, kPrimaryNode, Ms(4),
                         "primary turns deaf: its next client request's reply is lost"}));
}

TEST(FaultPlan, EitherPicksBothServersOverSeeds) {
  const scenario::Scenario s = Parse(kEveryKind);
  std::set<NodeId> picked;
  for (uint64_t seed = 0; seed < 64; ++seed) {
    picked.insert(std::get<TimedFault>(PlanOf(s, seed)[0]).node);
  }
  EXPECT_EQ(picked, (std::set<NodeId>{kPrimaryNode, kBackupNode}));
}

TEST(FaultPlan, PartitionBlocksEveryLinkBetweenItsGroups) {
  const scenario::Scenario s =
      Parse(R"({"clients": 2, "workload": {"ops_per_client": 1}, "faults": [
          {"partition": [["primary", "clients"], ["backup", "client1"]], "at_ms": 4},
          {"partition": [["clients"], ["primary"]], "at_ms": 5, "one_way": true}]})");
  const FaultPlan plan = PlanOf(s, 7);
  const auto& both = std::get<PlannedPartition>(plan[0]);
  const NodeId c0 = ClientNode(0);
  const NodeId c1 = ClientNode(1);
  // "clients" is client0 and client1; client1 -> client1 is no link.
  EXPECT_EQ(both.links, (std::vector<std::pair<NodeId, NodeId>>{{kPrimaryNode, kBackupNode},
                                                                {kBackupNode, kPrimaryNode},
                                                                {kPrimaryNode, c1},
                                                                {c1, kPrimaryNode},
                                                                {c0, kBackupNode},
                                                                {kBackupNode, c0},
                                                                {c0, c1},
                                                                {c1, c0},
                                                                {c1, kBackupNode},
                                                                {kBackupNode, c1}}));
  EXPECT_EQ(both.at, Ms(4));
  EXPECT_FALSE(both.heal_at.has_value());
  EXPECT_EQ(both.description, "partition {primary, clients} <-/-> {backup, client1}");

  const auto& one_way = std::get<PlannedPartition>(plan[1]);
  EXPECT_EQ(one_way.links,
            (std::vector<std::pair<NodeId, NodeId>>{{c0, kPrimaryNode}, {c1, kPrimaryNode}}));
  EXPECT_EQ(one_way.description, "partition {clients} -/-> {primary}");
}

TEST(FaultPlan, TheRunFiresWhatThePlanSays) {
  // Early faults in a long run: every one of them fires.
  const scenario::Scenario s = Parse(R"({"clients": 2,
      "workload": {"ops_per_client": 30, "think_ms": {"min": 1, "max": 2}}, "faults": [
      {"partition": [["client0"], ["primary"]], "at_ms": {"min": 0, "max": 3},
       "heal_after_ms": {"min": 1, "max": 2}},
      {"crash": "backup", "at_ms": {"min": 6, "max": 9}}]})");
  for (uint64_t seed = 0; seed < 20; ++seed) {
    RunOptions options;
    options.seed = seed;
    const RunResult result = RunScenario(s, options);
    const FaultPlan plan = PlanOf(s, seed);
    const auto& partition = std::get<PlannedPartition>(plan[0]);
    const auto& crash = std::get<TimedFault>(plan[1]);
    std::vector<std::pair<int64_t, std::string>> expected = {
        {partition.at.micros(),
         partition.description + " until " + sim::FormatSimTime(*partition.heal_at)},
        {partition.heal_at->micros(), "heal: " + partition.description},
        {crash.at.micros(), crash.description}};
    std::vector<std::pair<int64_t, std::string>> fired;
    for (const FiredFault& f : result.faults) fired.emplace_back(f.at.micros(), f.description);
    std::sort(expected.begin(), expected.end());
    std::sort(fired.begin(), fired.end());
    EXPECT_EQ(fired, expected) << "seed " << seed << "; reproduce: " << result.repro;
  }
}

}  // namespace
}  // namespace locksim::runner
