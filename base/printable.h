// Text that came from outside (a lock name, a JSON key, a file name) made safe to show on a
// terminal. A history or scenario file may hold any string; printed raw, a name with an escape
// sequence could clear the screen, recolour or rewrite earlier lines, or hide text, and a report
// would no longer say what the file says. Human output passes such text through here; JSON
// output has its own escaping.
//
// Escaped: C0 control characters and DEL (\n, \r, \t, else \xNN); the C1 controls U+0080..U+009F
// and the invisible or reordering format characters (U+061C, U+200B..U+200F, U+2028..U+202E,
// U+2060..U+2069, U+FEFF) as \uNNNN; bytes that are not part of valid UTF-8 as \xNN; and the
// backslash as \\, so that every escape reads back unambiguously. Everything else, including
// printable non-ASCII UTF-8 such as "été", passes unchanged.
#ifndef LOCKSIM_BASE_PRINTABLE_H_
#define LOCKSIM_BASE_PRINTABLE_H_

#include <string>
#include <string_view>

namespace locksim {

std::string Printable(std::string_view text);

// Printable(text) between double quotes, with the double quote escaped too: "a \"b\"".
std::string QuotedPrintable(std::string_view text);

}  // namespace locksim

#endif  // LOCKSIM_BASE_PRINTABLE_H_
