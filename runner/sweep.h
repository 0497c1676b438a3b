// Seed sweeps: the same scenario over many seeds, in parallel across seeds. Each run stays
// single-threaded and deterministic; results are reported in seed order whatever the scheduling,
// so a sweep's output is itself a pure function of its arguments (except for timing figures).
#ifndef LOCKSIM_RUNNER_SWEEP_H_
#define LOCKSIM_RUNNER_SWEEP_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runner/parallel_runs.h"
#include "runner/simulation.h"
#include "scenario/scenario.h"
#include "service/flaws.h"

namespace locksim::runner {

struct Shard {
  uint64_t index = 0;  // 0-based
  uint64_t count = 1;
  bool operator==(const Shard&) const = default;
};

// Seeds [first, first + count) split into `shard.count` contiguous blocks; this is block
// `shard.index`. Together the blocks cover the range exactly once. (Explorations split their
// list of schedules the same way.)
struct SeedRange {
  uint64_t first = 0;
  uint64_t count = 0;
  bool operator==(const SeedRange&) const = default;
};
SeedRange ShardSeeds(uint64_t first_seed, uint64_t seeds, Shard shard);

struct SweepOptions {
  std::string scenario_path;  // for repro commands
  uint64_t first_seed = 0;
  uint64_t seeds = 1;
  Shard shard;
  int jobs = 1;
  service::Flaw flaw = service::Flaw::kNone;
  // Stop once this many failing seeds are known (0: never). The seeds reported are then exactly
  // the seeds up to the M-th failing one, whatever the scheduling.
  uint64_t max_failures = 0;
  // Run every seed twice and fail on any fingerprint difference.
  bool check_determinism = false;
  // How one seed runs. Tests substitute a run that is not deterministic, to see
  // check_determinism catch it and name where the runs part.
  std::function<RunResult(const scenario::Scenario&, const RunOptions&)> run_scenario = RunScenario;
  bool coverage = false;  // sum the runs' protocol events into SweepResult::coverage
  // Called now and then from the calling thread with (seeds done, failures so far).
  std::function<void(uint64_t, uint64_t)> progress;
};

// A failing seed of a sweep: a RunFailure without a schedule.
using SeedFailure = RunFailure;

// What a sweep (or one shard of it) found. Everything `locksim sweep --json` writes and
// `locksim merge` reads back (runner/sweep_json.h) is here, typed.
struct SweepResult {
  std::string scenario;       // the scenario's name
  std::string scenario_path;  // as given on the command line, for repro commands
  scenario::Expect expect = scenario::Expect::kPass;
  std::string flaw;     // "" when none
  SeedRange requested;  // --first-seed and --seeds, before sharding
  Shard shard;
  uint64_t first_seed = 0;            // the first seed this sweep (shard) ran
  uint64_t seeds_run = 0;             // seeds first_seed, first_seed + 1, ... that ran
  std::vector<SeedFailure> failures;  // by seed
  bool stopped_early = false;         // --max-failures cut the range short
  double wall_seconds = 0;
  int64_t simulated_micros = 0;                       // summed over runs
  std::optional<service::ProtocolCoverage> coverage;  // with SweepOptions::coverage
  bool operator==(const SweepResult&) const = default;
};

// The outcome is a violation iff some seed failed.
inline bool FoundViolation(const SweepResult& result) { return !result.failures.empty(); }
// "violation" or "pass", as the summary and the JSON say it.
inline const char* OutcomeName(const SweepResult& result) {
  return FoundViolation(result) ? "violation" : "pass";
}
// Whether the outcome is what the scenario expects: `sweep` and `merge` exit 0 iff it is.
inline bool MatchesExpectation(const SweepResult& result) {
  return FoundViolation(result) == (result.expect == scenario::Expect::kViolation);
}

SweepResult RunSweep(const scenario::Scenario& scenario, const SweepOptions& options);

// Seeds run per wall-clock second (0 when no time was measured).
double SeedsPerSecond(const SweepResult& result);

// The upper end of the 95% Wilson score interval for `failures` in `runs` trials.
double FailureRateUpperBound(uint64_t failures, uint64_t runs);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_SWEEP_H_
