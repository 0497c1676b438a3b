// Options and helpers shared by the subcommands.
#ifndef LOCKSIM_CLI_COMMON_OPTIONS_H_
#define LOCKSIM_CLI_COMMON_OPTIONS_H_

#include <CLI/CLI.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "runner/sweep.h"
#include "service/flaws.h"

namespace locksim::cli {

// Adds `--flaw NAME` (see `locksim flaws`).
void AddFlawOption(CLI::App& command, std::string* flaw_name);
// "" is no flaw; an unknown name is an error listing the known ones.
absl::StatusOr<service::Flaw> ParseFlawOption(const std::string& flaw_name);
// `--shard I/K` ("" is the whole range).
absl::StatusOr<runner::Shard> ParseShard(const std::string& text);
// A validator for options that are unsigned 64-bit integers (seeds, counts): CLI11 would
// otherwise wrap "-1" around to 2^64 - 1.
CLI::Validator UnsignedInteger();
// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
bool StdoutWantsColor();
bool StderrIsTerminal();

}  // namespace locksim::cli

#endif  // LOCKSIM_CLI_COMMON_OPTIONS_H_
