// The fault plan of a random run: every fault of the scenario with its random parameters drawn
// (which server, at what time, after how many messages), all before the run starts and from the
// faults stream alone. So a seed's plan never depends on what happens during the run, and
// turning the network or the workload up or down leaves it as it was. Plain data: scheduling the
// plan and firing its faults is the run's job (runner/simulation.cc).
#ifndef LOCKSIM_RUNNER_FAULT_PLAN_H_
#define LOCKSIM_RUNNER_FAULT_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "scenario/scenario.h"
#include "service/node_id.h"
#include "sim/decisions.h"
#include "sim/prng.h"
#include "sim/time.h"

namespace locksim::runner {

// A crash, or a server turning deaf, at a drawn time (`crash ... at_ms`, `deaf ... at_ms`).
struct TimedFault {
  enum class Action : uint8_t { kCrash, kDeaf };
  Action action = Action::kCrash;
  service::NodeId node = service::kPrimaryNode;
  sim::Time at;
  std::string description;  // what the run reports when it fires, e.g. "crash backup"
  bool operator==(const TimedFault&) const = default;
};

// A crash right after a server's k-th handled message (`after_messages`), or right after the
// primary's k-th forward (`after_forwards`).
struct CountedCrash {
  enum class Counter : uint8_t { kMessagesHandled, kForwardsSent };
  Counter counter = Counter::kMessagesHandled;
  service::NodeId node = service::kPrimaryNode;
  uint64_t count = 0;
  std::string description;
  bool operator==(const CountedCrash&) const = default;
};

// A partition: the directed links it blocks, from when, and until when.
struct PlannedPartition {
  sim::Time at;
  std::optional<sim::Time> heal_at;                                // nullopt: never heals
  std::vector<std::pair<service::NodeId, service::NodeId>> links;  // (from, to)
  std::string description;  // e.g. "partition {primary, clients} <-/-> {backup}"
  bool operator==(const PlannedPartition&) const = default;
};

using PlannedFault = std::variant<TimedFault, CountedCrash, PlannedPartition>;

// plan[i] is scenario.faults[i] with its parameters drawn.
using FaultPlan = std::vector<PlannedFault>;

// Draws the plan of `scenario`'s faults from `faults_rng` (the run forks it from its seed as
// sim::Stream::kFaults), fault by fault in the scenario's order. Pure: the same scenario and
// stream give the same plan, and nothing but the stream is drawn from. Each draw is a decision
// on sim::DecisionStream::Plan() (kFaultServer for "either", kFaultTime, kFaultCount,
// kFaultHeal), so a replayed or edited list can choose the plan instead.
FaultPlan DrawFaultPlan(const scenario::Scenario& scenario, sim::Prng faults_rng,
                        const sim::Decisions& decisions = {});

// The servers the scenario's own faults may fail for this plan (crash and deaf steps of a
// script, crash and deaf entries of the plan): a subset of {primary, backup}, in id order.
std::vector<service::NodeId> ServersFailedByScenario(const scenario::Scenario& scenario,
                                                     const FaultPlan& plan);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_FAULT_PLAN_H_
