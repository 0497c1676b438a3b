// Text for a terminal: ANSI colours that are added only when the output is a terminal that wants
// them, and indentation that keeps a multi-line message under its heading. The one home of both
// for every human report (run, sweep, explore, shrink, load).
#ifndef LOCKSIM_BASE_TERMINAL_TEXT_H_
#define LOCKSIM_BASE_TERMINAL_TEXT_H_

#include <string>
#include <string_view>

namespace locksim {

inline constexpr const char* kGreen = "\033[32m";
inline constexpr const char* kRed = "\033[31m";
inline constexpr const char* kBold = "\033[1m";

// `text` in `code` (one of the above) followed by a reset when `color`, else `text` unchanged.
std::string Paint(bool color, const char* code, std::string_view text);

// `text` with `prefix` after every newline: its later lines line up under the first.
std::string Indent(std::string_view text, std::string_view prefix);

}  // namespace locksim

#endif  // LOCKSIM_BASE_TERMINAL_TEXT_H_
