// A list of runs as JUnit XML for CI dashboards (`sweep --junit`, `explore --junit`): one test
// case per failing run and one summary case. For a "pass" scenario each failing run is a failed
// test case; for a "violation" scenario failing runs are what it exists to show, so only the
// summary case can fail.
#ifndef LOCKSIM_CLI_JUNIT_H_
#define LOCKSIM_CLI_JUNIT_H_

#include <string>
#include <vector>

#include "runner/parallel_runs.h"

namespace locksim::cli {

struct JUnitRuns {
  std::string suite;  // e.g. "locksim sweep primary_crash"
  bool expects_violation = false;
  bool matches_expectation = true;
  std::vector<runner::RunFailure> failures;
  std::vector<std::string> failure_names;  // one test case name per failure ("seed 4")
  std::string summary_name;                // "summary: 1000 seeds from 0"
  std::string mismatch;                    // why the outcome is not as expected
  double seconds = 0;
};

std::string JUnitXml(const JUnitRuns& runs);
std::string XmlEscape(const std::string& text);

}  // namespace locksim::cli

#endif  // LOCKSIM_CLI_JUNIT_H_
