#include "runner/fault_plan.h"

#include <type_traits>

#include "absl/strings/str_cat.h"
#include "base/assert.h"

namespace locksim::runner {
namespace {

using service::NodeId;

// The order of the draws below is part of every recorded seed: changing it changes which faults
// a seed plans.

using sim::DecisionKind;
using sim::DecisionStream;

// The plan's random source: its stream and the run's decisions.
struct Draws {
  sim::Prng& rng;
  const sim::Decisions& decisions;

  sim::Time At(sim::DurationRange range) {
    return sim::Time::Zero() + Duration(DecisionKind::kFaultTime, range);
  }
  sim::Duration Duration(DecisionKind kind, sim::DurationRange range) {
    return sim::DecideDuration(decisions, DecisionStream::Plan(), kind, range, rng);
  }
  NodeId Server(scenario::CrashTarget target) {
    switch (target) {
      case scenario::CrashTarget::kPrimary:
        return service::kPrimaryNode;
      case scenario::CrashTarget::kBackup:
        return service::kBackupNode;
      case scenario::CrashTarget::kEither:
        return decisions.Decide(DecisionStream::Plan(), DecisionKind::kFaultServer, 2,
                                [&] { return rng.Below(2); }) == 0
                   ? service::kPrimaryNode
                   : service::kBackupNode;
    }
    LOCKSIM_UNREACHABLE("a crash targets the primary, the backup or either");
  }
  uint64_t Count(uint64_t min, uint64_t max) {
    return min +
           decisions.Decide(DecisionStream::Plan(), DecisionKind::kFaultCount, max - min + 1, [&] {
             return static_cast<uint64_t>(
                        rng.Between(static_cast<int64_t>(min), static_cast<int64_t>(max))) -
                    min;
           });
  }
};

std::vector<NodeId> Expand(const std::vector<scenario::PartitionMember>& group, int clients) {
  std::vector<NodeId> nodes;
  for (const scenario::PartitionMember& member : group) {
    if (member.all_clients) {
      for (int c = 0; c < clients; ++c) nodes.push_back(service::ClientNode(c));
    } else {
      nodes.push_back(member.node);
    }
  }
  return nodes;
}

std::string DescribeGroups(const scenario::PartitionFault& fault) {
  std::string text = "partition ";
  for (int g = 0; g < 2; ++g) {
    absl::StrAppend(&text, g == 0 ? "{" : (fault.one_way ? "} -/-> {" : "} <-/-> {"));
    for (size_t i = 0; i < fault.groups[g].size(); ++i) {
      const scenario::PartitionMember& member = fault.groups[g][i];
      absl::StrAppend(&text, i > 0 ? ", " : "",
                      member.all_clients ? "clients" : service::NodeName(member.node));
    }
  }
  return text + "}";
}

PlannedFault Draw(const scenario::CrashAtFault& fault, const scenario::Scenario&, Draws& draws) {
  const NodeId node = draws.Server(fault.target);
  const sim::Time at = draws.At(fault.at);
  return TimedFault{TimedFault::Action::kCrash, node, at,
                    absl::StrCat("crash ", service::NodeName(node))};
}

PlannedFault Draw(const scenario::CrashAfterMessagesFault& fault, const scenario::Scenario&,
                  Draws& draws) {
  const NodeId node = draws.Server(fault.target);
  const uint64_t count = draws.Count(fault.messages_min, fault.messages_max);
  return CountedCrash{
      CountedCrash::Counter::kMessagesHandled, node, count,
      absl::StrCat("crash ", service::NodeName(node), " right after it handled message #", count)};
}

PlannedFault Draw(const scenario::CrashAfterForwardsFault& fault, const scenario::Scenario&,
                  Draws& draws) {
  const uint64_t count = draws.Count(fault.forwards_min, fault.forwards_max);
  return CountedCrash{CountedCrash::Counter::kForwardsSent, service::kPrimaryNode, count,
                      absl::StrCat("crash primary right after it sent forward #", count,
                                   ", before it could reply")};
}

PlannedFault Draw(const scenario::DeafAtFault& fault, const scenario::Scenario&, Draws& draws) {
  const sim::Time at = draws.At(fault.at);
  return TimedFault{TimedFault::Action::kDeaf, fault.server, at,
                    absl::StrCat(service::NodeName(fault.server),
                                 " turns deaf: its next client request's reply is lost")};
}

PlannedFault Draw(const scenario::PartitionFault& fault, const scenario::Scenario& scenario,
                  Draws& draws) {
  PlannedPartition plan;
  const std::vector<NodeId> a = Expand(fault.groups[0], scenario.clients);
  const std::vector<NodeId> b = Expand(fault.groups[1], scenario.clients);
  for (NodeId x : a) {
    for (NodeId y : b) {
      if (x == y) continue;
      plan.links.emplace_back(x, y);
      if (!fault.one_way) plan.links.emplace_back(y, x);
    }
  }
  plan.at = draws.At(fault.at);
  if (fault.heal_after.has_value()) {
    plan.heal_at = plan.at + draws.Duration(DecisionKind::kFaultHeal, *fault.heal_after);
  }
  plan.description = DescribeGroups(fault);
  return plan;
}

}  // namespace

FaultPlan DrawFaultPlan(const scenario::Scenario& scenario, sim::Prng faults_rng,
                        const sim::Decisions& decisions) {
  Draws draws{faults_rng, decisions};
  FaultPlan plan;
  plan.reserve(scenario.faults.size());
  for (const scenario::Fault& fault : scenario.faults) {
    plan.push_back(std::visit([&](const auto& f) { return Draw(f, scenario, draws); }, fault));
  }
  return plan;
}

std::vector<NodeId> ServersFailedByScenario(const scenario::Scenario& scenario,
                                            const FaultPlan& plan) {
  bool fails[2] = {false, false};
  for (const scenario::Step& step : scenario.steps) {
    if (const auto* crash = std::get_if<scenario::CrashStep>(&step)) fails[crash->server] = true;
    if (const auto* deaf = std::get_if<scenario::DeafStep>(&step)) fails[deaf->server] = true;
  }
  for (const PlannedFault& fault : plan) {
    if (const auto* timed = std::get_if<TimedFault>(&fault)) fails[timed->node] = true;
    if (const auto* counted = std::get_if<CountedCrash>(&fault)) fails[counted->node] = true;
  }
  std::vector<NodeId> servers;
  for (NodeId server : {service::kPrimaryNode, service::kBackupNode}) {
    if (fails[server]) servers.push_back(server);
  }
  return servers;
}

}  // namespace locksim::runner
