// Reading history files with simdjson's On-Demand API: the way every file is read.
//
// simdjson finds the structure of the whole text with SIMD instructions first (the CPU's best,
// chosen at run time), then this reader walks it once, building the History as it goes, with no
// DOM and no callback per value. It validates everything it reads: the whole text's UTF-8 and
// string syntax in that first pass, every value's type and syntax as it is read, and that nothing
// follows the document. It decides every *valid* file, in any layout (compact or pretty-printed,
// keys in any order, `return` null or absent, escapes in strings and keys), at several hundred
// MB/s, and says where it stopped on anything else, but not in the words a person needs: for
// that, ParseHistoryJson (check/history_json.h) runs the precise parser
// (check/history_json_precise.h) on a file this reader rejected.
#ifndef LOCKSIM_CHECK_HISTORY_JSON_SIMDJSON_H_
#define LOCKSIM_CHECK_HISTORY_JSON_SIMDJSON_H_

#include <cstddef>
#include <string_view>

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

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_HISTORY_JSON_SIMDJSON_H_
