#include "net/load_driver.h"

#include <array>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <random>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/assert.h"
#include "scenario/workload_draw.h"
#include "service/clerk.h"

namespace locksim::net {
namespace {

using Clock = std::chrono::steady_clock;

const char* ServerName(service::NodeId server) {
  return server == service::kPrimaryNode ? "primary" : "backup";
}

class LoadDriver final : private RuntimeObserver {
 public:
  LoadDriver(asio::io_context& io, const LoadOptions& options)
      : io_(io),
        options_(options),
        workload_(*options.scenario->workload),
        runtime_(
            io,
            RuntimeConfig{.role = PeerRole::kClient,
                          .rpc_timeout = service::Micros(options.scenario->rpc_timeout.micros()),
                          .primary = options.primary,
                          .backup = options.backup},
            this),
        client_base_(static_cast<service::ClientId>(options.session * kClientsPerSession)) {
    for (const std::string& name : workload_.locks) {
      wire_names_.push_back(SessionLockName(options.session, name));
    }
    const int clients = options.scenario->clients;
    for (int c = 0; c < clients; ++c) {
      const service::NodeId node = service::ClientNode(client_base_ + c);
      clerks_.push_back(std::make_unique<service::Clerk>(runtime_.EnvironmentFor(node),
                                                         client_base_ + c, options.flaw));
      runtime_.Attach(node, clerks_.back().get());
      Client& client = clients_.emplace_back();
      client.rng = scenario::WorkloadStream(options.seed, c);
      client.think_timer = std::make_unique<asio::steady_timer>(io);
    }
  }

  // Connects to both servers; an error if either does not answer as itself. It waits until each
  // link is up or failed, and then names the primary's failure first: which server answers first
  // is a race, and the error must not depend on it (two swapped servers are both wrong).
  absl::Status ConnectBoth() {
    runtime_.Connect(service::kPrimaryNode);
    runtime_.Connect(service::kBackupNode);
    const Clock::time_point give_up = Clock::now() + options_.connect_timeout;
    const auto settled = [&](service::NodeId server) {
      return runtime_.link_up(server) || !startup_errors_[static_cast<size_t>(server)].ok();
    };
    // Each pass handles one event or ends at the deadline.
    while (!(settled(service::kPrimaryNode) && settled(service::kBackupNode))) {
      if (io_.run_one_until(give_up) == 0) break;
    }
    for (const absl::Status& error : startup_errors_) {
      if (!error.ok()) return error;
    }
    for (service::NodeId server : {service::kPrimaryNode, service::kBackupNode}) {
      if (!runtime_.link_up(server)) {
        return absl::UnavailableError(absl::StrCat("cannot reach the ", ServerName(server), " at ",
                                                   NameOf(server), ": no answer within ",
                                                   options_.connect_timeout.count(), " ms"));
      }
    }
    return absl::OkStatus();
  }

  LoadOutcome Run() {
    started_ = true;
    workload_start_ = runtime_.Now();
    for (size_t c = 0; c < clients_.size(); ++c) DrawAndSchedule(c);
    const Clock::time_point deadline = Clock::now() + options_.deadline;
    // Each pass handles one event or ends at the deadline.
    while (clients_done_ < clients_.size()) {
      if (io_.run_one_until(deadline) == 0) break;
    }
    outcome_.deadline_hit = clients_done_ < clients_.size();
    outcome_.elapsed_us =
        outcome_.deadline_hit ? SinceStart() : std::max(last_return_us_, int64_t{0});
    runtime_.Shutdown(/*abortive=*/false);
    outcome_.calls = runtime_.stats();
    return std::move(outcome_);
  }

 private:
  struct Client {
    sim::Prng rng{0};
    int64_t issued = 0;
    std::optional<size_t> open;  // index into the history
    scenario::WorkloadOperation next;
    std::unique_ptr<asio::steady_timer> think_timer;
  };

  int64_t SinceStart() const { return (runtime_.Now() - workload_start_).count(); }
  const std::string& NameOf(service::NodeId server) const {
    return server == service::kPrimaryNode ? options_.primary_name : options_.backup_name;
  }

  // Draws client c's next operation and issues it after its think time, from a fresh handler:
  // never from inside the clerk's handler that reported the previous one.
  void DrawAndSchedule(size_t c) {
    Client& client = clients_[c];
    // The simulator's order of draws (scenario/workload_draw.h): the think time, then the
    // operation.
    const sim::Duration think = scenario::DrawThinkTime(workload_, client.rng);
    client.next = scenario::DrawOperation(workload_, client.rng);
    if (think.micros() == 0) {
      asio::post(io_, [this, c] { Issue(c); });
      return;
    }
    client.think_timer->expires_after(std::chrono::microseconds(think.micros()));
    client.think_timer->async_wait([this, c](const asio::error_code& error) {
      if (!error) Issue(c);
    });
  }

  void Issue(size_t c) {
    Client& client = clients_[c];
    LOCKSIM_ASSERT(!client.open.has_value());
    const scenario::WorkloadOperation& op = client.next;
    client.open = outcome_.history.operations.size();
    ++client.issued;
    outcome_.history.operations.push_back(check::HistoryOperation{
        .client = static_cast<int64_t>(c),
        .op = op.op == service::OpKind::kLock ? check::LockOp::kLock : check::LockOp::kUnlock,
        .lock = workload_.locks[op.lock],
        .invoke = SinceStart(),
        .ret = std::nullopt,
        .result = std::nullopt});
    outcome_.gave_up.push_back(false);
    service::Clerk& clerk = *clerks_[c];
    if (op.op == service::OpKind::kLock) {
      clerk.Lock(wire_names_[op.lock]);
    } else {
      clerk.Unlock(wire_names_[op.lock]);
    }
  }

  // --- RuntimeObserver. ---

  void OnOperationCompleted(service::NodeId node,
                            const service::CompletedOperation& completed) override {
    const size_t c = static_cast<size_t>(node - service::ClientNode(client_base_));
    LOCKSIM_ASSERT(c < clients_.size());
    Client& client = clients_[c];
    LOCKSIM_ASSERT(client.open.has_value());
    const size_t index = *client.open;
    client.open.reset();
    check::HistoryOperation& op = outcome_.history.operations[index];
    LOCKSIM_ASSERT(completed.lock == wire_names_[client.next.lock]);
    const int64_t now = SinceStart();
    if (completed.result.has_value()) {
      op.ret = now;
      op.result = completed.result;
      ++outcome_.completed;
      outcome_.latencies_us.push_back(now - op.invoke);
    } else {
      outcome_.gave_up[index] = true;
      ++outcome_.failed;
    }
    last_return_us_ = now;
    if (client.issued < workload_.ops_per_client) {
      DrawAndSchedule(c);
    } else {
      ++clients_done_;
    }
  }

  void OnLinkUp(service::NodeId server, const std::string& remote) override {
    Log(absl::StrCat("connected to the ", ServerName(server), " at ", remote));
  }

  void OnLinkDown(service::NodeId server, const std::string& remote, std::string_view reason,
                  bool wrong_peer) override {
    absl::Status& startup_error = startup_errors_[static_cast<size_t>(server)];
    if (!started_ && startup_error.ok()) {
      const std::string flag = server == service::kPrimaryNode ? "--primary " : "--backup ";
      startup_error =
          wrong_peer
              ? absl::InvalidArgumentError(
                    absl::StrCat(flag, NameOf(server), ": ", std::string(reason)))
              : absl::UnavailableError(absl::StrCat("cannot reach the ", ServerName(server), " at ",
                                                    NameOf(server), ": ", std::string(reason)));
      return;
    }
    Log(absl::StrCat("connection to the ", ServerName(server), " at ", remote,
                     " ended: ", std::string(reason)));
  }

  void Log(std::string_view line) {
    if (options_.log) options_.log(line);
  }

  asio::io_context& io_;
  const LoadOptions& options_;
  const scenario::Workload& workload_;
  Runtime runtime_;
  const service::ClientId client_base_;
  std::vector<std::string> wire_names_;  // by lock index
  std::vector<std::unique_ptr<service::Clerk>> clerks_;
  std::vector<Client> clients_;
  std::array<absl::Status, 2> startup_errors_;  // by server id, before the workload starts
  bool started_ = false;
  service::Micros workload_start_{0};
  size_t clients_done_ = 0;
  int64_t last_return_us_ = 0;
  LoadOutcome outcome_;
};

}  // namespace

uint32_t NewSession() {
  std::random_device device;
  return static_cast<uint32_t>(device()) % kSessions;
}

std::string SessionLockName(uint32_t session, const std::string& name) {
  return absl::StrCat(absl::Hex(session), "/", name);
}

absl::StatusOr<LoadOutcome> RunLoad(const LoadOptions& options) {
  LOCKSIM_ASSERT(options.scenario != nullptr && options.scenario->workload.has_value());
  LOCKSIM_ASSERT(options.session < kSessions);
  LOCKSIM_ASSERT(options.scenario->clients <= static_cast<int>(kClientsPerSession));
  const scenario::Workload& workload = *options.scenario->workload;
  for (size_t i = 0; i < workload.locks.size(); ++i) {
    if (SessionLockName(options.session, workload.locks[i]).size() > kMaxLockNameBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          options.scenario->file, ": workload.locks[", i, "]: too long for the wire (at most ",
          kMaxLockNameBytes - SessionLockName(kSessions - 1, "").size(), " bytes)"));
    }
  }
  // One event loop for the whole process; the hint says only this thread runs it.
  asio::io_context io(1);
  auto driver = std::make_unique<LoadDriver>(io, options);
  if (absl::Status connected = driver->ConnectBoth(); !connected.ok()) return connected;
  return driver->Run();
}

}  // namespace locksim::net
