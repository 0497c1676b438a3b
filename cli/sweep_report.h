// How a sweep is told: a summary for people, one JSON object (contract section 4), JUnit XML.
// `locksim merge` reads the JSON of several shards back and reports the union the same way.
#ifndef LOCKSIM_CLI_SWEEP_REPORT_H_
#define LOCKSIM_CLI_SWEEP_REPORT_H_

#include <nlohmann/json.hpp>
#include <string>

#include "runner/sweep.h"
#include "scenario/scenario.h"

namespace locksim::cli {

struct SweepReport {
  const scenario::Scenario& scenario;
  const runner::SweepOptions& options;
  const runner::SweepResult& result;
};

bool SweepMatchesExpectation(const SweepReport& report);
std::string SweepSummary(const SweepReport& report, bool color);
nlohmann::json SweepJson(const SweepReport& report);
std::string SweepJUnitXml(const SweepReport& report);

}  // namespace locksim::cli

#endif  // LOCKSIM_CLI_SWEEP_REPORT_H_
