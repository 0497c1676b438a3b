#include "runner/fault_plan.h"

#include <type_traits>

#include "absl/strings/str_cat.h"
#include "base/assert.h"

namespace locksim::runner {
namespace {

using service::NodeId;

// The order of the draws below is part of every recorded seed: changing it changes which faults
// a seed plans.

NodeId DrawServer(scenario::CrashTarget target, sim::Prng& rng) {
  switch (target) {
    case scenario::CrashTarget::kPrimary:
      return service::kPrimaryNode;
    case scenario::CrashTarget::kBackup:
      return service::kBackupNode;
    case scenario::CrashTarget::kEither:
      return rng.Below(2) == 0 ? service::kPrimaryNode : service::kBackupNode;
  }
  LOCKSIM_UNREACHABLE("a crash targets the primary, the backup or either");
}

uint64_t DrawCount(uint64_t min, uint64_t max, sim::Prng& rng) {
  return static_cast<uint64_t>(rng.Between(static_cast<int64_t>(min), static_cast<int64_t>(max)));
}

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

PlannedFault Draw(const scenario::CrashAtFault& fault, const scenario::Scenario&, sim::Prng& rng) {
  const NodeId node = DrawServer(fault.target, rng);
  const sim::Time at = sim::Time::Zero() + rng.DurationIn(fault.at);
  return TimedFault{TimedFault::Action::kCrash, node, at,
                    absl::StrCat("crash ", service::NodeName(node))};
}

PlannedFault Draw(const scenario::CrashAfterMessagesFault& fault, const scenario::Scenario&,
                  sim::Prng& rng) {
  const NodeId node = DrawServer(fault.target, rng);
  const uint64_t count = DrawCount(fault.messages_min, fault.messages_max, rng);
  return CountedCrash{
      CountedCrash::Counter::kMessagesHandled, node, count,
      absl::StrCat("crash ", service::NodeName(node), " right after it handled message #", count)};
}

PlannedFault Draw(const scenario::CrashAfterForwardsFault& fault, const scenario::Scenario&,
                  sim::Prng& rng) {
  const uint64_t count = DrawCount(fault.forwards_min, fault.forwards_max, rng);
  return CountedCrash{CountedCrash::Counter::kForwardsSent, service::kPrimaryNode, count,
                      absl::StrCat("crash primary right after it sent forward #", count,
                                   ", before it could reply")};
}

PlannedFault Draw(const scenario::DeafAtFault& fault, const scenario::Scenario&, sim::Prng& rng) {
  const sim::Time at = sim::Time::Zero() + rng.DurationIn(fault.at);
  return TimedFault{TimedFault::Action::kDeaf, fault.server, at,
                    absl::StrCat(service::NodeName(fault.server),
                                 " turns deaf: its next client request's reply is lost")};
}

PlannedFault Draw(const scenario::PartitionFault& fault, const scenario::Scenario& scenario,
                  sim::Prng& rng) {
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
  plan.at = sim::Time::Zero() + rng.DurationIn(fault.at);
  if (fault.heal_after.has_value()) plan.heal_at = plan.at + rng.DurationIn(*fault.heal_after);
  plan.description = DescribeGroups(fault);
  return plan;
}

}  // namespace

FaultPlan DrawFaultPlan(const scenario::Scenario& scenario, sim::Prng faults_rng) {
  FaultPlan plan;
  plan.reserve(scenario.faults.size());
  for (const scenario::Fault& fault : scenario.faults) {
    plan.push_back(std::visit([&](const auto& f) { return Draw(f, scenario, faults_rng); }, fault));
  }
  return plan;
}

}  // namespace locksim::runner
