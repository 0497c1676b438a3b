// How the locksim subcommands plug into the program. Each subcommand lives in its own file and
// registers itself on the root CLI11 app; when it runs it stores its exit status in
// *exit_status: 0 success, 1 a check failed (or the outcome did not match the scenario's
// `expect`), 2 bad input or usage.
#ifndef LOCKSIM_CLI_COMMAND_H_
#define LOCKSIM_CLI_COMMAND_H_

#include <CLI/CLI.hpp>

namespace locksim::cli {

inline constexpr int kExitPass = 0;
inline constexpr int kExitViolation = 1;
inline constexpr int kExitBadInput = 2;

void RegisterRunCommand(CLI::App& root, int* exit_status);
void RegisterSweepCommand(CLI::App& root, int* exit_status);
void RegisterExploreCommand(CLI::App& root, int* exit_status);
void RegisterCheckCommand(CLI::App& root, int* exit_status);
void RegisterFlawsCommand(CLI::App& root, int* exit_status);
void RegisterMergeCommand(CLI::App& root, int* exit_status);
void RegisterServeCommand(CLI::App& root, int* exit_status);
void RegisterLoadCommand(CLI::App& root, int* exit_status);
void RegisterShrinkCommand(CLI::App& root, int* exit_status);

}  // namespace locksim::cli

#endif  // LOCKSIM_CLI_COMMAND_H_
