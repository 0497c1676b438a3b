// Finds a key given twice in one JSON object. nlohmann keeps the last value silently, and a
// scenario file with `"clients": 2, ..., "clients": 20` should be an error like any other typo.
#ifndef LOCKSIM_SCENARIO_DUPLICATE_KEYS_H_
#define LOCKSIM_SCENARIO_DUPLICATE_KEYS_H_

#include <optional>
#include <string>
#include <string_view>

namespace locksim::scenario {

// The JSON path of the first repeated key (e.g. "network.drop.reply", "steps[2].lock"), or
// nullopt. REQUIRES: `json_text` is valid JSON (parse it first for a good error otherwise).
std::optional<std::string> FindDuplicateKey(std::string_view json_text);

}  // namespace locksim::scenario

#endif  // LOCKSIM_SCENARIO_DUPLICATE_KEYS_H_
