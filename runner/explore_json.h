// The JSON form of an exploration's result, as `locksim explore --json` writes it:
//
//   {"scenario", "scenario_path", "strategy", "depth", "budget", "flaw", "expect",
//    "first_seed", "seeds", "shard": {"index", "count"}, "schedules", "space", "exhaustive",
//    "exhaustive_depth", "exhaustive_schedules", "outcome", "stopped_early", "guarantee",
//    "failing": [{"kind", "message", "repro", "seed", "schedule"}...],
//    "failures": [{"seed", "kind", "message", "repro", "schedule"}...],
//    "wall_seconds", "schedules_per_second", "simulated_seconds"}
//
// "failing" and "failures" list the same failing schedules in schedule order (the first is the
// issue's name, the second the shape `sweep` uses). docs/command-line.md documents every key.
#ifndef LOCKSIM_RUNNER_EXPLORE_JSON_H_
#define LOCKSIM_RUNNER_EXPLORE_JSON_H_

#include <nlohmann/json.hpp>

#include "runner/explore.h"

namespace locksim::runner {

nlohmann::json ExploreResultJson(const ExploreResult& result);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_EXPLORE_JSON_H_
