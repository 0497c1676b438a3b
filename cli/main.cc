// locksim: a deterministic simulator for the primary/backup lock service. This file only wires
// the subcommands together and maps CLI11's usage errors to exit status 2.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "base/assert.h"
#include "cli/command.h"

int main(int argc, char** argv) {
  // An assertion in locksim's own code asks for a bug report quoting this command line.
  locksim::SetCommandLineForBugReports(argc, argv);
  CLI::App app{
      "locksim: deterministic fault-injection testing of a primary/backup lock service.\n"
      "The same scenario and seed give the same run, byte for byte, on every machine."};
  app.require_subcommand(1);
  int exit_status = locksim::cli::kExitPass;
  locksim::cli::RegisterRunCommand(app, &exit_status);
  locksim::cli::RegisterSweepCommand(app, &exit_status);
  locksim::cli::RegisterExploreCommand(app, &exit_status);
  locksim::cli::RegisterShrinkCommand(app, &exit_status);
  locksim::cli::RegisterMergeCommand(app, &exit_status);
  locksim::cli::RegisterCheckCommand(app, &exit_status);
  locksim::cli::RegisterFlawsCommand(app, &exit_status);
  locksim::cli::RegisterServeCommand(app, &exit_status);
  locksim::cli::RegisterLoadCommand(app, &exit_status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message (and a hint to --help) on stderr
    return locksim::cli::kExitBadInput;
  }
  return exit_status;
}
