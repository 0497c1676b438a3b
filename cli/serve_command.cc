// `locksim serve --role primary|backup --listen HOST:PORT [--backup HOST:PORT]`: one lock server
// process on a real network (docs/real-network.md). Logs to stderr; exits 0 on SIGTERM or
// SIGINT, 2 when it cannot bind or the arguments are wrong. `kill -9` is the fail-stop crash.
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/common_options.h"
#include "net/host_port.h"
#include "net/server.h"
#include "sim/probability.h"

namespace locksim::cli {
namespace {

struct ServeArgs {
  std::string role;
  std::string listen;
  std::string backup;
  int64_t rpc_timeout_ms = 2000;
  int64_t backup_wait_ms = 5000;
  double drop_replies = 0;
  uint64_t seed = 1;
  std::string flaw;
  bool verbose = false;
  bool json = false;
};

void LogLine(std::string_view line) {
  // One write per line, so that lines from a busy server never interleave mid-line.
  const std::string text = absl::StrCat("locksim serve ", std::string(line), "\n");
  std::fwrite(text.data(), 1, text.size(), stderr);
}

int BadInput(std::string_view message) {
  std::cerr << "locksim serve: " << message << "\n";
  return kExitBadInput;
}
int BadInput(const absl::Status& status) { return BadInput(std::string(status.message())); }

int ServeCommand(const ServeArgs& args) {
  net::ServerOptions options;
  options.role =
      args.role == "primary" ? service::ServerRole::kPrimary : service::ServerRole::kBackup;
  if (options.role == service::ServerRole::kBackup && !args.backup.empty()) {
    return BadInput("--backup is for the primary: a backup forwards to nobody");
  }
  absl::StatusOr<service::Flaw> flaw = ParseFlawOption(args.flaw);
  if (!flaw.ok()) return BadInput(flaw.status());
  options.flaw = *flaw;
  options.rpc_timeout = service::Micros(args.rpc_timeout_ms * 1000);
  options.backup_wait = std::chrono::milliseconds(args.backup_wait_ms);
  options.drop_replies = sim::Probability::FromDouble(args.drop_replies);
  options.seed = args.seed;
  options.verbose = args.verbose;

  asio::io_context io(1);  // one event loop, run by this thread only
  absl::StatusOr<net::HostPort> listen = net::ParseHostPort(args.listen, "--listen", true);
  if (!listen.ok()) return BadInput(listen.status());
  absl::StatusOr<std::vector<asio::ip::tcp::endpoint>> listen_at =
      net::Resolve(io, *listen, "--listen");
  if (!listen_at.ok()) return BadInput(listen_at.status());
  options.listen = listen_at->front();
  if (!args.backup.empty()) {
    absl::StatusOr<net::HostPort> backup = net::ParseHostPort(args.backup, "--backup", false);
    if (!backup.ok()) return BadInput(backup.status());
    absl::StatusOr<std::vector<asio::ip::tcp::endpoint>> backup_at =
        net::Resolve(io, *backup, "--backup");
    if (!backup_at.ok()) return BadInput(backup_at.status());
    options.backup = *backup_at;
    options.backup_name = args.backup;
  }

  absl::StatusOr<std::unique_ptr<net::Server>> server = net::Server::Create(io, options, LogLine);
  if (!server.ok()) return BadInput(server.status());

  int exit_status = kExitPass;
  std::optional<int> stopped_by;
  asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](const asio::error_code& error, int signal) {
    if (error) return;
    stopped_by = signal;
    LogLine(absl::StrCat("[", args.role, "] ", signal == SIGTERM ? "SIGTERM" : "SIGINT",
                         ": closing connections and exiting"));
    (*server)->Stop(/*abortive=*/false);
    io.stop();
  });
  (*server)->Start([&](absl::Status fatal) {
    std::cerr << "locksim serve: " << fatal.message() << "\n";
    exit_status = kExitBadInput;
    (*server)->Stop(/*abortive=*/false);
    io.stop();
  });
  const std::string listening = net::FormatEndpoint((*server)->local_endpoint());
  io.run();
  if (args.json && stopped_by.has_value()) {
    const service::LockServer& lock_server = (*server)->lock_server();
    const service::LockServerStats& stats = lock_server.stats();
    const nlohmann::json out = {
        {"role", args.role},
        {"listen", listening},
        {"backup", args.backup.empty() ? nlohmann::json(nullptr) : nlohmann::json(args.backup)},
        {"signal", *stopped_by == SIGTERM ? "SIGTERM" : "SIGINT"},
        {"forwarding", lock_server.forwarding()},
        {"acting_primary", lock_server.acting_primary()},
        {"executed", stats.executed},
        {"answered_from_table", stats.answered_from_table},
        {"forwards_sent", stats.forwards_sent},
        {"forwards_applied", stats.forwards_applied},
        {"forwards_dropped", stats.forwards_dropped},
        {"replies_dropped", (*server)->replies_dropped()},
        {"connections_accepted", (*server)->stats().connections_accepted},
        {"protocol_errors", (*server)->stats().protocol_errors},
    };
    std::cout << out.dump() << "\n";
  }
  return exit_status;
}

}  // namespace

void RegisterServeCommand(CLI::App& root, int* exit_status) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* serve = root.add_subcommand(
      "serve",
      "Run one lock server (primary or backup) on a real network, until SIGTERM. Exit 0 on "
      "SIGTERM or SIGINT, 2 when it cannot bind or an argument is wrong. See "
      "docs/real-network.md.");
  serve->add_option("--role", args->role, "primary or backup")
      ->required()
      ->check(CLI::IsMember({"primary", "backup"}));
  serve
      ->add_option("--listen", args->listen,
                   "HOST:PORT to listen on, e.g. 127.0.0.1:7000 or [::1]:7000 (port 0: any free "
                   "port, printed on stderr)")
      ->required();
  serve->add_option("--backup", args->backup,
                    "primary only: HOST:PORT of the backup it forwards to (without it the "
                    "primary serves alone, with no replication)");
  serve
      ->add_option("--rpc-timeout-ms", args->rpc_timeout_ms,
                   "a forward not acknowledged by then has failed, and the primary serves "
                   "alone from then on; must exceed any real round trip (default 2000)")
      ->check(CLI::Range(int64_t{1}, int64_t{3'600'000}));
  serve
      ->add_option("--backup-wait-ms", args->backup_wait_ms,
                   "primary: how long to wait for the backup before serving (default 5000)")
      ->check(CLI::Range(int64_t{0}, int64_t{3'600'000}));
  serve
      ->add_option("--drop-replies", args->drop_replies,
                   "discard this fraction of replies to clients (0 to 1), to exercise lost "
                   "replies for real")
      ->check(CLI::Range(0.0, 1.0));
  serve->add_option("--seed", args->seed, "seed for --drop-replies (default 1)")
      ->check(UnsignedInteger());
  AddFlawOption(*serve, &args->flaw);
  serve->add_flag("--verbose", args->verbose,
                  "log one line per request, forward, reply and connection");
  serve->add_flag("--json", args->json,
                  "on a clean exit, print one JSON object with the server's counters");
  serve->callback([args, exit_status] { *exit_status = ServeCommand(*args); });
}

}  // namespace locksim::cli
