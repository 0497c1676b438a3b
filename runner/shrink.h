// `locksim shrink`: from a failing run to the smallest scripted scenario found that fails the
// same check (and, for linearizability, on the same lock) on every seed.
//
// 1. Decisions: the failing run's decision list (sim/decisions.h) is shrunk the way Hypothesis
//    shrinks its choice sequences: stop clients' workloads early (fewest operations first), delete
//    blocks of operations, empty or zero whole streams (minimum latency, no loss, no fault), then
//    zero and minimise single values. An edit is kept iff the replayed run still fails the same
//    way and its recorded list is smaller (shorter, else lexicographically smaller), so the search
//    ends; every pass is deterministic, and the number of runs is bounded.
// 2. Script: the final run becomes a scripted scenario (runner/shrink_script.h) that needs no
//    randomness: its operations at their invoke times, a fixed minimum latency with a rule for
//    each message whose fate differed, its crashes tied to the message they followed.
// 3. Steps: ddmin over the script's operations, rules and faults, then shorter pauses; the result
//    is run on 100 seeds (each must fail the same way) and, with a flaw, once more without it.
#ifndef LOCKSIM_RUNNER_SHRINK_H_
#define LOCKSIM_RUNNER_SHRINK_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "runner/run_result.h"
#include "scenario/scenario.h"
#include "service/flaws.h"
#include "sim/decisions.h"

namespace locksim::runner {

struct ShrinkOptions {
  uint64_t seed = 1;
  service::Flaw flaw = service::Flaw::kNone;
  std::string scenario_path;  // as the user named it, for the description
  // Replay this list instead of the seed's draws (the run `run --decisions` replays).
  std::optional<sim::DecisionList> decisions;
  // Runs each phase may spend at most (a bound on work, not on time: the result stays the same on
  // every machine).
  int max_decision_runs = 4000;
  int max_script_runs = 2000;
  int check_seeds = 100;
};

struct RunSize {
  int64_t clients = 0;
  int64_t operations = 0;
  int64_t faults = 0;
  int64_t messages = 0;
  int64_t events = 0;
};

struct ShrinkResult {
  std::string kind;  // the violation kind kept
  std::string lock;  // linearizability: the lock (as the shrunk scenario names it)
  RunSize original;
  RunSize shrunk;
  std::string scenario_text;  // the shrunk scenario file
  scenario::Scenario scenario;
  RunResult shrunk_run;   // the shrunk scenario's run on the given seed
  int seeds_failing = 0;  // of check_seeds
  int check_seeds = 0;
  // With a flaw: whether the shrunk scenario passes without it (on every checked seed).
  std::optional<bool> passes_without_flaw;
  int runs = 0;  // simulations run in all
};

// NotFound: the run passes (nothing to shrink). InvalidArgument: it fails in a way a script
// cannot keep (only an unmet `expect` of a scripted scenario; a partition, which a script cannot
// name). Internal: the script of the shrunk run did not fail the same way (a shrinker bug; the
// message says so).
absl::StatusOr<ShrinkResult> Shrink(const scenario::Scenario& scenario,
                                    const ShrinkOptions& options);

RunSize SizeOf(const RunResult& result, int clients);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_SHRINK_H_
