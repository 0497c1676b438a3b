// How a run is told to a person (a summary for a terminal or a log) and to a program (one JSON
// object, docs/command-line.md).
#ifndef LOCKSIM_RUNNER_REPORT_H_
#define LOCKSIM_RUNNER_REPORT_H_

#include <nlohmann/json.hpp>
#include <string>

#include "runner/run_result.h"

namespace locksim::runner {

// The human summary. `color`: ANSI colours (callers pass true only for a terminal without
// NO_COLOR).
std::string HumanSummary(const RunResult& result, bool color);

// {"scenario", "seed", "outcome", "violations": [{"kind", "message"}], "repro", ...}
nlohmann::json RunResultJson(const RunResult& result);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_REPORT_H_
