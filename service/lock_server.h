// A lock server of the primary/backup protocol (docs/protocol.md), written sans-I/O: a state
// machine driven through service::Node that acts only through service::Environment.
//
// Primary: executes client requests in one order, forwards each to the backup with a consecutive
// `order`, and replies only once the backup acknowledged that order. If a forward fails it stops
// forwarding forever and carries on alone.
// Backup: applies forwards strictly in `order` (buffering early ones, ignoring duplicates), keeps
// the same at-most-once table, and takes over as acting primary when a client sends it a request
// it has not seen. After the takeover, late forwards are dropped unanswered: the primary is
// presumed dead, and none of them was acknowledged, so no client has seen their results.
#ifndef LOCKSIM_SERVICE_LOCK_SERVER_H_
#define LOCKSIM_SERVICE_LOCK_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "service/environment.h"
#include "service/flaws.h"
#include "service/messages.h"
#include "service/protocol_events.h"

namespace locksim::service {

enum class ServerRole : uint8_t { kPrimary, kBackup };

struct LockServerStats {
  uint64_t executed = 0;             // client operations executed here
  uint64_t answered_from_table = 0;  // re-sent or duplicated requests answered from the table
  uint64_t stale_ignored = 0;        // requests older than the client's last one: no answer
  uint64_t forwards_sent = 0;
  uint64_t forwards_applied = 0;
  uint64_t forwards_duplicate = 0;  // already applied or already buffered
  uint64_t forwards_dropped = 0;    // after a takeover, or beyond the buffer bound
  uint64_t result_mismatches = 0;   // backup computed a result other than the primary's (flaws)
};

class LockServer final : public Node {
 public:
  using Role = ServerRole;

  // Out-of-order forwards the backup holds at most; later ones are dropped unanswered (the
  // primary then times out and carries on alone). Only reachable outside the failure model.
  static constexpr size_t kMaxBufferedForwards = 4096;

  // `env` must outlive the server.
  LockServer(Environment& env, ServerRole role, Flaw flaw = Flaw::kNone);
  // A copy of `other`'s whole state that acts through `env` from now on: a simulation forks a
  // run this way (runner/simulation.h, ForkableRun). `env` must outlive the server.
  LockServer(const LockServer& other, Environment& env);
  LockServer(const LockServer&) = delete;
  LockServer& operator=(const LockServer&) = delete;

  void OnCall(NodeId from, ReplyToken token, const Message& request) override;
  void OnCallReply(CallId call, const Message& reply) override;
  void OnCallFailed(CallId call, CallFailure failure) override;
  void OnTimer(TimerId timer) override;

  ServerRole role() const { return role_; }
  // The primary always; the backup once it has taken over.
  bool acting_primary() const { return role_ == ServerRole::kPrimary || took_over_; }
  // Primary only: still forwarding to the backup (false once a forward failed).
  bool forwarding() const { return forwarding_; }
  // Backup: the highest order applied with every lower one applied. Primary: highest acked.
  uint64_t applied_order() const {
    return role_ == ServerRole::kBackup ? applied_order_ : acked_order_;
  }
  // Every lock ever locked, by name, with whether it is held now.
  std::vector<std::pair<std::string, bool>> LockTableSorted() const;
  // Only the held locks, by name: compare these for replica agreement.
  std::vector<std::string> HeldLocks() const;
  const LockServerStats& stats() const { return stats_; }
  // How often each protocol event happened here (service/protocol_events.h).
  const ProtocolCoverage& coverage() const { return coverage_; }

 private:
  // The at-most-once table: per client, its last executed request and that result.
  struct Executed {
    uint64_t sequence = 0;
    bool result = false;
    uint64_t order = 0;         // primary: the forward that must be acked before replying; else 0
    OpKind op = OpKind::kLock;  // kDuplicateByOperation only
    std::string lock;           // kDuplicateByOperation only
  };
  struct PendingReply {
    ReplyToken token = 0;
    RequestId id;
    bool result = false;
    uint64_t order = 0;
  };

  void HandleClientRequest(ReplyToken token, const ClientRequest& request);
  void HandleForward(ReplyToken token, const ForwardRequest& forward);
  // Applies one forward in order; records it in the table.
  void ApplyForward(const ForwardRequest& forward);
  // Runs the operation against the lock table; returns its result.
  bool Execute(OpKind op, std::string_view lock);
  // Replies now, or once the backup acked `order`.
  void ReplyWhenAcked(ReplyToken token, RequestId id, bool result, uint64_t order);
  void ReleaseAckedReplies();
  // The table entry that answers `request`, or nullptr when it must execute.
  const Executed* FindDuplicate(const ClientRequest& request) const;
  void Record(const RequestId& id, OpKind op, std::string_view lock, bool result, uint64_t order);

  Environment& env_;
  const ServerRole role_;
  const Flaw flaw_;

  absl::btree_map<std::string, bool, std::less<>> locks_;  // ordered: iterated for checks
  absl::flat_hash_map<ClientId, Executed> executed_;       // lookup only, never iterated

  // Primary.
  bool forwarding_;
  uint64_t next_order_ = 0;
  uint64_t acked_order_ = 0;
  std::vector<PendingReply> pending_replies_;

  // Backup.
  bool took_over_ = false;
  uint64_t applied_order_ = 0;
  std::vector<ForwardRequest> early_forwards_;  // orders > applied_order_ + 1, unsorted
  std::vector<bool> applied_any_order_;         // kForwardOutOfOrder only

  void Count(ProtocolEvent event) { ++coverage_[static_cast<size_t>(event)]; }

  LockServerStats stats_;
  ProtocolCoverage coverage_{};
};

}  // namespace locksim::service

#endif  // LOCKSIM_SERVICE_LOCK_SERVER_H_
