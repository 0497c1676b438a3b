#include "base/terminal_text.h"

#include "absl/strings/str_cat.h"

namespace locksim {

std::string Paint(bool color, const char* code, std::string_view text) {
  std::string out(text);
  return color ? absl::StrCat(code, out, "\033[0m") : out;
}

std::string Indent(std::string_view text, std::string_view prefix) {
  std::string out;
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out.append(prefix);
  }
  return out;
}

}  // namespace locksim
