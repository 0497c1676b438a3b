// The checks of a finished run: no failed assertion in the protocol code, linearizability of the
// history, scripted expectations, liveness, progress, and replica agreement. Each adds a
// CheckVerdict and, when it fails, Violations.
#ifndef LOCKSIM_RUNNER_RUN_CHECKS_H_
#define LOCKSIM_RUNNER_RUN_CHECKS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "check/history.h"
#include "runner/run_result.h"
#include "sim/world.h"

namespace locksim::runner {

// A scripted step's `expect`: operation `operation` (index into the history) must return it.
struct Expectation {
  size_t operation = 0;
  size_t step = 0;  // index into the scenario's steps
  bool expected = false;
};

// The locks a server holds, sorted by name (never-used and released locks are free alike).
using HeldLocks = std::vector<std::string>;

struct FinishedRun {
  const check::History* history = nullptr;
  std::vector<Expectation> expectations;
  std::vector<bool> gave_up;  // per operation: the clerk reported failure
  // A scripted run that ended before this step could run (e.g. waiting for a call that never
  // returned); nullopt when every step ran.
  std::optional<size_t> unfinished_step;
  sim::StopReason stop_reason = sim::StopReason::kQuiescent;
  sim::Budget budget;  // the run's bounds, named when it hit one
  sim::Time end_time;
  uint64_t events = 0;
  // Both servers' held locks when both are alive at the end; nullopt otherwise (a crashed
  // server's table is not part of the service any more).
  std::optional<std::pair<HeldLocks, HeldLocks>> live_held;
  // Set when a failed assertion in protocol code stopped the run (stop_reason kAssertion). The
  // other checks then judge what happened before it: calls it cut short are neither failed
  // expectations nor liveness violations, and the servers' tables are not compared mid-flight.
  std::optional<sim::AssertionStop> assertion;
  // RPC timeouts no fault explains (sim::UnexplainedTimeout), in the order they happened.
  std::vector<sim::UnexplainedTimeout> unexplained_timeouts;
};

void CheckAssertion(const FinishedRun& run, RunResult* result);
void CheckLinearizability(const FinishedRun& run, RunResult* result);
void CheckExpectations(const FinishedRun& run, RunResult* result);
void CheckLiveness(const FinishedRun& run, RunResult* result);
// Progress: no call times out unless a fault explains it (a lost, blocked, discarded or slow
// message near the callee, a failed call of the callee's, a crashed or deaf server). A correct
// service answers within a round trip and a forward's, so in a run without faults nothing times
// out; a reply that waits for a timer instead of the message it waits for fails this check.
void CheckProgress(const FinishedRun& run, RunResult* result);
void CheckReplicaAgreement(const FinishedRun& run, RunResult* result);

// All six, in that order (a failed assertion, the root cause when there is one, comes first);
// sets result->passed.
void RunAllChecks(const FinishedRun& run, RunResult* result);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_RUN_CHECKS_H_
