// The JSON form of a sweep's result, as `locksim sweep --json` writes it and `locksim merge`
// reads it back: one pair of functions, so the schema lives in one place.
//
//   {"scenario", "scenario_path", "seeds", "first_seed", "requested": {"first_seed", "seeds"},
//    "shard": {"index", "count"}, "flaw", "expect", "failing_seeds": [seed...],
//    "failures": [{"seed", "kind", "message", "repro"}...], "outcome", "stopped_early",
//    "failure_rate_upper_95", "wall_seconds", "seeds_per_second", "simulated_seconds"}
//
// docs/command-line.md documents every key.
#ifndef LOCKSIM_RUNNER_SWEEP_JSON_H_
#define LOCKSIM_RUNNER_SWEEP_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "runner/sweep.h"

namespace locksim::runner {

nlohmann::json SweepResultJson(const SweepResult& result);

// The inverse of SweepResultJson for every key it writes. The keys scripts rely on ("scenario",
// "seeds", "first_seed", "expect", "failing_seeds") and "failures" are required; the others are
// read when present. "outcome" must agree with "failing_seeds", and "failures" must list the
// failing seeds in order; keys computed from others (rates, speeds) are not read. Unknown keys
// are ignored. Each error names `file` and the JSON path.
absl::StatusOr<SweepResult> SweepResultFromJson(const nlohmann::json& value,
                                                const std::string& file);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_SWEEP_JSON_H_
