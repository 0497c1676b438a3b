// One lock server on a real network (`locksim serve`): the real service::LockServer, unchanged,
// hosted by a net::Runtime. It logs one line per event it sees (every request, forward and reply
// with `verbose`; otherwise connections, the start, and the protocol's turning points: the
// primary serving alone after a forward failed, the backup taking over).
//
// A primary with a backup connects to it before it accepts clients, waiting at most
// `backup_wait` (so a pair can be started in either order). If the backup does not answer by
// then the primary serves anyway: its first forward tries again, and if that fails the primary
// serves alone from then on, exactly as after a backup crash. Once it has served, a failed
// forward is final: the runtime never reconnects behind the protocol's back.
#ifndef LOCKSIM_NET_SERVER_H_
#define LOCKSIM_NET_SERVER_H_

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "net/runtime.h"
#include "service/environment.h"
#include "service/flaws.h"
#include "service/lock_server.h"
#include "sim/prng.h"
#include "sim/probability.h"

namespace locksim::net {

struct ServerOptions {
  service::ServerRole role = service::ServerRole::kPrimary;
  asio::ip::tcp::endpoint listen;
  // The primary's backup, resolved; empty: the primary serves alone, without replication.
  std::vector<asio::ip::tcp::endpoint> backup;
  std::string backup_name;  // as the user wrote it, for the log
  service::Micros rpc_timeout{2'000'000};
  // The chance that a reply to a client is discarded instead of sent (`--drop-replies`): lost
  // replies, for real. Drawn from `seed`.
  sim::Probability drop_replies;
  uint64_t seed = 1;
  service::Flaw flaw = service::Flaw::kNone;
  std::chrono::milliseconds backup_wait{5000};
  bool verbose = false;
};

// Receives each log line, without a newline.
using LogSink = std::function<void(std::string_view line)>;

class Server final : private service::Node, private RuntimeObserver {
 public:
  // Binds the listening address; an error says why it cannot (in use, not this machine's).
  static absl::StatusOr<std::unique_ptr<Server>> Create(asio::io_context& io, ServerOptions options,
                                                        LogSink log);
  ~Server() override;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Starts serving (see above). `on_fatal` runs if the start fails for a reason the user must
  // fix: the --backup address answers, but not as a backup.
  void Start(std::function<void(absl::Status)> on_fatal);
  // Closes every connection; nothing is handled afterwards. `abortive`: reset the connections,
  // as a killed process does (tests use it to crash a server in-process).
  void Stop(bool abortive);

  asio::ip::tcp::endpoint local_endpoint() const { return runtime_.local_endpoint(); }
  const service::LockServer& lock_server() const { return lock_server_; }
  const RuntimeStats& stats() const { return runtime_.stats(); }
  uint64_t replies_dropped() const { return replies_dropped_; }

 private:
  class LoggingEnvironment;

  Server(asio::io_context& io, ServerOptions options, LogSink log);

  // service::Node: hands everything to the LockServer, logs, and notices turning points.
  void OnCall(service::NodeId from, service::ReplyToken token,
              const service::Message& request) override;
  void OnCallReply(service::CallId call, const service::Message& reply) override;
  void OnCallFailed(service::CallId call, service::CallFailure failure) override;
  void OnTimer(service::TimerId timer) override;
  void NoticeTurningPoints();

  // RuntimeObserver.
  void OnLinkUp(service::NodeId server, const std::string& remote) override;
  void OnLinkDown(service::NodeId server, const std::string& remote, std::string_view reason,
                  bool wrong_peer) override;
  void OnPeerConnected(const std::string& remote, PeerRole role) override;
  void OnPeerDisconnected(const std::string& remote, std::string_view reason,
                          bool protocol_error) override;

  void RetryBackup();
  void BeginServing(std::string_view how);
  void Log(std::string_view line);
  void Verbose(std::string_view line) {
    if (options_.verbose) Log(line);
  }

  const ServerOptions options_;
  const LogSink log_;
  Runtime runtime_;
  std::unique_ptr<LoggingEnvironment> environment_;
  service::LockServer lock_server_;
  sim::Prng drop_rng_;
  uint64_t replies_dropped_ = 0;

  // Starting.
  bool waiting_for_backup_ = false;
  bool serving_ = false;
  asio::steady_timer backup_deadline_;
  asio::steady_timer backup_retry_;
  std::function<void(absl::Status)> on_fatal_;

  // What NoticeTurningPoints last saw.
  bool was_forwarding_ = false;
  bool was_acting_primary_ = false;
};

}  // namespace locksim::net

#endif  // LOCKSIM_NET_SERVER_H_
