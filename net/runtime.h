// The real-network runtime: it hosts protocol nodes (a LockServer, or a load's clerks) in one
// process, on one Asio event loop, and implements service::Environment for them over TCP. It is
// the real counterpart of sim::World and shares no code with it: only the interface
// (service/environment.h) and the message types.
//
// How it keeps the environment's rules:
// - Handlers run to completion and never re-enter: every node handler is called from an Asio
//   handler at the top of the loop; Call, Reply and StartTimer only queue work (frames are
//   written after the handler, failures are delivered from a fresh handler). An assertion checks
//   that no handler starts inside another.
// - Every Call gets exactly one outcome: its reply; kRefused when the connection to the callee is
//   refused, reset or closed (a killed process's sockets are closed by its kernel, so the caller
//   learns fast); or kTimeout `rpc_timeout` after the call. A reply to a call that already failed
//   is counted and dropped. The simulator reports a call outstanding at a crash as a timeout;
//   here it is refused as soon as the connection drops: the protocol treats both alike (the
//   callee may or may not have acted).
// - Fail-stop: one connection per server, opened on demand. A failed connection fails the calls
//   on it and nothing else; the next call opens a new one, which a dead server refuses. So a
//   server that died stays dead to its callers, and the primary, once a forward failed, never
//   calls the backup again (LockServer stops forwarding for good).
//
// Frames are checked before a node sees them, so that a confused or hostile peer closes its
// connection instead of tripping a protocol assertion: hellos first, with the right roles; only
// requests the server's role can take; replies of the right kind, to calls made on that
// connection, for the request they answer.
#ifndef LOCKSIM_NET_RUNTIME_H_
#define LOCKSIM_NET_RUNTIME_H_

#include <array>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "net/frame_connection.h"
#include "net/wire.h"
#include "service/environment.h"
#include "service/messages.h"

namespace locksim::net {

struct RuntimeConfig {
  // What this process is: a server of that role, or a client (a load). Sent in every hello.
  PeerRole role = PeerRole::kClient;
  // A call whose reply has not come by then fails with kTimeout. It must exceed any real round
  // trip (client -> primary -> backup -> primary -> client): a timeout has to mean a lost reply
  // or a dead server, never a slow one (docs/protocol.md).
  service::Micros rpc_timeout{2'000'000};
  // This process, in every hello it sends; 0: draw one at random.
  uint64_t incarnation = 0;
  // The servers this process calls; empty when it calls none (a backup; a primary alone).
  std::vector<asio::ip::tcp::endpoint> primary;
  std::vector<asio::ip::tcp::endpoint> backup;
};

struct RuntimeStats {
  uint64_t calls = 0;
  uint64_t replies = 0;
  uint64_t calls_refused = 0;  // refused, reset or closed connection
  uint64_t calls_timed_out = 0;
  uint64_t late_replies = 0;  // replies to calls that had already failed
  uint64_t incoming_calls = 0;
  uint64_t replies_unsent = 0;  // the caller's connection had closed before the reply
  uint64_t connections_accepted = 0;
  uint64_t protocol_errors = 0;  // connections closed for a malformed or unexpected frame
};

// How the process hosting the runtime hears of what happens. Called from the event loop.
class RuntimeObserver {
 public:
  virtual ~RuntimeObserver() = default;
  // A clerk's Lock/Unlock has ended (service::Environment::OperationCompleted).
  virtual void OnOperationCompleted(service::NodeId /*client*/,
                                    const service::CompletedOperation& /*operation*/) {}
  // The connection to `server` is up: its hello came back with the role expected.
  virtual void OnLinkUp(service::NodeId /*server*/, const std::string& /*remote*/) {}
  // The connection to `server` ended or could not be made. `wrong_peer`: the address answered,
  // but not as that server (a misconfiguration, not a crash).
  virtual void OnLinkDown(service::NodeId /*server*/, const std::string& /*remote*/,
                          std::string_view /*reason*/, bool /*wrong_peer*/) {}
  // Servers: a peer connected and said what it is; a peer's connection ended (`protocol_error`:
  // closed here because it sent a malformed or unexpected frame).
  virtual void OnPeerConnected(const std::string& /*remote*/, PeerRole /*role*/) {}
  virtual void OnPeerDisconnected(const std::string& /*remote*/, std::string_view /*reason*/,
                                  bool /*protocol_error*/) {}
};

class Runtime final : private FrameConnection::Owner {
 public:
  // `io` and `observer` (may be null) must outlive the runtime.
  Runtime(asio::io_context& io, RuntimeConfig config, RuntimeObserver* observer);
  ~Runtime() override;
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // The environment the node `node` acts through; stable for the runtime's lifetime.
  service::Environment& EnvironmentFor(service::NodeId node);
  // REQUIRES: once per node; `handler` outlives the runtime. A server process attaches the server
  // node of its role (kPrimaryNode or kBackupNode): incoming calls go to it.
  void Attach(service::NodeId node, service::Node* handler);

  // Servers: binds and listens (port 0: the system picks one). An error (address in use, not an
  // address of this machine) is returned, never thrown. Accepting starts with StartAccepting.
  absl::Status Listen(const asio::ip::tcp::endpoint& endpoint);
  void StartAccepting();
  // The address Listen bound.
  asio::ip::tcp::endpoint local_endpoint() const;

  // Opens the connection to `server` now instead of at the first call (to learn early whether it
  // is there). REQUIRES: the runtime knows the server's address.
  void Connect(service::NodeId server);
  bool link_up(service::NodeId server) const;

  // Stops everything: no node handler runs afterwards, every connection and the listening socket
  // close. `abortive`: connections are reset, as when the process is killed.
  void Shutdown(bool abortive);

  // Microseconds since the runtime started (a monotonic clock).
  service::Micros Now() const;
  const RuntimeStats& stats() const { return stats_; }

 private:
  class NodeEnvironment;

  struct NodeSlot {
    std::unique_ptr<NodeEnvironment> environment;
    service::Node* handler = nullptr;
  };
  // The connection to one server, made on demand.
  struct Link {
    service::NodeId server = -1;
    std::vector<asio::ip::tcp::endpoint> endpoints;
    std::shared_ptr<FrameConnection> connection;
    bool up = false;  // the server's hello came back
  };
  // A connection a peer opened to this server.
  struct Incoming {
    std::shared_ptr<FrameConnection> connection;
    std::optional<PeerRole> role;  // from its hello
    // Calls being handled: the local number in the reply token -> the caller's call id.
    absl::flat_hash_map<uint32_t, uint64_t> open_calls;
    uint32_t next_local = 0;
  };
  struct OutgoingCall {
    service::NodeId caller = -1;
    uint64_t connection = 0;  // the connection that carried it
    FrameKind kind = FrameKind::kClientRequest;
    service::RequestId request;  // a client request's id: its reply must carry it
    std::chrono::steady_clock::time_point deadline;
  };
  struct NodeTimer {
    service::NodeId node = -1;
    std::unique_ptr<asio::steady_timer> timer;
  };

  // --- What NodeEnvironment does. ---
  service::CallId StartCall(service::NodeId caller, service::NodeId to,
                            const service::Message& request);
  void SendReply(service::ReplyToken token, const service::Message& reply);
  service::TimerId StartTimer(service::NodeId node, service::Micros delay);
  void CancelTimer(service::TimerId id);

  // --- FrameConnection::Owner. ---
  void OnConnected(FrameConnection& connection) override;
  void OnFrame(FrameConnection& connection, const Frame& frame) override;
  void OnClosed(FrameConnection& connection, std::string_view reason) override;

  void Accept();
  void OpenLink(Link& link);
  Link* LinkOf(const FrameConnection& connection);
  void OnLinkFrame(Link& link, FrameConnection& connection, const Frame& frame);
  void OnIncomingFrame(Incoming& incoming, const Frame& frame);
  void ProtocolError(FrameConnection& connection, std::string_view error);
  // Fails every call that `connection` carried with kRefused.
  void FailCallsOn(uint64_t connection);
  void ArmDeadlineTimer();
  void ExpireCalls();
  // Runs `action` with the node's handler, unless the node is gone or the runtime shut down.
  template <typename Action>
  void Dispatch(service::NodeId node, Action&& action);
  // asio::post that does nothing once the runtime is gone.
  template <typename Fn>
  void Post(Fn&& fn);

  asio::io_context& io_;
  const RuntimeConfig config_;
  RuntimeObserver* const observer_;
  const std::chrono::steady_clock::time_point start_;
  // Lambdas posted to the loop hold a weak_ptr to this: they do nothing once it is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool shut_down_ = false;
  bool in_handler_ = false;
  uint64_t incarnation_;
  // A backup: the incarnation of the primary it serves, once one connected.
  std::optional<uint64_t> primary_incarnation_;

  absl::flat_hash_map<service::NodeId, NodeSlot> nodes_;
  service::NodeId server_node_ = -1;  // kPrimaryNode or kBackupNode in a server; else -1

  asio::ip::tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  std::array<Link, 2> links_;                         // indexed by kPrimaryNode, kBackupNode
  absl::flat_hash_map<uint64_t, Incoming> incoming_;  // by connection id; lookup only
  uint64_t next_connection_id_ = 1;

  // The calls waiting for their outcome. Every call has the same timeout and the clock only moves
  // forward, so in call order they are also in deadline order: one timer on the first serves all.
  absl::btree_map<service::CallId, OutgoingCall> calls_;
  service::CallId next_call_id_ = 0;
  uint64_t highest_forward_order_ = 0;  // the highest order this process forwarded
  asio::steady_timer deadline_timer_;
  bool deadline_timer_armed_ = false;

  absl::flat_hash_map<service::TimerId, NodeTimer> timers_;
  service::TimerId next_timer_id_ = 0;

  RuntimeStats stats_;
};

}  // namespace locksim::net

#endif  // LOCKSIM_NET_RUNTIME_H_
