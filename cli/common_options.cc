#include "cli/common_options.h"

#include <unistd.h>

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

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

absl::StatusOr<runner::Shard> ParseShard(const std::string& text) {
  runner::Shard shard;
  if (text.empty()) return shard;
  const std::vector<std::string> parts = absl::StrSplit(text, '/');
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &shard.index) ||
      !absl::SimpleAtoi(parts[1], &shard.count) || shard.count == 0 || shard.index >= shard.count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--shard ", text, ": expected I/K with 0 <= I < K (e.g. 0/4 ... 3/4 cover the range)"));
  }
  return shard;
}

CLI::Validator UnsignedInteger() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
          return "expected a non-negative integer, got " + text;
        }
        if (text.size() > 20 || (text.size() == 20 && text > "18446744073709551615")) {
          return text + " does not fit in 64 bits";
        }
        return "";
      },
      "UINT64");
}

bool StdoutWantsColor() {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return isatty(STDOUT_FILENO) != 0;
}

bool StderrIsTerminal() { return isatty(STDERR_FILENO) != 0; }

}  // namespace locksim::cli
