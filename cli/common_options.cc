#include "cli/common_options.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace locksim::cli {

void AddFlawOption(CLI::App& command, std::string* flaw_name) {
  command.add_option("--flaw", *flaw_name,
                     "switch on a built-in, documented bug (see `locksim flaws`)");
}

absl::StatusOr<service::Flaw> ParseFlawOption(const std::string& flaw_name) {
  if (flaw_name.empty()) return service::Flaw::kNone;
  if (std::optional<service::Flaw> flaw = service::FlawByName(flaw_name)) return *flaw;
  std::string known;
  for (const service::FlawInfo& info : service::AllFlaws()) {
    absl::StrAppend(&known, known.empty() ? "" : ", ", std::string(info.name));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--flaw ", flaw_name, ": no such flaw (known: ", known, ")"));
}

bool StdoutWantsColor() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return isatty(STDOUT_FILENO) != 0;
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) != 0; }

}  // namespace locksim::cli
