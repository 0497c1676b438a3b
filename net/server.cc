#include "net/server.h"

#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/assert.h"
#include "net/host_port.h"
#include "service/node_id.h"

namespace locksim::net {
namespace {

constexpr auto kBackupRetryDelay = std::chrono::milliseconds(100);

std::string OpText(service::OpKind op, const std::string& lock) {
  return absl::StrCat(op == service::OpKind::kLock ? "lock(" : "unlock(", lock, ")");
}
std::string IdText(const service::RequestId& id) {
  return absl::StrCat("client ", id.client, " #", id.sequence);
}

}  // namespace

// The LockServer's environment: the runtime's, plus the log and the dropped replies.
class Server::LoggingEnvironment final : public service::Environment {
 public:
  LoggingEnvironment(Server& server, service::Environment& base) : server_(server), base_(base) {}

  service::CallId Call(service::NodeId to, service::Message request) override {
    if (server_.options_.verbose) {
      if (const auto* forward = std::get_if<service::ForwardRequest>(&request)) {
        server_.Log(absl::StrCat(
            "forward #", forward->order, " to the backup: ", IdText(forward->id), " ",
            OpText(forward->op, forward->lock), " = ", forward->result ? "true" : "false"));
      }
    }
    return base_.Call(to, std::move(request));
  }
  void Reply(service::ReplyToken token, service::Message reply) override {
    if (const auto* client_reply = std::get_if<service::ClientReply>(&reply)) {
      if (!server_.options_.drop_replies.is_zero() &&
          server_.drop_rng_.Chance(server_.options_.drop_replies)) {
        ++server_.replies_dropped_;
        server_.Verbose(
            absl::StrCat("reply to ", IdText(client_reply->id), " dropped (--drop-replies)"));
        return;
      }
      server_.Verbose(absl::StrCat("reply to ", IdText(client_reply->id), ": ",
                                   client_reply->result ? "true" : "false"));
    } else if (const auto* ack = std::get_if<service::ForwardReply>(&reply)) {
      server_.Verbose(absl::StrCat("ack to the primary: applied up to #", ack->order));
    }
    base_.Reply(token, std::move(reply));
  }
  service::TimerId StartTimer(service::Micros delay) override { return base_.StartTimer(delay); }
  void CancelTimer(service::TimerId id) override { base_.CancelTimer(id); }
  service::Micros Now() const override { return base_.Now(); }
  void OperationCompleted(const service::CompletedOperation& operation) override {
    base_.OperationCompleted(operation);
  }

 private:
  Server& server_;
  service::Environment& base_;
};

absl::StatusOr<std::unique_ptr<Server>> Server::Create(asio::io_context& io, ServerOptions options,
                                                       LogSink log) {
  LOCKSIM_ASSERT(options.role == service::ServerRole::kPrimary || options.backup.empty());
  const asio::ip::tcp::endpoint listen = options.listen;
  std::unique_ptr<Server> server(new Server(io, std::move(options), std::move(log)));
  if (absl::Status bound = server->runtime_.Listen(listen); !bound.ok()) {
    return absl::UnavailableError(
        absl::StrCat("--listen ", FormatEndpoint(listen), ": cannot bind: ", bound.message()));
  }
  return server;
}

Server::Server(asio::io_context& io, ServerOptions options, LogSink log)
    : options_(std::move(options)),
      log_(std::move(log)),
      runtime_(
          io,
          RuntimeConfig{.role = options_.role == service::ServerRole::kPrimary ? PeerRole::kPrimary
                                                                               : PeerRole::kBackup,
                        .rpc_timeout = options_.rpc_timeout,
                        .primary = {},
                        .backup = options_.backup},
          this),
      environment_(std::make_unique<LoggingEnvironment>(
          *this, runtime_.EnvironmentFor(options_.role == service::ServerRole::kPrimary
                                             ? service::kPrimaryNode
                                             : service::kBackupNode))),
      lock_server_(*environment_, options_.role, options_.flaw),
      drop_rng_(options_.seed),
      backup_deadline_(io),
      backup_retry_(io),
      was_forwarding_(lock_server_.forwarding()),
      was_acting_primary_(lock_server_.acting_primary()) {
  runtime_.Attach(
      options_.role == service::ServerRole::kPrimary ? service::kPrimaryNode : service::kBackupNode,
      this);
}

Server::~Server() { Stop(/*abortive=*/false); }

void Server::Start(std::function<void(absl::Status)> on_fatal) {
  on_fatal_ = std::move(on_fatal);
  if (options_.role == service::ServerRole::kBackup) {
    BeginServing("as the backup");
    return;
  }
  if (options_.backup.empty()) {
    BeginServing("as the primary, alone: no --backup, so nothing is replicated");
    return;
  }
  waiting_for_backup_ = true;
  Log(absl::StrCat("bound ", FormatEndpoint(local_endpoint()), "; connecting to the backup at ",
                   options_.backup_name, " before serving"));
  runtime_.Connect(service::kBackupNode);
  backup_deadline_.expires_after(options_.backup_wait);
  backup_deadline_.async_wait([this](const asio::error_code& error) {
    if (error || !waiting_for_backup_) return;
    waiting_for_backup_ = false;
    backup_retry_.cancel();
    Log(absl::StrCat("the backup at ", options_.backup_name, " did not answer within ",
                     options_.backup_wait.count(),
                     " ms; serving anyway: the first forward tries again, and if it fails the "
                     "primary serves alone from then on"));
    BeginServing(absl::StrCat("as the primary, forwarding to ", options_.backup_name));
  });
}

void Server::BeginServing(std::string_view how) {
  serving_ = true;
  runtime_.StartAccepting();
  Log(absl::StrCat("serving on ", FormatEndpoint(local_endpoint()), " ", std::string(how)));
}

void Server::RetryBackup() {
  backup_retry_.expires_after(kBackupRetryDelay);
  backup_retry_.async_wait([this](const asio::error_code& error) {
    if (error || !waiting_for_backup_) return;
    runtime_.Connect(service::kBackupNode);
  });
}

void Server::Stop(bool abortive) {
  waiting_for_backup_ = false;
  backup_deadline_.cancel();
  backup_retry_.cancel();
  runtime_.Shutdown(abortive);
}

// --- service::Node. ---

void Server::OnCall(service::NodeId from, service::ReplyToken token,
                    const service::Message& request) {
  if (options_.verbose) {
    if (const auto* r = std::get_if<service::ClientRequest>(&request)) {
      Log(absl::StrCat("request from ", IdText(r->id), ": ", OpText(r->op, r->lock)));
    } else if (const auto* f = std::get_if<service::ForwardRequest>(&request)) {
      Log(absl::StrCat("forward #", f->order, " from the primary: ", IdText(f->id), " ",
                       OpText(f->op, f->lock), " = ", f->result ? "true" : "false"));
    }
  }
  lock_server_.OnCall(from, token, request);
  NoticeTurningPoints();
}

void Server::OnCallReply(service::CallId call, const service::Message& reply) {
  lock_server_.OnCallReply(call, reply);
  NoticeTurningPoints();
}

void Server::OnCallFailed(service::CallId call, service::CallFailure failure) {
  Verbose(absl::StrCat("forward call ",
                       failure == service::CallFailure::kRefused ? "refused" : "timed out"));
  lock_server_.OnCallFailed(call, failure);
  NoticeTurningPoints();
}

void Server::OnTimer(service::TimerId timer) { lock_server_.OnTimer(timer); }

void Server::NoticeTurningPoints() {
  if (was_forwarding_ && !lock_server_.forwarding()) {
    Log(absl::StrCat("a forward to the backup failed: serving alone from now on (",
                     lock_server_.stats().executed, " operations executed so far)"));
  }
  if (!was_acting_primary_ && lock_server_.acting_primary()) {
    Log(absl::StrCat("took over as the acting primary: a client came with a request the primary ",
                     "never forwarded (", lock_server_.stats().forwards_applied,
                     " forwards applied before)"));
  }
  was_forwarding_ = lock_server_.forwarding();
  was_acting_primary_ = lock_server_.acting_primary();
}

// --- RuntimeObserver. ---

void Server::OnLinkUp(service::NodeId /*server*/, const std::string& remote) {
  Log(absl::StrCat("connected to the backup at ", remote));
  if (!waiting_for_backup_) return;
  waiting_for_backup_ = false;
  backup_deadline_.cancel();
  backup_retry_.cancel();
  BeginServing(absl::StrCat("as the primary, forwarding to ", remote));
}

void Server::OnLinkDown(service::NodeId /*server*/, const std::string& remote,
                        std::string_view reason, bool wrong_peer) {
  if (waiting_for_backup_) {
    if (wrong_peer) {
      waiting_for_backup_ = false;
      backup_deadline_.cancel();
      if (on_fatal_) {
        on_fatal_(absl::InvalidArgumentError(
            absl::StrCat("--backup ", options_.backup_name, ": ", std::string(reason))));
      }
      return;
    }
    Verbose(absl::StrCat("backup at ", remote, " not there yet (", std::string(reason),
                         "); trying again"));
    RetryBackup();
    return;
  }
  Log(absl::StrCat("connection to the backup at ", remote, " ended: ", std::string(reason)));
}

void Server::OnPeerConnected(const std::string& remote, PeerRole role) {
  Verbose(absl::StrCat(PeerRoleName(role), " connected from ", remote));
}

void Server::OnPeerDisconnected(const std::string& remote, std::string_view reason,
                                bool protocol_error) {
  // A peer breaking the protocol is worth a line even when quiet; a peer leaving is not.
  const std::string line =
      absl::StrCat("connection from ", remote, " ended: ", std::string(reason));
  if (protocol_error) {
    Log(line);
  } else {
    Verbose(line);
  }
}

void Server::Log(std::string_view line) {
  if (!log_) return;
  const double seconds = static_cast<double>(runtime_.Now().count()) / 1e6;
  log_(absl::StrFormat(
      "[%s %.6f] %s",
      service::NodeName(options_.role == service::ServerRole::kPrimary ? service::kPrimaryNode
                                                                       : service::kBackupNode)
          .c_str(),
      seconds, std::string(line)));
}

}  // namespace locksim::net
