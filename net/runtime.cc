#include "net/runtime.h"

#include <algorithm>
#include <asio/post.hpp>
#include <random>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "base/assert.h"

namespace locksim::net {
namespace {

using service::CallFailure;
using service::NodeId;

// Requests a peer may have in flight on one connection before it is cut off: a load has one per
// clerk (at most 1,000), a primary one per forward not yet acknowledged.
constexpr size_t kMaxOpenCallsPerConnection = 1 << 16;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

PeerRole ServerRoleOf(NodeId server) {
  return server == service::kPrimaryNode ? PeerRole::kPrimary : PeerRole::kBackup;
}
const char* ServerName(NodeId server) {
  return server == service::kPrimaryNode ? "primary" : "backup";
}

FrameKind ReplyKindFor(FrameKind request) {
  return request == FrameKind::kClientRequest ? FrameKind::kClientReply : FrameKind::kForwardReply;
}

}  // namespace

class Runtime::NodeEnvironment final : public service::Environment {
 public:
  NodeEnvironment(Runtime& runtime, NodeId node) : runtime_(runtime), node_(node) {}

  service::CallId Call(NodeId to, service::Message request) override {
    return runtime_.StartCall(node_, to, request);
  }
  void Reply(service::ReplyToken token, service::Message reply) override {
    runtime_.SendReply(token, reply);
  }
  service::TimerId StartTimer(service::Micros delay) override {
    return runtime_.StartTimer(node_, delay);
  }
  void CancelTimer(service::TimerId id) override { runtime_.CancelTimer(id); }
  service::Micros Now() const override { return runtime_.Now(); }
  void OperationCompleted(const service::CompletedOperation& operation) override {
    if (runtime_.observer_ != nullptr) runtime_.observer_->OnOperationCompleted(node_, operation);
  }

 private:
  Runtime& runtime_;
  const NodeId node_;
};

Runtime::Runtime(asio::io_context& io, RuntimeConfig config, RuntimeObserver* observer)
    : io_(io),
      config_(std::move(config)),
      observer_(observer),
      start_(std::chrono::steady_clock::now()),
      incarnation_(config_.incarnation),
      acceptor_(io),
      accept_retry_(io),
      deadline_timer_(io) {
  LOCKSIM_ASSERT(config_.rpc_timeout.count() > 0);
  if (incarnation_ == 0) {
    std::random_device device;
    // Never 0, which means "draw one".
    incarnation_ = (uint64_t{device()} << 32 | device()) | 1;
  }
  if (config_.role != PeerRole::kClient) {
    server_node_ =
        config_.role == PeerRole::kPrimary ? service::kPrimaryNode : service::kBackupNode;
  }
  links_[service::kPrimaryNode].server = service::kPrimaryNode;
  links_[service::kPrimaryNode].endpoints = config_.primary;
  links_[service::kBackupNode].server = service::kBackupNode;
  links_[service::kBackupNode].endpoints = config_.backup;
}

Runtime::~Runtime() { Shutdown(/*abortive=*/false); }

service::Environment& Runtime::EnvironmentFor(NodeId node) {
  NodeSlot& slot = nodes_[node];
  if (slot.environment == nullptr)
    slot.environment = std::make_unique<NodeEnvironment>(*this, node);
  return *slot.environment;
}

void Runtime::Attach(NodeId node, service::Node* handler) {
  LOCKSIM_ASSERT(handler != nullptr);
  NodeSlot& slot = nodes_[node];
  LOCKSIM_ASSERT(slot.handler == nullptr);
  slot.handler = handler;
}

absl::Status Runtime::Listen(const asio::ip::tcp::endpoint& endpoint) {
  LOCKSIM_ASSERT(server_node_ >= 0);
  LOCKSIM_ASSERT(!acceptor_.is_open());
  asio::error_code error;
  acceptor_.open(endpoint.protocol(), error);
  // A restarted server must be able to take its port back while old connections linger in
  // TIME_WAIT; SO_REUSEADDR never lets two live listeners share a port on Linux.
  if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor_.bind(endpoint, error);
  if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    asio::error_code ignored;
    acceptor_.close(ignored);
    return absl::UnavailableError(error.message());
  }
  return absl::OkStatus();
}

void Runtime::StartAccepting() {
  LOCKSIM_ASSERT(acceptor_.is_open());
  Accept();
}

asio::ip::tcp::endpoint Runtime::local_endpoint() const {
  asio::error_code error;
  asio::ip::tcp::endpoint endpoint = acceptor_.local_endpoint(error);
  return error ? asio::ip::tcp::endpoint() : endpoint;
}

void Runtime::Connect(NodeId server) {
  LOCKSIM_ASSERT(service::IsServerNode(server));
  Link& link = links_[static_cast<size_t>(server)];
  LOCKSIM_ASSERT(!link.endpoints.empty());
  if (link.connection == nullptr || link.connection->closed()) OpenLink(link);
}

bool Runtime::link_up(NodeId server) const {
  LOCKSIM_ASSERT(service::IsServerNode(server));
  return links_[static_cast<size_t>(server)].up;
}

void Runtime::Shutdown(bool abortive) {
  if (shut_down_) return;
  shut_down_ = true;
  asio::error_code ignored;
  acceptor_.close(ignored);
  accept_retry_.cancel();
  for (Link& link : links_) {
    if (link.connection != nullptr) {
      link.connection->Detach();
      link.connection->Close("shutting down", abortive);
      link.connection.reset();
    }
    link.up = false;
  }
  for (auto& [id, incoming] : incoming_) {
    incoming.connection->Detach();
    incoming.connection->Close("shutting down", abortive);
  }
  incoming_.clear();
  deadline_timer_.cancel();
  for (auto& [id, node_timer] : timers_) node_timer.timer->cancel();
  timers_.clear();
  calls_.clear();
}

service::Micros Runtime::Now() const {
  return std::chrono::duration_cast<service::Micros>(std::chrono::steady_clock::now() - start_);
}

template <typename Action>
void Runtime::Dispatch(NodeId node, Action&& action) {
  if (shut_down_) return;
  auto it = nodes_.find(node);
  if (it == nodes_.end() || it->second.handler == nullptr) return;
  // Handlers run to completion: a node handler never starts inside another.
  LOCKSIM_ASSERT(!in_handler_);
  in_handler_ = true;
  action(*it->second.handler);
  in_handler_ = false;
}

template <typename Fn>
void Runtime::Post(Fn&& fn) {
  asio::post(io_, [alive = std::weak_ptr<bool>(alive_), fn = std::forward<Fn>(fn)]() mutable {
    if (alive.expired()) return;
    fn();
  });
}

// --- Calls out. ---

service::CallId Runtime::StartCall(NodeId caller, NodeId to, const service::Message& request) {
  LOCKSIM_ASSERT(!shut_down_);
  const FrameKind kind = KindOf(request);
  LOCKSIM_ASSERT(IsRequest(kind));
  const service::CallId id = ++next_call_id_;
  ++stats_.calls;
  OutgoingCall call;
  call.caller = caller;
  call.kind = kind;
  call.deadline = std::chrono::steady_clock::now() + config_.rpc_timeout;
  if (const auto* client_request = std::get_if<service::ClientRequest>(&request)) {
    call.request = client_request->id;
  } else {
    const auto& forward = std::get<service::ForwardRequest>(request);
    highest_forward_order_ = std::max(highest_forward_order_, forward.order);
  }
  Link* link = service::IsServerNode(to) ? &links_[static_cast<size_t>(to)] : nullptr;
  if (link == nullptr || link->endpoints.empty()) {
    // Nowhere to send it (a primary started without --backup): refused, from a fresh handler.
    calls_.emplace(id, call);
    Post([this, id] {
      auto it = calls_.find(id);
      if (it == calls_.end()) return;
      const NodeId who = it->second.caller;
      calls_.erase(it);
      ++stats_.calls_refused;
      Dispatch(who, [&](service::Node& node) { node.OnCallFailed(id, CallFailure::kRefused); });
    });
    return id;
  }
  if (link->connection == nullptr || link->connection->closed()) OpenLink(*link);
  call.connection = link->connection->id();
  link->connection->SendMessage(id, request);
  calls_.emplace(id, call);
  ArmDeadlineTimer();
  return id;
}

void Runtime::OpenLink(Link& link) {
  link.up = false;
  link.connection = FrameConnection::Connect(io_, link.endpoints, *this, next_connection_id_++);
  // The hello goes first; calls made before the connection is up queue behind it.
  link.connection->SendHello(Hello{.role = config_.role, .incarnation = incarnation_});
}

Runtime::Link* Runtime::LinkOf(const FrameConnection& connection) {
  for (Link& link : links_) {
    if (link.connection.get() == &connection) return &link;
  }
  return nullptr;
}

// The timer is set for the first outstanding call's deadline. If that call ends first, the timer
// fires early, finds nothing due, and is set again for the new first call.
void Runtime::ArmDeadlineTimer() {
  if (deadline_timer_armed_ || calls_.empty() || shut_down_) return;
  deadline_timer_armed_ = true;
  deadline_timer_.expires_at(calls_.begin()->second.deadline);
  deadline_timer_.async_wait(
      [this, alive = std::weak_ptr<bool>(alive_)](const asio::error_code& error) {
        if (alive.expired() || error) return;
        deadline_timer_armed_ = false;
        ExpireCalls();
      });
}

void Runtime::ExpireCalls() {
  const auto now = std::chrono::steady_clock::now();
  // Each pass ends one call; calls started by the handlers below are due after `now`.
  while (!calls_.empty() && calls_.begin()->second.deadline <= now && !shut_down_) {
    auto it = calls_.begin();
    const service::CallId id = it->first;
    const NodeId caller = it->second.caller;
    calls_.erase(it);
    ++stats_.calls_timed_out;
    Dispatch(caller, [&](service::Node& node) { node.OnCallFailed(id, CallFailure::kTimeout); });
  }
  ArmDeadlineTimer();
}

void Runtime::FailCallsOn(uint64_t connection) {
  std::vector<std::pair<service::CallId, NodeId>> failed;
  for (auto it = calls_.begin(); it != calls_.end();) {
    if (it->second.connection == connection) {
      failed.emplace_back(it->first, it->second.caller);
      it = calls_.erase(it);
    } else {
      ++it;
    }
  }
  // In call order; a node's handler may start new calls (on a new connection).
  for (const auto& [id, caller] : failed) {
    ++stats_.calls_refused;
    Dispatch(caller, [&](service::Node& node) { node.OnCallFailed(id, CallFailure::kRefused); });
  }
}

// --- Calls in. ---

void Runtime::Accept() {
  acceptor_.async_accept([this, alive = std::weak_ptr<bool>(alive_)](const asio::error_code& error,
                                                                     asio::ip::tcp::socket socket) {
    if (alive.expired() || shut_down_ || error == asio::error::operation_aborted) return;
    if (error) {
      // Out of file descriptors, say: try again shortly rather than spin.
      accept_retry_.expires_after(kAcceptRetryDelay);
      accept_retry_.async_wait([this, alive](const asio::error_code& wait_error) {
        if (alive.expired() || wait_error || shut_down_) return;
        Accept();
      });
      return;
    }
    const uint64_t id = next_connection_id_++;
    // Reply tokens carry the connection id in their upper half.
    LOCKSIM_ASSERT(id <= 0xFFFFFFFFu);
    ++stats_.connections_accepted;
    Incoming& incoming = incoming_[id];
    incoming.connection = FrameConnection::Accepted(io_, std::move(socket), *this, id);
    Accept();
  });
}

void Runtime::SendReply(service::ReplyToken token, const service::Message& reply) {
  LOCKSIM_ASSERT(!IsRequest(KindOf(reply)));
  auto it = incoming_.find(token >> 32);
  if (it == incoming_.end()) {
    ++stats_.replies_unsent;  // the caller's connection is gone; it has learned so already
    return;
  }
  Incoming& incoming = it->second;
  auto call = incoming.open_calls.find(static_cast<uint32_t>(token));
  // REQUIRES of Environment::Reply: each token is answered once.
  LOCKSIM_ASSERT(call != incoming.open_calls.end());
  incoming.connection->SendMessage(call->second, reply);
  incoming.open_calls.erase(call);
}

// --- Frames. ---

void Runtime::OnConnected(FrameConnection& /*connection*/) {
  // Nothing to do: the link is up when the server's hello comes back.
}

void Runtime::OnFrame(FrameConnection& connection, const Frame& frame) {
  if (shut_down_) return;
  if (Link* link = LinkOf(connection)) {
    OnLinkFrame(*link, connection, frame);
    return;
  }
  auto it = incoming_.find(connection.id());
  if (it != incoming_.end()) OnIncomingFrame(it->second, frame);
}

void Runtime::OnLinkFrame(Link& link, FrameConnection& connection, const Frame& frame) {
  if (!link.up) {
    if (frame.kind != FrameKind::kHello) {
      ProtocolError(connection, "the server sent something before its hello");
      return;
    }
    if (frame.hello.role != ServerRoleOf(link.server)) {
      ++stats_.protocol_errors;
      const std::string reason =
          absl::StrCat(connection.remote(), " is a ", PeerRoleName(frame.hello.role), ", not the ",
                       ServerName(link.server));
      connection.Detach();  // reported here; OnClosed would report it again
      connection.Close(reason);
      const uint64_t id = connection.id();
      link.connection.reset();
      Post([this, id] { FailCallsOn(id); });
      // Last: the observer may shut the runtime down (serve exits 2 on this).
      if (observer_ != nullptr) {
        observer_->OnLinkDown(link.server, connection.remote(), reason, /*wrong_peer=*/true);
      }
      return;
    }
    link.up = true;
    if (observer_ != nullptr) observer_->OnLinkUp(link.server, connection.remote());
    return;
  }
  if (frame.kind == FrameKind::kHello || IsRequest(frame.kind)) {
    ProtocolError(connection, "a server sent a hello twice, or a request to a client");
    return;
  }
  auto it = calls_.find(frame.call);
  if (it == calls_.end()) {
    ++stats_.late_replies;  // the call timed out (or failed) before this reply came
    return;
  }
  const OutgoingCall& call = it->second;
  if (call.connection != connection.id() || frame.kind != ReplyKindFor(call.kind)) {
    ProtocolError(connection, "a reply that does not answer the call it names");
    return;
  }
  if (const auto* reply = std::get_if<service::ClientReply>(&frame.message)) {
    if (reply->id != call.request) {
      ProtocolError(connection, "a client reply for another request");
      return;
    }
  } else if (std::get<service::ForwardReply>(frame.message).order > highest_forward_order_) {
    ProtocolError(connection, "a forward reply acknowledging an order never forwarded");
    return;
  }
  const NodeId caller = call.caller;
  const service::CallId id = it->first;
  calls_.erase(it);
  ++stats_.replies;
  Dispatch(caller, [&](service::Node& node) { node.OnCallReply(id, frame.message); });
}

void Runtime::OnIncomingFrame(Incoming& incoming, const Frame& frame) {
  FrameConnection& connection = *incoming.connection;
  if (!incoming.role.has_value()) {
    if (frame.kind != FrameKind::kHello) {
      ProtocolError(connection, "a peer sent something before its hello");
      return;
    }
    // A backup hears from the primary and from clients; a primary from clients only.
    const PeerRole role = frame.hello.role;
    const bool allowed = role == PeerRole::kClient ||
                         (role == PeerRole::kPrimary && config_.role == PeerRole::kBackup);
    std::string refusal;
    if (!allowed) {
      refusal =
          absl::StrCat("a ", PeerRoleName(role), " connected to this ", PeerRoleName(config_.role),
                       " (is its --backup pointing here by mistake?)");
    } else if (role == PeerRole::kPrimary && primary_incarnation_.has_value() &&
               *primary_incarnation_ != frame.hello.incarnation) {
      // A second primary, or the first one killed and started again with an empty table: its
      // forwards would come from another history. A server never rejoins (fail-stop).
      refusal =
          "a primary other than the one this backup serves connected (a second primary, "
          "or a restarted one: a server never rejoins its pair)";
    }
    // Say who we are first, even when refusing: the peer can then tell its user what it reached.
    connection.SendHello(Hello{.role = config_.role, .incarnation = incarnation_});
    if (!refusal.empty()) {
      connection.CloseForProtocolErrorAfterFlush(refusal);
      return;
    }
    if (role == PeerRole::kPrimary) primary_incarnation_ = frame.hello.incarnation;
    incoming.role = role;
    if (observer_ != nullptr) observer_->OnPeerConnected(connection.remote(), role);
    return;
  }
  NodeId from = -1;
  if (frame.kind == FrameKind::kClientRequest && incoming.role == PeerRole::kClient) {
    from = service::ClientNode(std::get<service::ClientRequest>(frame.message).id.client);
  } else if (frame.kind == FrameKind::kForwardRequest && incoming.role == PeerRole::kPrimary) {
    from = service::kPrimaryNode;
  } else {
    ProtocolError(connection, absl::StrCat("a ", PeerRoleName(*incoming.role),
                                           " sent a frame of kind ", static_cast<int>(frame.kind),
                                           " to this ", PeerRoleName(config_.role)));
    return;
  }
  if (incoming.open_calls.size() >= kMaxOpenCallsPerConnection) {
    ProtocolError(connection, "too many calls in flight on one connection");
    return;
  }
  const uint32_t local = incoming.next_local++;
  if (!incoming.open_calls.emplace(local, frame.call).second) {
    ProtocolError(connection, "reply tokens wrapped around onto a call still open");
    return;
  }
  ++stats_.incoming_calls;
  const service::ReplyToken token = connection.id() << 32 | local;
  Dispatch(server_node_, [&](service::Node& node) { node.OnCall(from, token, frame.message); });
}

void Runtime::ProtocolError(FrameConnection& connection, std::string_view error) {
  connection.CloseForProtocolError(error);  // counted when OnClosed follows
}

void Runtime::OnClosed(FrameConnection& connection, std::string_view reason) {
  if (shut_down_) return;
  if (connection.protocol_error()) ++stats_.protocol_errors;
  if (Link* link = LinkOf(connection)) {
    link->up = false;
    link->connection.reset();
    if (observer_ != nullptr)
      observer_->OnLinkDown(link->server, connection.remote(), reason, false);
    FailCallsOn(connection.id());
    return;
  }
  auto it = incoming_.find(connection.id());
  if (it != incoming_.end()) {
    // Calls it had open are never answered: their caller learns of the closed connection.
    incoming_.erase(it);
    if (observer_ != nullptr) {
      observer_->OnPeerDisconnected(connection.remote(), reason, connection.protocol_error());
    }
    return;
  }
  // An old link connection already replaced by a new one: fail what it carried.
  FailCallsOn(connection.id());
}

// --- Node timers (the protocol starts none today; the interface offers them). ---

service::TimerId Runtime::StartTimer(NodeId node, service::Micros delay) {
  LOCKSIM_ASSERT(delay.count() >= 0);
  const service::TimerId id = ++next_timer_id_;
  auto timer = std::make_unique<asio::steady_timer>(io_, delay);
  timer->async_wait(
      [this, alive = std::weak_ptr<bool>(alive_), id, node](const asio::error_code& error) {
        if (alive.expired() || error) return;
        if (timers_.erase(id) == 0) return;  // cancelled
        Dispatch(node, [&](service::Node& handler) { handler.OnTimer(id); });
      });
  timers_.emplace(id, NodeTimer{node, std::move(timer)});
  return id;
}

void Runtime::CancelTimer(service::TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  it->second.timer->cancel();
  timers_.erase(it);
}

}  // namespace locksim::net
