// `locksim run SCENARIO [--seed N] [--flaw NAME] [--decisions FILE] [--record-decisions FILE]
// [--json] [--trace FILE] [--timeline FILE] [--html FILE]`: one deterministic run, explained.

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/common_options.h"
#include "cli/output_files.h"
#include "runner/decision_file.h"
#include "runner/html_report.h"
#include "runner/report.h"
#include "runner/simulation.h"
#include "runner/timeline.h"
#include "scenario/scenario_parser.h"
#include "service/node_id.h"
#include "sim/trace.h"

namespace locksim::cli {
namespace {

struct RunArgs {
  std::string scenario_path;
  std::optional<uint64_t> seed;
  std::string flaw;
  bool json = false;
  std::string trace_path;
  std::string timeline_path;
  std::string html_path;
  std::string decisions_path;
  std::string record_decisions_path;
};

int RunCommand(const RunArgs& args) {
  absl::StatusOr<scenario::Scenario> scenario = scenario::LoadScenario(args.scenario_path);
  if (!scenario.ok()) {
    std::cerr << "locksim run: " << scenario.status().message() << "\n";
    return kExitBadInput;
  }
  // A replayed run's seed and flaw default to the recorded run's.
  std::optional<runner::DecisionFile> replay;
  if (!args.decisions_path.empty()) {
    absl::StatusOr<runner::DecisionFile> file =
        runner::LoadDecisionFile(args.decisions_path, scenario->clients);
    if (!file.ok()) {
      std::cerr << "locksim run: --decisions " << file.status().message() << "\n";
      return kExitBadInput;
    }
    replay = std::move(*file);
  }
  absl::StatusOr<service::Flaw> flaw =
      ParseFlawOption(args.flaw.empty() && replay.has_value() ? replay->flaw : args.flaw);
  if (!flaw.ok()) {
    std::cerr << "locksim run: " << flaw.status().message() << "\n";
    return kExitBadInput;
  }
  runner::RunOptions options;
  options.seed = args.seed.value_or(replay.has_value() ? replay->seed : scenario->seed);
  options.flaw = *flaw;
  options.scenario_path = args.scenario_path;
  std::optional<sim::ReplaySource> replay_source;
  if (replay.has_value()) {
    replay_source.emplace(replay->decisions);
    options.decision_source = &*replay_source;
    options.repro_decisions = "--decisions " + args.decisions_path;
  }
  std::vector<sim::DecisionRecord> recorded;
  if (!args.record_decisions_path.empty()) options.record_decisions = &recorded;

  // Open output files before the run, so that a bad path is bad input and not a lost run.
  OutputFiles files("locksim run");
  std::ofstream* trace_file = nullptr;
  std::ofstream* timeline_file = nullptr;
  std::ofstream* html_file = nullptr;
  std::ofstream* decisions_file = nullptr;
  const auto open = [&files](const char* option, const std::string& path, std::ofstream** file) {
    if (path.empty()) return true;
    *file = files.Open(option, path);
    return *file != nullptr;
  };
  if (!open("--trace", args.trace_path, &trace_file) ||
      !open("--timeline", args.timeline_path, &timeline_file) ||
      !open("--html", args.html_path, &html_file) ||
      !open("--record-decisions", args.record_decisions_path, &decisions_file)) {
    return kExitBadInput;
  }
  const std::vector<std::string> node_names = service::NodeNames(scenario->clients);
  std::unique_ptr<sim::JsonLinesTraceSink> trace_sink;
  if (trace_file != nullptr) {
    trace_sink = std::make_unique<sim::JsonLinesTraceSink>(*trace_file, node_names);
    options.sinks.push_back(trace_sink.get());
  }
  std::unique_ptr<runner::TimelineSink> timeline;
  if (timeline_file != nullptr) {
    timeline = std::make_unique<runner::TimelineSink>(node_names);
    options.sinks.push_back(timeline.get());
  }
  std::unique_ptr<runner::HtmlReportSink> html;
  if (html_file != nullptr) {
    html = std::make_unique<runner::HtmlReportSink>();
    options.sinks.push_back(html.get());
  }

  const runner::RunResult result = runner::RunScenario(*scenario, options);

  if (timeline != nullptr) timeline->Finish(result.history, *timeline_file);
  if (html != nullptr) runner::WriteHtmlReport(result, *scenario, *html, *html_file);
  if (decisions_file != nullptr) {
    runner::DecisionFile file;
    file.scenario = scenario->name;
    file.seed = options.seed;
    file.flaw = *flaw == service::Flaw::kNone ? "" : std::string(service::FlawName(*flaw));
    file.decisions = sim::DecisionList::FromRecords(recorded);
    *decisions_file << runner::DecisionFileText(file);
  }
  if (!files.CloseAll()) return kExitBadInput;
  if (args.json) {
    nlohmann::json out = runner::RunResultJson(result);
    out["expect"] = scenario::ExpectName(scenario->expect);
    std::cout << out.dump() << "\n";
  } else {
    std::cout << runner::HumanSummary(result, StdoutWantsColor());
    if (scenario->expect == scenario::Expect::kViolation) {
      std::cout << "note        this scenario expects a violation for some seed (it shows a "
                   "break outside the failure model); `locksim sweep` finds one\n";
    }
    if (!args.trace_path.empty()) std::cout << "trace       " << args.trace_path << "\n";
    if (!args.timeline_path.empty()) {
      std::cout << "timeline    " << args.timeline_path
                << " (open in https://ui.perfetto.dev or chrome://tracing)\n";
    }
    if (!args.html_path.empty()) {
      std::cout << "page        " << args.html_path << " (open in a web browser)\n";
    }
    if (!args.record_decisions_path.empty()) {
      std::cout << "decisions   " << args.record_decisions_path << " (" << recorded.size()
                << " decisions; replay with --decisions)\n";
    }
  }
  return result.passed ? kExitPass : kExitViolation;
}

}  // namespace

void RegisterRunCommand(CLI::App& root, int* exit_status) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* run = root.add_subcommand("run",
                                      "Run one scenario once, deterministically, and "
                                      "explain what happened. Exit 0 pass, 1 a check "
                                      "failed, 2 bad input.");
  run->add_option("SCENARIO", args->scenario_path, "scenario file (JSON)")->required();
  run->add_option("--seed", args->seed, "seed (default: the scenario's \"seed\", else 1)")
      ->check(UnsignedInteger());
  AddFlawOption(*run, &args->flaw);
  run->add_flag("--json", args->json, "print one JSON object instead of the summary");
  run->add_option("--trace", args->trace_path, "write every event as JSON lines to FILE");
  run->add_option("--timeline", args->timeline_path,
                  "write a Chrome Trace Event file (Perfetto, chrome://tracing) to FILE");
  run->add_option("--html", args->html_path,
                  "also write a self-contained page of the run (open it in a browser) to FILE");
  run->add_option("--decisions", args->decisions_path,
                  "replay the decisions recorded in FILE (--record-decisions) instead of drawing "
                  "them from the seed; the seed and flaw default to the recorded run's");
  run->add_option("--record-decisions", args->record_decisions_path,
                  "write every decision the run takes (a decision file, JSON) to FILE");
  run->callback([args, exit_status] { *exit_status = RunCommand(*args); });
}

}  // namespace locksim::cli
