// The real-network mode in one process: a primary and a backup (net::Server) on 127.0.0.1 with
// ports the system picks, served by their own event loop on a second thread, and `locksim load`'s
// driver (net::RunLoad) on the test's thread. Crashes are triggered by progress (after the k-th
// executed operation), not by time, and abort the server's connections as a killed process's
// kernel would. No timing assertions: every wait is bounded, and the verdicts are checked.
#include <gtest/gtest.h>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "check/lock_linearizability.h"
#include "net/load_driver.h"
#include "net/load_report.h"
#include "net/server.h"
#include "net/wire.h"
#include "scenario/scenario_parser.h"

namespace locksim::net {
namespace {

using asio::ip::tcp;

const tcp::endpoint kAnyLoopbackPort(asio::ip::make_address("127.0.0.1"), 0);

// The clerks' RPC timeout is long by default: these runs lose no message, so a timeout could only
// come from a stall of this (possibly very busy, sanitized) machine, and must not.
scenario::Scenario Workload(int clients, int ops, int locks, int rpc_timeout_ms = 10'000,
                            double think_max_ms = 0) {
  const std::string json = absl::StrCat(
      R"({"clients": )", clients, R"(, "rpc_timeout_ms": )", rpc_timeout_ms,
      R"(, "workload": {"ops_per_client": )", ops, R"(, "locks": )", locks,
      R"(, "unlock_fraction": 0.5, "think_ms": {"min": 0, "max": )", think_max_ms, "}}}");
  absl::StatusOr<scenario::Scenario> parsed = scenario::ParseScenario(json, "pair_test.json");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return *parsed;
}

// A primary/backup pair on their own event loop and thread. Every call into the servers after
// Start goes through the loop (OnLoop), so the test thread never touches them directly.
class Pair {
 public:
  struct Options {
    bool with_backup = true;
    double drop_replies = 0;
    service::Micros rpc_timeout{20'000'000};  // forwards: never lost here, so never timed out
  };

  explicit Pair(Options options) {
    ServerOptions backup_options;
    backup_options.role = service::ServerRole::kBackup;
    backup_options.listen = kAnyLoopbackPort;
    backup_options.rpc_timeout = options.rpc_timeout;
    backup_options.drop_replies = sim::Probability::FromDouble(options.drop_replies);
    backup_ = Create(backup_options);
    ServerOptions primary_options;
    primary_options.role = service::ServerRole::kPrimary;
    primary_options.listen = kAnyLoopbackPort;
    primary_options.rpc_timeout = options.rpc_timeout;
    primary_options.drop_replies = sim::Probability::FromDouble(options.drop_replies);
    primary_options.seed = 2;
    if (options.with_backup) {
      primary_options.backup = {backup_->local_endpoint()};
      primary_options.backup_name = "backup";
    }
    primary_ = Create(primary_options);
    backup_->Start([](absl::Status status) { ADD_FAILURE() << status; });
    primary_->Start([](absl::Status status) { ADD_FAILURE() << status; });
    thread_ = std::thread([this] {
      // Bounded: the test stops the loop; 120 s is far beyond any test's run.
      io_.run_for(std::chrono::seconds(120));
    });
  }

  ~Pair() {
    OnLoop([this] {
      primary_->Stop(false);
      backup_->Stop(false);
      io_.stop();
    });
    thread_.join();
  }

  tcp::endpoint primary() const { return primary_endpoint_; }
  tcp::endpoint backup() const { return backup_endpoint_; }

  // Runs `fn` on the servers' loop and waits for it (at most 30 s).
  template <typename Fn>
  auto OnLoop(Fn fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    if (result.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
      ADD_FAILURE() << "the servers' loop did not answer within 30 s";
      std::abort();  // the task refers to this frame: never return while it may still run
    }
    return result.get();
  }

  // Crashes `which` (as kill -9 would, seen from the network) once it has executed or applied
  // `after` operations: checked every millisecond on the loop.
  void CrashAfter(service::ServerRole which, uint64_t after) {
    OnLoop([this, which, after] { WatchAndCrash(which, after); });
  }
  bool crashed(service::ServerRole which) {
    return OnLoop([this, which] { return crashed_[static_cast<int>(which)]; });
  }

  Server& primary_server() { return *primary_; }
  Server& backup_server() { return *backup_; }

 private:
  std::unique_ptr<Server> Create(const ServerOptions& options) {
    absl::StatusOr<std::unique_ptr<Server>> server = Server::Create(io_, options, nullptr);
    EXPECT_TRUE(server.ok()) << server.status();
    if (options.role == service::ServerRole::kPrimary) {
      primary_endpoint_ = (*server)->local_endpoint();
    } else {
      backup_endpoint_ = (*server)->local_endpoint();
    }
    return std::move(*server);
  }

  void WatchAndCrash(service::ServerRole which, uint64_t after) {
    Server& server = which == service::ServerRole::kPrimary ? *primary_ : *backup_;
    const service::LockServerStats& stats = server.lock_server().stats();
    if (stats.executed + stats.forwards_applied >= after) {
      server.Stop(/*abortive=*/true);
      crashed_[static_cast<int>(which)] = true;
      return;
    }
    auto timer = std::make_shared<asio::steady_timer>(io_, std::chrono::milliseconds(1));
    timer->async_wait([this, which, after, timer](const asio::error_code& error) {
      if (!error) WatchAndCrash(which, after);
    });
  }

  asio::io_context io_{1};
  std::unique_ptr<Server> backup_;
  std::unique_ptr<Server> primary_;
  tcp::endpoint primary_endpoint_;
  tcp::endpoint backup_endpoint_;
  bool crashed_[2] = {false, false};
  std::thread thread_;
};

LoadOptions LoadAgainst(const Pair& pair, const scenario::Scenario& s, uint64_t seed) {
  LoadOptions options;
  options.scenario = &s;
  options.seed = seed;
  options.primary = {pair.primary()};
  options.backup = {pair.backup()};
  options.primary_name = "primary";
  options.backup_name = "backup";
  options.session = NewSession();
  options.deadline = std::chrono::seconds(60);
  return options;
}

// Runs the load and its checks; a failure prints how to run the same thing by hand.
LoadReport LoadAndCheck(const LoadOptions& options) {
  absl::StatusOr<LoadOutcome> outcome = RunLoad(options);
  EXPECT_TRUE(outcome.ok()) << outcome.status();
  if (!outcome.ok()) return LoadReport{};
  LoadContext context;
  context.seed = options.seed;
  const LoadReport report = CheckLoad(context, *outcome);
  EXPECT_TRUE(report.passed) << "seed " << options.seed
                             << "; by hand: scripts/real_crash_test.sh, or locksim serve + locksim "
                                "load (docs/real-network.md)\n"
                             << HumanLoadSummary(report, false);
  return report;
}

TEST(Pair, ServesALoadWithEveryOperationReplicated) {
  Pair pair({});
  const scenario::Scenario s = Workload(8, 200, 16);
  const LoadReport report = LoadAndCheck(LoadAgainst(pair, s, 1));
  EXPECT_EQ(report.completed, 8 * 200);
  EXPECT_EQ(report.calls.calls, 8 * 200u) << "no call should fail without faults";
  const auto [executed, applied] = pair.OnLoop([&] {
    return std::make_pair(pair.primary_server().lock_server().stats().executed,
                          pair.backup_server().lock_server().stats().forwards_applied);
  });
  EXPECT_EQ(executed, 8 * 200u);
  EXPECT_EQ(applied, 8 * 200u) << "the primary replies only after the backup applied";
}

TEST(Pair, TheSameSeedDrawsTheSameOperations) {
  Pair pair({});
  const scenario::Scenario s = Workload(3, 50, 5);
  absl::StatusOr<LoadOutcome> a = RunLoad(LoadAgainst(pair, s, 7));
  absl::StatusOr<LoadOutcome> b = RunLoad(LoadAgainst(pair, s, 7));
  ASSERT_TRUE(a.ok() && b.ok());
  // Operations interleave differently across clients; each client's own sequence is the seed's.
  for (int64_t client = 0; client < 3; ++client) {
    std::vector<std::string> ops_a, ops_b;
    for (const auto& op : a->history.operations) {
      if (op.client == client) ops_a.push_back(absl::StrCat(static_cast<int>(op.op), op.lock));
    }
    for (const auto& op : b->history.operations) {
      if (op.client == client) ops_b.push_back(absl::StrCat(static_cast<int>(op.op), op.lock));
    }
    EXPECT_EQ(ops_a, ops_b) << "client " << client << ", seed 7";
    EXPECT_EQ(ops_a.size(), 50u);
  }
}

TEST(Pair, RunAfterRunOnOnePairEachStartsFresh) {
  // Sessions: the second run's clients and locks are new to the servers, so its Locks of locks
  // the first run left held succeed, as the checker's "every lock starts free" requires.
  Pair pair({});
  const scenario::Scenario s = Workload(4, 100, 2);
  for (uint64_t seed = 1; seed <= 3; ++seed) LoadAndCheck(LoadAgainst(pair, s, seed));
}

TEST(Pair, SurvivesThePrimaryCrashingMidRun) {
  for (uint64_t after : {1u, 150u, 600u}) {
    Pair pair({});
    const scenario::Scenario s = Workload(8, 150, 8);
    pair.CrashAfter(service::ServerRole::kPrimary, after);
    const LoadReport report = LoadAndCheck(LoadAgainst(pair, s, after));
    EXPECT_TRUE(pair.crashed(service::ServerRole::kPrimary)) << "crash after " << after;
    EXPECT_GT(report.calls.calls_refused, 0u) << "crash after " << after;
    EXPECT_EQ(report.completed, 8 * 150) << "crash after " << after;
    EXPECT_TRUE(pair.OnLoop([&] { return pair.backup_server().lock_server().acting_primary(); }))
        << "the backup took over (crash after " << after << ")";
  }
}

TEST(Pair, SurvivesTheBackupCrashingMidRun) {
  for (uint64_t after : {1u, 300u}) {
    Pair pair({});
    const scenario::Scenario s = Workload(8, 150, 8);
    pair.CrashAfter(service::ServerRole::kBackup, after);
    const LoadReport report = LoadAndCheck(LoadAgainst(pair, s, after));
    EXPECT_TRUE(pair.crashed(service::ServerRole::kBackup)) << "crash after " << after;
    EXPECT_EQ(report.completed, 8 * 150);
    EXPECT_FALSE(pair.OnLoop([&] { return pair.primary_server().lock_server().forwarding(); }))
        << "the primary serves alone once a forward failed (crash after " << after << ")";
  }
}

TEST(Pair, LostRepliesAreRetriedAndAnsweredFromTheTable) {
  // A tenth of the replies to clients vanish; clerks time out and re-send, to the backup first,
  // which answers from its table without taking over. The clerks' timeout (2 s) stays far above
  // a real round trip, as the protocol requires, even on a slow, busy machine.
  Pair pair({.drop_replies = 0.1});
  const scenario::Scenario s = Workload(4, 30, 4, /*rpc_timeout_ms=*/2000);
  const LoadReport report = LoadAndCheck(LoadAgainst(pair, s, 3));
  EXPECT_EQ(report.completed, 4 * 30);
  EXPECT_GT(report.calls.calls_timed_out, 0u);
  const auto [dropped, took_over] = pair.OnLoop([&] {
    return std::make_pair(pair.primary_server().replies_dropped(),
                          pair.backup_server().lock_server().acting_primary());
  });
  EXPECT_GT(dropped, 0u);
  EXPECT_FALSE(took_over) << "a lost reply must not look like a dead primary";
}

TEST(Pair, APrimaryWithoutBackupServesAlone) {
  Pair pair({.with_backup = false});
  const scenario::Scenario s = Workload(4, 50, 4);
  LoadAndCheck(LoadAgainst(pair, s, 5));
  EXPECT_FALSE(pair.OnLoop([&] { return pair.primary_server().lock_server().forwarding(); }));
}

TEST(Pair, UnreachableServersAreAnErrorNamingThem) {
  // A port that was free a moment ago: bind it, note it, close it.
  asio::io_context io;
  tcp::acceptor probe(io, kAnyLoopbackPort);
  const tcp::endpoint nobody = probe.local_endpoint();
  probe.close();
  const scenario::Scenario s = Workload(1, 1, 1);
  LoadOptions options;
  options.scenario = &s;
  options.primary = {nobody};
  options.backup = {nobody};
  options.primary_name = "127.0.0.1:nobody";
  options.backup_name = "127.0.0.1:nobody";
  options.connect_timeout = std::chrono::seconds(20);
  const absl::StatusOr<LoadOutcome> outcome = RunLoad(options);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kUnavailable) << outcome.status();
  EXPECT_NE(outcome.status().message().find("cannot reach the primary at 127.0.0.1:nobody"),
            std::string::npos)
      << outcome.status();
}

TEST(Pair, SwappedServersAreBadInput) {
  Pair pair({});
  const scenario::Scenario s = Workload(1, 1, 1);
  LoadOptions options = LoadAgainst(pair, s, 1);
  std::swap(options.primary, options.backup);
  const absl::StatusOr<LoadOutcome> outcome = RunLoad(options);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kInvalidArgument) << outcome.status();
  EXPECT_NE(outcome.status().message().find("is a backup, not the primary"), std::string::npos)
      << outcome.status();
}

// Sends `bytes` to `server` on a fresh connection and reads until the server closes it; true when
// it did (end of stream, or a reset if our bytes were still unread). Bounded: the socket gets a
// 10 s receive timeout.
bool ServerClosesAfter(const tcp::endpoint& server, const std::vector<uint8_t>& bytes) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(server);
  struct timeval timeout = {10, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  asio::write(socket, asio::buffer(bytes));
  std::vector<uint8_t> reply(4096);
  asio::error_code error;
  // Each pass reads something; the server closes within one read of the bad frame.
  for (int reads = 0; reads < 100 && !error; ++reads) socket.read_some(asio::buffer(reply), error);
  return error == asio::error::eof || error == asio::error::connection_reset;
}

TEST(Pair, GarbageClosesTheConnectionNotTheServer) {
  Pair pair({});
  const std::vector<uint8_t> http = {'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '\r', '\n'};
  std::vector<uint8_t> reply_to_server;  // a client hello, then a frame only servers send
  AppendHelloFrame(Hello{.role = PeerRole::kClient, .incarnation = 1}, &reply_to_server);
  AppendMessageFrame(1, service::ClientReply{.id = {.client = 0, .sequence = 1}}, &reply_to_server);
  std::vector<uint8_t> primary_to_primary;  // a "primary" hello to the primary
  AppendHelloFrame(Hello{.role = PeerRole::kPrimary, .incarnation = 2}, &primary_to_primary);
  std::vector<uint8_t> forward_from_client;  // a client sending a forward to the backup
  AppendHelloFrame(Hello{.role = PeerRole::kClient, .incarnation = 3}, &forward_from_client);
  AppendMessageFrame(1, service::ForwardRequest{.order = 1, .id = {}, .lock = "x"},
                     &forward_from_client);
  // Another primary (or the real one restarted) while the backup serves the pair's primary.
  std::vector<uint8_t> second_primary;
  AppendHelloFrame(Hello{.role = PeerRole::kPrimary, .incarnation = 4}, &second_primary);
  AppendMessageFrame(1, service::ForwardRequest{.order = 1, .id = {}, .lock = "x"},
                     &second_primary);

  int sent = 0;
  for (const auto& bytes : {http, reply_to_server, primary_to_primary}) {
    EXPECT_TRUE(ServerClosesAfter(pair.primary(), bytes)) << "bad input #" << sent;
    ++sent;
  }
  EXPECT_TRUE(ServerClosesAfter(pair.backup(), forward_from_client));
  EXPECT_TRUE(ServerClosesAfter(pair.backup(), second_primary));
  // The servers count a protocol error when their loop has handled the close, which may come a
  // moment after this thread saw it: look again for up to 10 s.
  std::pair<uint64_t, uint64_t> errors;
  for (int looks = 0; looks < 1000; ++looks) {
    errors = pair.OnLoop([&] {
      return std::make_pair(pair.primary_server().stats().protocol_errors,
                            pair.backup_server().stats().protocol_errors);
    });
    if (errors == std::make_pair(uint64_t{3}, uint64_t{2})) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(errors.first, 3u);
  EXPECT_EQ(errors.second, 2u);
  // And the pair still serves, with the backup never having applied the bogus forward.
  const scenario::Scenario s = Workload(2, 30, 2);
  LoadAndCheck(LoadAgainst(pair, s, 11));
}

}  // namespace
}  // namespace locksim::net
