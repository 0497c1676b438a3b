// `locksim load SCENARIO --primary HOST:PORT --backup HOST:PORT [--history FILE] [--seed S]`:
// runs the scenario's workload against real servers (`locksim serve`), records what the clients
// saw, and checks it like `run` does. Exit 0 pass, 1 a check failed, 2 bad input or a server
// that cannot be reached (docs/real-network.md).
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/common_options.h"
#include "net/history_file.h"
#include "net/host_port.h"
#include "net/load_driver.h"
#include "net/load_report.h"
#include "scenario/scenario_parser.h"

namespace locksim::cli {
namespace {

struct LoadArgs {
  std::string scenario_path;
  std::string primary;
  std::string backup;
  std::string history_path;
  std::optional<uint64_t> seed;
  std::string flaw;
  bool json = false;
  bool verbose = false;
  int64_t connect_timeout_ms = 10'000;
  int64_t deadline_s = 600;
};

int BadInput(std::string_view message) {
  std::cerr << "locksim load: " << message << "\n";
  return kExitBadInput;
}
int BadInput(const absl::Status& status) { return BadInput(std::string(status.message())); }

absl::StatusOr<std::vector<asio::ip::tcp::endpoint>> ServerAddress(asio::io_context& io,
                                                                   const std::string& text,
                                                                   std::string_view flag) {
  absl::StatusOr<net::HostPort> address = net::ParseHostPort(text, flag, false);
  if (!address.ok()) return address.status();
  return net::Resolve(io, *address, flag);
}

// The parts of a scenario that describe the simulator's world, which a real run does not have.
std::vector<std::string> IgnoredParts(const scenario::Scenario& s) {
  std::vector<std::string> ignored;
  const scenario::Network defaults;
  const auto channels_zero = [](const scenario::ChannelProbabilities& p) {
    return p.request.is_zero() && p.reply.is_zero() && p.forward.is_zero() &&
           p.forward_reply.is_zero();
  };
  if (!(s.network.latency == defaults.latency) || !channels_zero(s.network.drop) ||
      !channels_zero(s.network.duplicate)) {
    ignored.push_back("the scenario's \"network\" model: the real network is the network");
  }
  if (!s.faults.empty()) {
    ignored.push_back(absl::StrCat("the scenario's ", s.faults.size(),
                                   " \"faults\": a real run's faults are the ones you cause "
                                   "(kill -9, serve --drop-replies)"));
  }
  return ignored;
}

int LoadCommand(const LoadArgs& args) {
  absl::StatusOr<scenario::Scenario> scenario = scenario::LoadScenario(args.scenario_path);
  if (!scenario.ok()) return BadInput(scenario.status());
  if (!scenario->workload.has_value()) {
    return BadInput(absl::StrCat(args.scenario_path,
                                 ": steps: load runs a scenario's random \"workload\"; scripted "
                                 "\"steps\" are for the simulator (`locksim run`)"));
  }
  absl::StatusOr<service::Flaw> flaw = ParseFlawOption(args.flaw);
  if (!flaw.ok()) return BadInput(flaw.status());

  asio::io_context resolver_io;
  absl::StatusOr<std::vector<asio::ip::tcp::endpoint>> primary =
      ServerAddress(resolver_io, args.primary, "--primary");
  if (!primary.ok()) return BadInput(primary.status());
  absl::StatusOr<std::vector<asio::ip::tcp::endpoint>> backup =
      ServerAddress(resolver_io, args.backup, "--backup");
  if (!backup.ok()) return BadInput(backup.status());
  // Find out now whether the history can be written, rather than after the run.
  if (!args.history_path.empty()) {
    if (absl::Status writable = net::CheckHistoryPathWritable(args.history_path); !writable.ok()) {
      return BadInput(writable);
    }
  }

  net::LoadOptions options;
  options.scenario = &*scenario;
  options.seed = args.seed.value_or(scenario->seed);
  options.primary = *primary;
  options.backup = *backup;
  options.primary_name = args.primary;
  options.backup_name = args.backup;
  options.flaw = *flaw;
  options.session = net::NewSession();
  options.connect_timeout = std::chrono::milliseconds(args.connect_timeout_ms);
  options.deadline = std::chrono::milliseconds(args.deadline_s * 1000);
  if (args.verbose) {
    options.log = [](std::string_view line) { std::cerr << "locksim load: " << line << "\n"; };
  }
  absl::StatusOr<net::LoadOutcome> outcome = net::RunLoad(options);
  if (!outcome.ok()) return BadInput(outcome.status());

  net::LoadContext context;
  context.scenario = scenario->name;
  context.scenario_path = args.scenario_path;
  context.seed = options.seed;
  if (options.flaw != service::Flaw::kNone) context.flaw = std::string(FlawName(options.flaw));
  context.session = options.session;
  context.primary = args.primary;
  context.backup = args.backup;
  context.history_path = args.history_path;
  context.deadline_ms = args.deadline_s * 1000;
  context.ignored = IgnoredParts(*scenario);
  const net::LoadReport report = net::CheckLoad(std::move(context), *outcome);

  if (!args.history_path.empty()) {
    if (absl::Status written = net::WriteHistoryFileAtomically(args.history_path, outcome->history);
        !written.ok()) {
      return BadInput(written);
    }
  }
  if (args.json) {
    std::cout << net::LoadReportJson(report).dump() << "\n";
  } else {
    std::cout << net::HumanLoadSummary(report, StdoutWantsColor());
  }
  return report.passed ? kExitPass : kExitViolation;
}

}  // namespace

void RegisterLoadCommand(CLI::App& root, int* exit_status) {
  auto args = std::make_shared<LoadArgs>();
  CLI::App* load = root.add_subcommand(
      "load",
      "Run a scenario's workload against real servers (`locksim serve`), record the history "
      "and check it. Exit 0 pass, 1 a check failed, 2 bad input or a server unreachable. "
      "Timing is real, so a run is not reproducible the way `run` is.");
  load->add_option("SCENARIO", args->scenario_path, "scenario file (JSON) with a \"workload\"")
      ->required();
  load->add_option("--primary", args->primary, "HOST:PORT of the primary")->required();
  load->add_option("--backup", args->backup, "HOST:PORT of the backup")->required();
  load->add_option("--history", args->history_path,
                   "write the history to FILE (the format `locksim check` reads)");
  load->add_option("--seed", args->seed,
                   "seed for the workload (default: the scenario's \"seed\", else 1)")
      ->check(UnsignedInteger());
  AddFlawOption(*load, &args->flaw);
  load->add_flag("--json", args->json, "print one JSON object instead of the summary");
  load->add_flag("--verbose", args->verbose, "log connection events on stderr");
  load->add_option("--connect-timeout-ms", args->connect_timeout_ms,
                   "both servers must answer within this before the workload starts (default "
                   "10000)")
      ->check(CLI::Range(int64_t{1}, int64_t{3'600'000}));
  load->add_option("--deadline-s", args->deadline_s,
                   "abandon the workload after this many seconds; calls still open fail the "
                   "liveness check (default 600)")
      ->check(CLI::Range(int64_t{1}, int64_t{86'400}));
  load->callback([args, exit_status] { *exit_status = LoadCommand(*args); });
}

}  // namespace locksim::cli
