// Systematic exploration of a scenario's schedules (`locksim explore`, docs/exploration.md):
// instead of sampling seeds, enumerate or prioritise the decisions that matter.
//
// - faults: every placement of the failure model's faults in the seed's run (a crash of the
//   primary or the backup right after each message it handles, the primary deaf at each client
//   request, each single lost reply), and with depth 2 every pair; exhaustive when the space fits
//   the budget. The scenario's own faults stay; a server fault is only placed on a server the
//   scenario itself may fail (either when it fails none), so every schedule stays within "at
//   most one server fails".
// - pct: probabilistic concurrency testing of delivery order (runner/pct_schedule.h), one
//   schedule per seed.
// - swarm: a configuration drawn per seed (runner/swarm.h), workload scenarios only.
//
// Every schedule is run by RunScheduled, the same function `locksim run --schedule` uses, so
// every repro command printed fails the same way. Runs go through runner/parallel_runs.h: the
// report is in schedule order and does not depend on the number of jobs.
#ifndef LOCKSIM_RUNNER_EXPLORE_H_
#define LOCKSIM_RUNNER_EXPLORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/parallel_runs.h"
#include "runner/run_result.h"
#include "runner/schedule.h"
#include "runner/simulation.h"
#include "runner/sweep.h"
#include "scenario/scenario.h"
#include "service/flaws.h"

namespace locksim::runner {

enum class ExploreStrategy : uint8_t { kFaults, kPct, kSwarm };
const char* StrategyName(ExploreStrategy strategy);  // "faults", "pct", "swarm"
std::optional<ExploreStrategy> StrategyByName(std::string_view name);
// faults for a script, swarm for a workload.
ExploreStrategy DefaultStrategy(const scenario::Scenario& scenario);

inline constexpr uint64_t kDefaultFaultsBudget = 20'000;
inline constexpr uint64_t kDefaultSampledBudget = 1'000;  // pct and swarm
inline constexpr int kDefaultPctDepth = 3;

struct ExploreOptions {
  std::string scenario_path;  // for repro commands
  ExploreStrategy strategy = ExploreStrategy::kFaults;
  // faults: at most this many faults per schedule (1 or 2); pct: the depth d.
  int depth = 1;
  uint64_t budget = kDefaultFaultsBudget;  // at most this many schedules (per shard, depth 2)
  // faults: the seeds whose runs are explored (each exhaustively), first_seed .. +seeds-1.
  // pct and swarm: schedule i runs seed first_seed + i.
  uint64_t first_seed = 0;
  uint64_t seeds = 1;
  Shard shard;
  int jobs = 1;
  service::Flaw flaw = service::Flaw::kNone;
  uint64_t max_failures = 0;  // stop after this many failing schedules (0: never)
  bool coverage = false;      // sum the schedules' protocol events into ExploreResult::coverage
  // faults: run each schedule from a fork of its parent's run (the schedule without its last
  // placement) taken just before the event where they part, instead of replaying the shared
  // prefix; the results are the same either way (tests compare them).
  bool fork_runs = true;
  // Called now and then with (schedules done, schedules known so far, failing so far).
  std::function<void(uint64_t, uint64_t, uint64_t)> progress;
};

struct ExploreResult {
  std::string scenario;
  std::string scenario_path;
  scenario::Expect expect = scenario::Expect::kPass;
  std::string flaw;  // "" when none
  ExploreStrategy strategy = ExploreStrategy::kFaults;
  int depth = 1;
  uint64_t budget = 0;
  uint64_t first_seed = 0;
  uint64_t seeds = 0;  // faults: the seeds explored
  Shard shard;
  uint64_t schedules_run = 0;
  // The schedules in the space this exploration covers (this shard's part), when known: for
  // faults the enumerated placements (depth 2: once every pair is known); for pct and swarm the
  // schedules asked for.
  std::optional<uint64_t> space;
  // Every schedule of the space ran (faults only). With depth 2 and a space beyond the budget,
  // depth 1 may still be exhaustive: exhaustive_depth says up to which depth.
  bool exhaustive = false;
  int exhaustive_depth = 0;
  uint64_t exhaustive_schedules = 0;  // the schedules of the exhaustive depths
  bool stopped_early = false;         // --max-failures cut the list short
  std::vector<RunFailure> failures;
  uint64_t pct_sends = 0;  // pct: n
  double wall_seconds = 0;
  int64_t simulated_micros = 0;
  std::optional<service::ProtocolCoverage> coverage;  // with ExploreOptions::coverage
  // What the result means, in a sentence or two (exhaustiveness or the pct guarantee).
  std::string guarantee;
};

inline bool FoundViolation(const ExploreResult& r) { return !r.failures.empty(); }
inline const char* OutcomeName(const ExploreResult& r) {
  return FoundViolation(r) ? "violation" : "pass";
}
inline bool MatchesExpectation(const ExploreResult& r) {
  return FoundViolation(r) == (r.expect == scenario::Expect::kViolation);
}

// Why the options cannot explore `scenario` (swarm on a script, a depth out of range, a budget
// below the seeds), or "" when they can.
std::string ExploreMisfit(const scenario::Scenario& scenario, const ExploreOptions& options);

// REQUIRES: ExploreMisfit(scenario, options) is "".
ExploreResult RunExplore(const scenario::Scenario& scenario, const ExploreOptions& options);

// One run of `scenario` under `schedule` (`locksim run --schedule` and every exploration run):
// the schedule's source, its scenario for swarm, and "--schedule TOKEN" in the repro command.
// `options` gives the seed, flaw, path, sinks and history; its decision source must be unset
// (recording is allowed). With `keep_points`, a faults schedule's result also lists the injection
// points the run passed after its last placement (or all of them), for the next depth.
struct ScheduledRunResult {
  RunResult result;
  std::vector<FaultPlacement> points_after_last_placement;  // faults schedules only
  std::vector<uint64_t> point_events;  // the event each of those fell in (FaultsSource)
};
ScheduledRunResult RunScheduled(const scenario::Scenario& scenario, const Schedule& schedule,
                                RunOptions options, bool keep_points = false);
// The same result as RunScheduled, from a fork of `parent` instead of from the start: `parent` is
// a run paused before the event where `schedule`'s last placement falls, of a faults schedule
// whose placements are all but that last one of `schedule`'s, driven by `parent_source`.
ScheduledRunResult RunScheduledFrom(const ForkableRun& parent, const FaultsSource& parent_source,
                                    const scenario::Scenario& scenario, const Schedule& schedule,
                                    RunOptions options, bool keep_points = false);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_EXPLORE_H_
