// `locksim explore SCENARIO [--strategy faults|pct|swarm] [--depth D] [--budget N] [--seeds N]
//  [--first-seed S] [--jobs J] [--flaw F] [--json] [--junit FILE] [--shard I/K]
//  [--max-failures M]`: searches the scenario's schedules systematically (docs/exploration.md).
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "cli/command.h"
#include "cli/common_options.h"
#include "cli/explore_report.h"
#include "cli/progress.h"
#include "runner/coverage_report.h"
#include "runner/explore.h"
#include "runner/explore_json.h"
#include "scenario/scenario_parser.h"

namespace locksim::cli {
namespace {

struct ExploreArgs {
  std::string scenario_path;
  std::string strategy;
  std::optional<int> depth;
  std::optional<uint64_t> budget;
  uint64_t seeds = 1;
  uint64_t first_seed = 0;
  int jobs = 0;
  std::string flaw;
  bool json = false;
  bool coverage = false;
  std::string junit_path;
  std::string shard;
  uint64_t max_failures = 0;
};

int ExploreCommand(const ExploreArgs& args) {
  const auto fail = [](const std::string& message) {
    std::cerr << "locksim explore: " << message << "\n";
    return kExitBadInput;
  };
  absl::StatusOr<scenario::Scenario> scenario = scenario::LoadScenario(args.scenario_path);
  if (!scenario.ok()) return fail(std::string(scenario.status().message()));
  absl::StatusOr<service::Flaw> flaw = ParseFlawOption(args.flaw);
  if (!flaw.ok()) return fail(std::string(flaw.status().message()));
  absl::StatusOr<runner::Shard> shard = ParseShard(args.shard);
  if (!shard.ok()) return fail(std::string(shard.status().message()));

  runner::ExploreOptions options;
  options.scenario_path = args.scenario_path;
  if (args.strategy.empty()) {
    options.strategy = runner::DefaultStrategy(*scenario);
  } else if (std::optional<runner::ExploreStrategy> s = runner::StrategyByName(args.strategy)) {
    options.strategy = *s;
  } else {
    return fail("--strategy " + args.strategy + ": expected faults, pct or swarm");
  }
  const bool faults = options.strategy == runner::ExploreStrategy::kFaults;
  const bool pct = options.strategy == runner::ExploreStrategy::kPct;
  options.depth = args.depth.value_or(pct ? runner::kDefaultPctDepth : 1);
  options.budget =
      args.budget.value_or(faults ? runner::kDefaultFaultsBudget : runner::kDefaultSampledBudget);
  options.seeds = args.seeds;
  options.first_seed = args.first_seed;
  options.shard = *shard;
  options.jobs = args.jobs > 0
                     ? args.jobs
                     : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.flaw = *flaw;
  options.max_failures = args.max_failures;
  options.coverage = args.coverage;
  if (const std::string misfit = runner::ExploreMisfit(*scenario, options); !misfit.empty()) {
    return fail(args.scenario_path + ": " + misfit);
  }
  std::ofstream junit;
  if (!args.junit_path.empty()) {
    junit.open(args.junit_path, std::ios::out | std::ios::trunc);
    if (!junit) return fail("--junit " + args.junit_path + ": cannot open for writing");
  }
  const bool show_progress = StderrIsTerminal();
  const auto start = std::chrono::steady_clock::now();
  if (show_progress) {
    options.progress = [&](uint64_t done, uint64_t total, uint64_t failures) {
      DrawProgress(done, total, failures,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                   "schedules");
    };
  }

  const runner::ExploreResult result = runner::RunExplore(*scenario, options);
  if (show_progress) ClearProgress();

  if (junit.is_open()) junit << ExploreJUnitXml(result);
  if (args.json) {
    std::cout << runner::ExploreResultJson(result).dump() << "\n";
  } else {
    std::cout << ExploreSummary(result, options.jobs, StdoutWantsColor());
    if (result.coverage.has_value()) std::cout << runner::CoverageSummary(*result.coverage);
  }
  return runner::MatchesExpectation(result) ? kExitPass : kExitViolation;
}

}  // namespace

void RegisterExploreCommand(CLI::App& root, int* exit_status) {
  auto args = std::make_shared<ExploreArgs>();
  CLI::App* explore = root.add_subcommand(
      "explore",
      "Search a scenario's schedules systematically: every placement of the failure model's "
      "faults (faults), priority-driven delivery orders (pct), or a configuration per seed "
      "(swarm). Exit 0 when the outcome matches the scenario's \"expect\", 1 otherwise, 2 bad "
      "input.");
  explore->add_option("SCENARIO", args->scenario_path, "scenario file (JSON)")->required();
  explore->add_option("--strategy", args->strategy,
                      "faults, pct or swarm (default: faults for a script, swarm for a workload)");
  explore->add_option("--depth", args->depth,
                      "faults: faults per schedule, 1 or 2 (default 1); pct: the depth d "
                      "(default 3)");
  explore
      ->add_option("--budget", args->budget,
                   "at most this many schedules (default: 20000 for faults, 1000 for pct and "
                   "swarm); faults is exhaustive when its space fits")
      ->check(UnsignedInteger());
  explore
      ->add_option("--seeds", args->seeds,
                   "faults: explore the runs of this many seeds, each exhaustively (default 1)")
      ->check(UnsignedInteger());
  explore
      ->add_option("--first-seed", args->first_seed,
                   "the first seed (default 0); pct and swarm run seed S+i for schedule i")
      ->check(UnsignedInteger());
  explore->add_option("--jobs", args->jobs, "parallel runs (default: all cores)")
      ->check(CLI::Range(1, 4096));
  AddFlawOption(*explore, &args->flaw);
  explore->add_flag("--json", args->json, "print one JSON object instead of the summary");
  explore->add_flag("--coverage", args->coverage,
                    "count the protocol's events over the runs (service/protocol_events.h)");
  explore->add_option("--junit", args->junit_path, "write JUnit XML for CI dashboards to FILE");
  explore->add_option("--shard", args->shard,
                      "I/K: run only block I (0-based) of K equal blocks of the schedules");
  explore
      ->add_option("--max-failures", args->max_failures,
                   "stop after M failing schedules (reports the schedules up to the M-th)")
      ->check(UnsignedInteger());
  explore->callback([args, exit_status] { *exit_status = ExploreCommand(*args); });
}

}  // namespace locksim::cli
