// History files (contract section 3):
//   {"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 0, "return": 5,
//                    "result": true}, ...]}
// `return` null or absent: pending (then `result` must be null or absent). Malformed input is an
// error whose message names the file and the JSON path, e.g.
//   h.json: operations[3].return: 2 is before invoke 5
#ifndef LOCKSIM_CHECK_HISTORY_JSON_H_
#define LOCKSIM_CHECK_HISTORY_JSON_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "check/history.h"

namespace locksim::check {

// `file_name` only labels error messages. Plain files take a fast path
// (check/history_json_fast.h); anything else, and every error, goes through the general parser.
absl::StatusOr<History> ParseHistoryJson(std::string_view json_text, std::string_view file_name);

// The general parser alone (the tests compare the fast path with it).
absl::StatusOr<History> ParseHistoryJsonGeneral(std::string_view json_text,
                                                std::string_view file_name);

// Reads and parses a history file; errors name `path`.
absl::StatusOr<History> LoadHistoryJsonFile(const std::string& path);

// The history in the file format, one operation per line; ParseHistoryJson reads it back equal.
std::string WriteHistoryJson(const History& history);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_HISTORY_JSON_H_
