// How an exploration is told to people and to CI dashboards: a summary for a terminal or a log,
// and JUnit XML. Its JSON form is runner/explore_json.h.
#ifndef LOCKSIM_CLI_EXPLORE_REPORT_H_
#define LOCKSIM_CLI_EXPLORE_REPORT_H_

#include <string>

#include "runner/explore.h"

namespace locksim::cli {

// `jobs`: the parallel runs it used, for the speed line. `color`: ANSI colours.
std::string ExploreSummary(const runner::ExploreResult& result, int jobs, bool color);
std::string ExploreJUnitXml(const runner::ExploreResult& result);

}  // namespace locksim::cli

#endif  // LOCKSIM_CLI_EXPLORE_REPORT_H_
