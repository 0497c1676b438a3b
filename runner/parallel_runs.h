// The engine under `sweep` and `explore`: runs an indexed list of independent runs on several
// threads and reports them in index order, so the report is a pure function of the list (except
// for timing). Each run stays single-threaded and deterministic; parallelism is across runs only.
#ifndef LOCKSIM_RUNNER_PARALLEL_RUNS_H_
#define LOCKSIM_RUNNER_PARALLEL_RUNS_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "service/protocol_events.h"

namespace locksim::runner {

// A failing run, as sweeps and explorations list it (docs/command-line.md, `failures`).
struct RunFailure {
  uint64_t seed = 0;
  std::string schedule;  // the exploration schedule's token; "" for a plain seed
  std::string kind;      // the first violation's kind, or "nondeterminism"
  std::string message;   // the first violation's message
  std::string repro;     // a `locksim run ...` command that fails the same way
  bool operator==(const RunFailure&) const = default;
};

// What the engine keeps of one run.
struct IndexedRun {
  bool failed = false;
  RunFailure failure;  // when failed
  int64_t simulated_micros = 0;
  service::ProtocolCoverage coverage{};  // the run's protocol events, when the caller counts them
};

struct ParallelRunsOptions {
  uint64_t count = 0;  // runs 0 .. count-1
  int jobs = 1;
  // Stop once this many runs failed (0: never). The runs reported are then exactly runs 0 .. i
  // where i is the M-th failing one, whatever the scheduling.
  uint64_t max_failures = 0;
  // Called now and then from the calling thread with (runs done, failures so far).
  std::function<void(uint64_t, uint64_t)> progress;
};

struct ParallelRunsResult {
  std::vector<IndexedRun> runs;  // the reported prefix of the list, in index order
  bool stopped_early = false;    // max_failures cut the list short
  double wall_seconds = 0;
};

// Runs `run(i, worker)` for every index on `jobs` threads (workers take indices in increasing
// order; `worker`, 0 .. jobs-1, says which thread, for what a thread keeps between its runs) and
// returns the reported prefix. `run` is called concurrently and must be thread-safe.
ParallelRunsResult RunInParallel(const ParallelRunsOptions& options,
                                 const std::function<IndexedRun(uint64_t index, int worker)>& run);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_PARALLEL_RUNS_H_
