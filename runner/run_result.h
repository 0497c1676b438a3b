// What one run of a scenario produced: the verdict of every check, what happened, and how to
// reproduce it. Plain data: the report printers (human, JSON) and the sweep read it.
#ifndef LOCKSIM_RUNNER_RUN_RESULT_H_
#define LOCKSIM_RUNNER_RUN_RESULT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "check/history.h"
#include "service/protocol_events.h"
#include "sim/time.h"
#include "sim/world.h"

namespace locksim::runner {

// `violations[].kind` of `locksim run --json` (docs/command-line.md) is one of these names.
inline constexpr const char* kViolationLinearizability = "linearizability";
inline constexpr const char* kViolationExpectation = "expectation";
inline constexpr const char* kViolationLiveness = "liveness";
inline constexpr const char* kViolationBudget = "budget";
// An RPC timed out with no fault to explain it (runner/run_checks.h, CheckProgress).
inline constexpr const char* kViolationProgress = "progress";
inline constexpr const char* kViolationReplicaAgreement = "replica_agreement";
inline constexpr const char* kViolationAssertion = "assertion";

struct Violation {
  std::string kind;
  // One paragraph a person can follow, safe to print on a terminal: the names it quotes from the
  // scenario (locks) are escaped (base/printable.h).
  std::string message;
  std::string lock;  // linearizability: the lock whose operations cannot be ordered
};

// The verdict of one check.
struct CheckVerdict {
  std::string name;  // "linearizability", "expectations", "liveness", "replica agreement"
  bool passed = true;
  std::string summary;  // e.g. "412 operations on 3 locks are linearizable"
};

// A fault of the plan (or a scripted crash/deaf step) that took effect.
struct FiredFault {
  sim::Time at;
  std::string description;  // e.g. "crash primary (after it handled 37 messages)"
};

struct RunResult {
  std::string scenario;       // the scenario's name
  std::string scenario_path;  // as given on the command line
  uint64_t seed = 0;
  std::string flaw;      // "" when none
  std::string schedule;  // the exploration schedule the run had, for people; "" when none
  service::ProtocolCoverage coverage{};  // both servers' protocol events (--coverage)
  bool passed = true;
  std::vector<Violation> violations;
  std::vector<CheckVerdict> checks;
  std::vector<FiredFault> faults;
  std::string repro;  // the command that reproduces this exact run

  // What happened.
  int64_t operations_invoked = 0;
  int64_t operations_completed = 0;  // returned with a result
  int64_t operations_failed = 0;     // the clerk gave up
  sim::NetworkStats network;
  sim::Time end_time;
  sim::StopReason stop_reason = sim::StopReason::kQuiescent;
  std::optional<sim::AssertionStop> assertion;  // the failed assertion that stopped the run
  uint64_t events = 0;
  uint64_t fingerprint = 0;
  check::History history;
};

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_RUN_RESULT_H_
