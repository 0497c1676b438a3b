// A fast path for history files in the plain form recorders write: the contract's format with
// integer times, "lock"/"unlock", lock names of printable ASCII without escapes, and JSON
// whitespace anywhere it is allowed. It makes one pass over the bytes with no tokenizer and no
// per-value callbacks: seven to eight times the speed of the general parser (650-1000 MB/s
// against 91-126 MB/s on one machine; docs/benchmarks.md).
//
// It decides nothing about bad input: on anything outside that form, valid or not, it returns
// nothing and ParseHistoryJson runs the general parser, which accepts what is valid and names
// the file and JSON path of what is not. So the fast path must only ever accept text that the
// general parser accepts, with the same result; tests/check/history_json_fast_test.cc checks
// that on random and mutated files.
#ifndef LOCKSIM_CHECK_HISTORY_JSON_FAST_H_
#define LOCKSIM_CHECK_HISTORY_JSON_FAST_H_

#include <optional>
#include <string_view>

#include "check/history.h"

namespace locksim::check {

std::optional<History> ParsePlainHistoryJson(std::string_view json_text);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_HISTORY_JSON_FAST_H_
