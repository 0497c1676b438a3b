// The verdict on a `locksim load` run and how it is told: the checks that apply to a real run
// (linearizability of the history, liveness: every call completed), speed (operations per second,
// latency percentiles), a human summary in the style of `locksim run`, and one JSON object.
//
// Replica agreement is not checked (the servers' tables live in other processes), nor scripted
// expectations (load runs workloads only).
#ifndef LOCKSIM_NET_LOAD_REPORT_H_
#define LOCKSIM_NET_LOAD_REPORT_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "net/load_driver.h"
#include "net/runtime.h"

namespace locksim::net {

// Nearest-rank percentiles of operation latencies, in microseconds; all 0 when there are none.
struct LatencySummary {
  int64_t p50_us = 0;
  int64_t p99_us = 0;
  int64_t max_us = 0;
};
// Sorts `latencies_us`.
LatencySummary SummarizeLatencies(std::vector<int64_t>& latencies_us);

// What the run was, for the report.
struct LoadContext {
  std::string scenario;       // its name
  std::string scenario_path;  // as given
  uint64_t seed = 0;
  std::string flaw;  // "" when none
  uint32_t session = 0;
  std::string primary;  // as given
  std::string backup;
  std::string history_path;  // "" when not written
  int64_t deadline_ms = 0;
  // Parts of the scenario a real run cannot use (its network model, its faults), said once.
  std::vector<std::string> ignored;
};

struct LoadViolation {
  std::string kind;  // "linearizability" or "liveness", as runner/run_result.h names them
  std::string message;
};
struct LoadCheck {
  std::string name;
  bool passed = true;
  std::string summary;
};

struct LoadReport {
  LoadContext context;
  bool passed = true;
  std::vector<LoadCheck> checks;
  std::vector<LoadViolation> violations;
  int64_t invoked = 0;
  int64_t completed = 0;
  int64_t failed = 0;
  bool deadline_hit = false;
  double seconds = 0;
  double ops_per_second = 0;
  LatencySummary latency;
  RuntimeStats calls;
  std::string rerun;  // the command line that runs the same workload again
};

// Runs the checks on `outcome` (sorting its latencies).
LoadReport CheckLoad(LoadContext context, LoadOutcome& outcome);

// The summary for people; `color`: ANSI colours for a terminal.
std::string HumanLoadSummary(const LoadReport& report, bool color);
// {"scenario", "seed", "outcome", "violations", "checks", "operations", "calls", "seconds",
//  "ops_per_second", "latency_us": {"p50", "p99", "max"}, "reproducible": false, ...}
nlohmann::json LoadReportJson(const LoadReport& report);

// Said with every real run.
inline constexpr const char* kNotReproducibleNote =
    "a real run is not reproducible the way a simulated one is: the seed fixes each client's "
    "operations, but their timing, and so the history and the verdict, come from the machine "
    "and the network";

}  // namespace locksim::net

#endif  // LOCKSIM_NET_LOAD_REPORT_H_
