// Reads a scenario file into a validated, immutable Scenario. Every error is one line:
// `FILE: JSON.PATH: what was expected` (e.g. `x.json: steps[3].client: client 5 does not exist
// (clients: 2)`). Unknown keys are errors, so a typo never silently changes a test.
#ifndef LOCKSIM_SCENARIO_SCENARIO_PARSER_H_
#define LOCKSIM_SCENARIO_SCENARIO_PARSER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "scenario/scenario.h"

namespace locksim::scenario {

// `file_path` names the source in errors and gives the default name (its stem).
absl::StatusOr<Scenario> ParseScenario(std::string_view json_text, std::string_view file_path);
absl::StatusOr<Scenario> LoadScenario(const std::string& file_path);

}  // namespace locksim::scenario

#endif  // LOCKSIM_SCENARIO_SCENARIO_PARSER_H_
