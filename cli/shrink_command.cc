// `locksim shrink SCENARIO --seed S [--flaw F] [--schedule TOKEN | --decisions FILE] [--out FILE]
// [--json] [--html FILE]`: from a failing run to the smallest scripted scenario found that fails
// the same check on every seed (runner/shrink.h). Exit 0 when it wrote one, 1 when the run does not
// fail, 2 for bad input.

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/printable.h"
#include "cli/command.h"
#include "cli/common_options.h"
#include "cli/output_files.h"
#include "nlohmann/json.hpp"
#include "runner/decision_file.h"
#include "runner/explore.h"
#include "runner/html_report.h"
#include "runner/report.h"
#include "runner/schedule.h"
#include "runner/shrink.h"
#include "runner/simulation.h"
#include "scenario/scenario_parser.h"
#include "sim/decisions.h"

namespace locksim::cli {
namespace {

struct ShrinkArgs {
  std::string scenario_path;
  std::optional<uint64_t> seed;
  std::string flaw;
  std::string decisions_path;
  std::string schedule;
  std::string out_path;
  std::string html_path;
  bool json = false;
};

// SCENARIO's file name without ".json", then ".shrunk-seedS[-FLAW].json", in the current
// directory.
std::string DefaultOut(const std::string& scenario_path, uint64_t seed, service::Flaw flaw) {
  std::string out =
      absl::StrCat(std::filesystem::path(scenario_path).stem().string(), ".shrunk-seed", seed);
  if (flaw != service::Flaw::kNone)
    absl::StrAppend(&out, "-", std::string(service::FlawName(flaw)));
  return out + ".json";
}

nlohmann::json SizeJson(const runner::RunSize& s) {
  return {{"clients", s.clients},
          {"operations", s.operations},
          {"faults", s.faults},
          {"messages", s.messages},
          {"events", s.events}};
}

int ShrinkCommand(const ShrinkArgs& args) {
  const auto started = std::chrono::steady_clock::now();  // for "seconds" only, never a bound
  absl::StatusOr<scenario::Scenario> scenario = scenario::LoadScenario(args.scenario_path);
  if (!scenario.ok()) {
    std::cerr << "locksim shrink: " << scenario.status().message() << "\n";
    return kExitBadInput;
  }
  runner::ShrinkOptions options;
  options.scenario_path = args.scenario_path;
  std::string flaw_name = args.flaw;
  std::optional<uint64_t> seed = args.seed;
  if (!args.decisions_path.empty()) {
    absl::StatusOr<runner::DecisionFile> file =
        runner::LoadDecisionFile(args.decisions_path, scenario->clients);
    if (!file.ok()) {
      std::cerr << "locksim shrink: --decisions " << file.status().message() << "\n";
      return kExitBadInput;
    }
    if (flaw_name.empty()) flaw_name = file->flaw;
    if (!seed.has_value()) seed = file->seed;
    options.decisions = file->decisions;
  }
  if (!seed.has_value()) {
    std::cerr << "locksim shrink: --seed is required (the seed of the failing run)\n";
    return kExitBadInput;
  }
  absl::StatusOr<service::Flaw> flaw = ParseFlawOption(flaw_name);
  if (!flaw.ok()) {
    std::cerr << "locksim shrink: " << flaw.status().message() << "\n";
    return kExitBadInput;
  }
  options.seed = *seed;
  options.flaw = *flaw;
  // A schedule `explore` printed: run it once, recording its decisions, and shrink that list (a
  // recorded list replays the scheduled run exactly). A swarm schedule runs a scenario of its own
  // drawing, which is then the one to shrink.
  std::optional<scenario::Scenario> scheduled_scenario;
  if (!args.schedule.empty()) {
    if (!args.decisions_path.empty()) {
      std::cerr << "locksim shrink: --schedule and --decisions both say which run: give one\n";
      return kExitBadInput;
    }
    absl::StatusOr<runner::Schedule> schedule =
        runner::ParseScheduleToken(args.schedule, scenario->clients);
    if (!schedule.ok()) {
      std::cerr << "locksim shrink: " << schedule.status().message() << "\n";
      return kExitBadInput;
    }
    if (const std::string misfit = runner::ScheduleMisfit(*schedule, *scenario); !misfit.empty()) {
      std::cerr << "locksim shrink: --schedule " << Printable(args.schedule) << ": "
                << Printable(args.scenario_path) << ": " << misfit << "\n";
      return kExitBadInput;
    }
    runner::RunOptions run;
    run.seed = *seed;
    run.flaw = *flaw;
    run.scenario_path = args.scenario_path;
    run.keep_history = false;
    std::vector<sim::DecisionRecord> recorded;
    run.record_decisions = &recorded;
    runner::RunScheduled(*scenario, *schedule, run);
    options.decisions = sim::DecisionList::FromRecords(recorded);
    scheduled_scenario = runner::PrepareSchedule(*schedule, *scenario, *seed).scenario;
  }
  const std::string out_path =
      args.out_path.empty() ? DefaultOut(args.scenario_path, *seed, *flaw) : args.out_path;

  // The input is checked before any file is opened: a run that passes leaves nothing behind.
  absl::StatusOr<runner::ShrinkResult> shrunk =
      runner::Shrink(scheduled_scenario.has_value() ? *scheduled_scenario : *scenario, options);
  if (!shrunk.ok()) {
    std::cerr << "locksim shrink: " << args.scenario_path << " --seed " << *seed << ": "
              << shrunk.status().message() << "\n";
    return absl::IsNotFound(shrunk.status()) ? kExitViolation : kExitBadInput;
  }
  OutputFiles files("locksim shrink");
  std::ofstream* out_file = files.Open("--out", out_path);
  if (out_file == nullptr) return kExitBadInput;
  std::ofstream* html_file = nullptr;
  if (!args.html_path.empty()) {
    html_file = files.Open("--html", args.html_path);
    if (html_file == nullptr) return kExitBadInput;
  }
  *out_file << shrunk->scenario_text;
  // The shrunk run once more, named by the file written (its repro command), for the page.
  runner::HtmlReportSink html;
  runner::RunOptions run;
  run.seed = *seed;
  run.flaw = *flaw;
  run.scenario_path = out_path;
  if (html_file != nullptr) run.sinks.push_back(&html);
  const runner::RunResult shown = runner::RunScenario(shrunk->scenario, run);
  if (html_file != nullptr) runner::WriteHtmlReport(shown, shrunk->scenario, html, *html_file);
  if (!files.CloseAll()) return kExitBadInput;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  if (args.json) {
    nlohmann::json out = {{"scenario", args.scenario_path},
                          {"seed", *seed},
                          {"kind", shrunk->kind},
                          {"out", out_path},
                          {"original", SizeJson(shrunk->original)},
                          {"shrunk", SizeJson(shrunk->shrunk)},
                          {"seconds", seconds}};
    // Ours, beyond the contract's keys.
    if (!shrunk->lock.empty()) out["lock"] = shrunk->lock;
    out["seeds_checked"] = shrunk->check_seeds;
    out["seeds_failing"] = shrunk->seeds_failing;
    if (shrunk->passes_without_flaw.has_value()) {
      out["passes_without_flaw"] = *shrunk->passes_without_flaw;
    }
    out["runs"] = shrunk->runs;
    if (!args.html_path.empty()) out["html"] = args.html_path;
    std::cout << out.dump() << "\n";
    return kExitPass;
  }
  const runner::RunSize& a = shrunk->original;
  const runner::RunSize& b = shrunk->shrunk;
  std::cout << absl::StrFormat(
      "shrunk      %s --seed %d: %s%s\n"
      "            %-10s %8s %8s\n"
      "            %-10s %8d %8d\n            %-10s %8d %8d\n            %-10s %8d %8d\n"
      "            %-10s %8d %8d\n            %-10s %8d %8d\n",
      args.scenario_path, *seed, shrunk->kind,
      shrunk->lock.empty() ? "" : absl::StrCat(" on lock \"", shrunk->lock, "\" (renamed)"), "",
      "before", "after", "clients", a.clients, b.clients, "operations", a.operations, b.operations,
      "faults", a.faults, b.faults, "messages", a.messages, b.messages, "events", a.events,
      b.events);
  std::cout << absl::StrFormat("seeds       fails the same way on %d of %d seeds",
                               shrunk->seeds_failing, shrunk->check_seeds);
  if (shrunk->passes_without_flaw.has_value()) {
    std::cout << (*shrunk->passes_without_flaw ? "; passes without the flaw"
                                               : "; FAILS WITHOUT THE FLAW TOO");
  }
  std::cout << absl::StrFormat("\ntime        %.1f s, %d runs\n", seconds, shrunk->runs);
  std::cout << "wrote       " << out_path << "\n";
  if (!args.html_path.empty()) {
    std::cout << "page        " << args.html_path << " (open in a web browser)\n";
  }
  std::cout << "\nThe shrunk run (" << out_path << "):\n";
  std::cout << runner::HumanSummary(shown, StdoutWantsColor());
  return kExitPass;
}

}  // namespace

void RegisterShrinkCommand(CLI::App& root, int* exit_status) {
  auto args = std::make_shared<ShrinkArgs>();
  CLI::App* shrink = root.add_subcommand(
      "shrink",
      "Shrink a failing run to the smallest scripted scenario found that fails the same check "
      "on every seed, and write it. Exit 0 written, 1 the run does not fail, 2 bad input.");
  shrink->add_option("SCENARIO", args->scenario_path, "scenario file (JSON)")->required();
  shrink->add_option("--seed", args->seed, "the seed of the failing run")->check(UnsignedInteger());
  AddFlawOption(*shrink, &args->flaw);
  shrink->add_option("--decisions", args->decisions_path,
                     "shrink the run these recorded decisions replay (run --record-decisions); "
                     "the seed and flaw default to the recorded run's");
  shrink->add_option("--schedule", args->schedule,
                     "shrink the run of this exploration schedule, as `locksim explore` prints it "
                     "(with its --seed)");
  shrink->add_option("--out", args->out_path,
                     "write the shrunk scenario to FILE (default: SCENARIO's name + "
                     ".shrunk-seedS[-FLAW].json in the current directory)");
  shrink->add_option("--html", args->html_path,
                     "also write the page of the shrunk run (open it in a browser) to FILE");
  shrink->add_flag("--json", args->json, "print one JSON object instead of the summary");
  shrink->callback([args, exit_status] { *exit_status = ShrinkCommand(*args); });
}

}  // namespace locksim::cli
