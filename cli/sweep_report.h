// How a sweep is told to people and to CI dashboards: a summary for a terminal or a log, and
// JUnit XML. Its JSON form is runner/sweep_json.h.
#ifndef LOCKSIM_CLI_SWEEP_REPORT_H_
#define LOCKSIM_CLI_SWEEP_REPORT_H_

#include <string>

#include "runner/sweep.h"

namespace locksim::cli {

// `jobs`: the parallel runs it used, for the speed line. `color`: ANSI colours.
std::string SweepSummary(const runner::SweepResult& result, int jobs, bool color);
std::string SweepJUnitXml(const runner::SweepResult& result);

}  // namespace locksim::cli

#endif  // LOCKSIM_CLI_SWEEP_REPORT_H_
