// `locksim sweep SCENARIO --seeds N [--first-seed S] [--jobs J] [--flaw NAME] [--json]
//  [--junit FILE] [--shard I/K] [--max-failures M] [--check-determinism]`
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "base/printable.h"
#include "cli/command.h"
#include "cli/common_options.h"
#include "cli/progress.h"
#include "cli/sweep_report.h"
#include "runner/coverage_report.h"
#include "runner/sweep.h"
#include "runner/sweep_json.h"
#include "scenario/scenario_parser.h"

namespace locksim::cli {
namespace {

struct SweepArgs {
  std::string scenario_path;
  uint64_t seeds = 0;
  uint64_t first_seed = 0;
  int jobs = 0;
  std::string flaw;
  bool json = false;
  bool coverage = false;
  std::string junit_path;
  std::string shard;
  uint64_t max_failures = 0;
  bool check_determinism = false;
};

int SweepCommand(const SweepArgs& args) {
  absl::StatusOr<scenario::Scenario> scenario = scenario::LoadScenario(args.scenario_path);
  if (!scenario.ok()) {
    std::cerr << "locksim sweep: " << scenario.status().message() << "\n";
    return kExitBadInput;
  }
  absl::StatusOr<service::Flaw> flaw = ParseFlawOption(args.flaw);
  absl::StatusOr<runner::Shard> shard = ParseShard(args.shard);
  for (const absl::Status& status : {flaw.status(), shard.status()}) {
    if (!status.ok()) {
      std::cerr << "locksim sweep: " << status.message() << "\n";
      return kExitBadInput;
    }
  }
  if (args.seeds == 0) {
    std::cerr << "locksim sweep: --seeds must be at least 1\n";
    return kExitBadInput;
  }
  if (args.first_seed > UINT64_MAX - args.seeds) {
    std::cerr << "locksim sweep: --first-seed + --seeds overflows 64 bits\n";
    return kExitBadInput;
  }
  std::ofstream junit;
  if (!args.junit_path.empty()) {
    junit.open(args.junit_path, std::ios::out | std::ios::trunc);
    if (!junit) {
      std::cerr << "locksim sweep: --junit " << Printable(args.junit_path)
                << ": cannot open for writing\n";
      return kExitBadInput;
    }
  }

  runner::SweepOptions options;
  options.scenario_path = args.scenario_path;
  options.first_seed = args.first_seed;
  options.seeds = args.seeds;
  options.shard = *shard;
  options.jobs = args.jobs > 0
                     ? args.jobs
                     : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.flaw = *flaw;
  options.max_failures = args.max_failures;
  options.coverage = args.coverage;
  options.check_determinism = args.check_determinism;
  const bool show_progress = StderrIsTerminal();
  const uint64_t total = runner::ShardSeeds(args.first_seed, args.seeds, *shard).count;
  const auto start = std::chrono::steady_clock::now();
  if (show_progress) {
    options.progress = [&](uint64_t done, uint64_t failures) {
      DrawProgress(done, total, failures,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                   "seeds");
    };
  }

  const runner::SweepResult result = runner::RunSweep(*scenario, options);
  if (show_progress) ClearProgress();

  if (junit.is_open()) junit << SweepJUnitXml(result);
  if (args.json) {
    nlohmann::json out = runner::SweepResultJson(result);
    if (result.coverage.has_value()) out["coverage"] = runner::CoverageJson(*result.coverage);
    std::cout << out.dump() << "\n";
  } else {
    std::cout << SweepSummary(result, options.jobs, StdoutWantsColor());
    if (result.coverage.has_value()) std::cout << runner::CoverageSummary(*result.coverage);
  }
  return runner::MatchesExpectation(result) ? kExitPass : kExitViolation;
}

}  // namespace

void RegisterSweepCommand(CLI::App& root, int* exit_status) {
  auto args = std::make_shared<SweepArgs>();
  CLI::App* sweep = root.add_subcommand(
      "sweep",
      "Run a scenario over seeds S..S+N-1 in parallel. Exit 0 when the outcome matches the "
      "scenario's \"expect\" (pass: no seed fails; violation: some seed fails), 1 otherwise, "
      "2 bad input.");
  sweep->add_option("SCENARIO", args->scenario_path, "scenario file (JSON)")->required();
  sweep->add_option("--seeds", args->seeds, "how many seeds (N)")
      ->required()
      ->check(UnsignedInteger());
  sweep->add_option("--first-seed", args->first_seed, "the first seed (S)")
      ->default_str("0")
      ->check(UnsignedInteger());
  sweep->add_option("--jobs", args->jobs, "parallel runs (default: all cores)")
      ->check(CLI::Range(1, 4096));
  AddFlawOption(*sweep, &args->flaw);
  sweep->add_flag("--json", args->json, "print one JSON object instead of the summary");
  sweep->add_flag("--coverage", args->coverage,
                  "count the protocol's events over the runs (service/protocol_events.h)");
  sweep->add_option("--junit", args->junit_path, "write JUnit XML for CI dashboards to FILE");
  sweep->add_option("--shard", args->shard,
                    "I/K: run only block I (0-based) of K equal blocks of the seed range, so "
                    "that K machines cover it exactly once");
  sweep
      ->add_option("--max-failures", args->max_failures,
                   "stop after M failing seeds (reports the seeds up to the M-th failure)")
      ->check(UnsignedInteger());
  sweep->add_flag("--check-determinism", args->check_determinism,
                  "run every seed twice and fail on any fingerprint difference");
  sweep->callback([args, exit_status] { *exit_status = SweepCommand(*args); });
}

}  // namespace locksim::cli
