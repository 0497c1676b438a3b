// The protocol coverage of a set of runs (service/protocol_events.h) for people and for JSON, as
// `sweep --coverage` and `explore --coverage` print it.
#ifndef LOCKSIM_RUNNER_COVERAGE_REPORT_H_
#define LOCKSIM_RUNNER_COVERAGE_REPORT_H_

#include <nlohmann/json.hpp>
#include <string>

#include "service/protocol_events.h"

namespace locksim::runner {

// One line per event: "  coverage   duplicate_answered_at_primary        412", events the
// coverage gate does not require marked "(outside the gate)".
std::string CoverageSummary(const service::ProtocolCoverage& coverage);
// {"duplicate_answered_at_primary": 412, ...}
nlohmann::json CoverageJson(const service::ProtocolCoverage& coverage);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_COVERAGE_REPORT_H_
