// The precise history-file parser: nlohmann's SAX parser with a handler that tracks the JSON
// path, so that every problem with a file becomes one exact message naming the file and the path,
// e.g. "h.json: operations[3].return: 2 is before invoke 5". It runs at about 100 MB/s, so
// ParseHistoryJson (check/history_json.h) reads files with simdjson and asks this parser only
// for the message of a file simdjson did not accept. The tests check that the two agree on every
// file: the same history, or both an error.
#ifndef LOCKSIM_CHECK_HISTORY_JSON_PRECISE_H_
#define LOCKSIM_CHECK_HISTORY_JSON_PRECISE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "check/history.h"

namespace locksim::check {

// `file_name` only labels error messages.
absl::StatusOr<History> ParseHistoryJsonPrecise(std::string_view json_text,
                                                std::string_view file_name);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_HISTORY_JSON_PRECISE_H_
