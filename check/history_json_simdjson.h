// Reading history files with simdjson's On-Demand API: the way every file is read.
//
// simdjson finds the structure of a text with SIMD instructions first (the CPU's best, chosen at
// run time), then the reader here walks it once, building the History as it goes, with no DOM
// and no callback per value. It validates everything it reads: the UTF-8 and string syntax of the
// whole text in that first pass, every value's type and syntax as it is read, and that nothing
// follows the document. It takes every *valid* file, in any layout (compact or pretty-printed,
// keys in any order, `return` null or absent, escapes in strings and keys), and says where it
// stopped on anything else, but not in the words a person needs: for that, ParseHistoryJson
// (check/history_json.h) runs the precise parser (check/history_json_precise.h).
//
// Two ways in. ReadHistoryJsonWithSimdjson indexes the whole text at once. StreamHistoryJson
// reads the text a few hundred KiB at a time and hands simdjson the operations a slice at a
// time, so that the text never needs to be in memory whole and simdjson's index (4 bytes per
// byte of text, reserved for the whole text) stays small and in cache: on a 100 MB file that
// took a third off the time and three quarters off the memory (docs/benchmarks.md). It takes
// what is valid and plainly framed; anything else it leaves to the whole-text reader, which
// decides.
#ifndef LOCKSIM_CHECK_HISTORY_JSON_SIMDJSON_H_
#define LOCKSIM_CHECK_HISTORY_JSON_SIMDJSON_H_

#include <cstddef>
#include <optional>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "check/history.h"

namespace locksim::check {

// simdjson reads up to this many bytes past the end of the text (SIMDJSON_PADDING); the
// .cc checks the two agree.
inline constexpr size_t kHistoryJsonPadding = 64;

// The largest text simdjson can index (SIMDJSON_MAXSIZE_BYTES: 4 GiB - 1).
inline constexpr size_t kHistoryJsonMaxBytes = 0xFFFFFFFF;

// The history, or an error saying where the reader stopped and simdjson's reason (for the rare
// case that the precise parser accepts what this reader does not, and for tests).
// REQUIRES: `text` is followed in memory by kHistoryJsonPadding readable bytes (any values);
// text.size() <= kHistoryJsonMaxBytes.
absl::StatusOr<History> ReadHistoryJsonWithSimdjson(std::string_view text);

// Where StreamHistoryJson gets its bytes: fills `buffer` with up to `size` bytes and returns how
// many (0 at the end), or an error.
using HistoryJsonSource = absl::FunctionRef<absl::StatusOr<size_t>(char* buffer, size_t size)>;

// Reads a history from `source`. `size_hint` (the text's size, when known, else 0) sizes the
// history up front. Returns the history; nothing when the text was not taken (it is not valid,
// or it is valid but framed unusually: the "operations" key written with escapes, a trailing
// comma's place in doubt...): the caller then reads the whole text with
// ReadHistoryJsonWithSimdjson, which decides; or the source's error.
// Whatever it takes, ReadHistoryJsonWithSimdjson takes and reads the same (the tests check it).
absl::StatusOr<std::optional<History>> StreamHistoryJson(HistoryJsonSource source,
                                                         size_t size_hint);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_HISTORY_JSON_SIMDJSON_H_
