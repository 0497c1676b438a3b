// History files (docs/history-format.md):
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

// simdjson reads the text (check/history_json_simdjson.h): streamed a slice at a time, or, when
// the stream leaves it, whole; when simdjson does not accept it, the precise parser
// (check/history_json_precise.h) words the error. `file_name` only labels error messages.
absl::StatusOr<History> ParseHistoryJson(std::string_view json_text, std::string_view file_name);

// Reads and parses a history file; errors name `path`. A regular file is streamed (never whole in
// memory) and read again whole only if the stream leaves it; a pipe (such as /dev/stdin) is read
// whole. Files larger than 4 GiB - 1 bytes are refused (simdjson's limit).
absl::StatusOr<History> LoadHistoryJsonFile(const std::string& path);

// The history in the file format, one operation per line; ParseHistoryJson reads it back equal.
std::string WriteHistoryJson(const History& history);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_HISTORY_JSON_H_
