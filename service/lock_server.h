// A lock server of the primary/backup lock service, as a sans-I/O state machine.
//
// Primary: executes client requests in one order, forwards each to the backup with a
// consecutive order number, and replies only once the backup has acknowledged applying it. If a
// forward fails, the backup is gone (fail-stop): the primary stops forwarding and carries on
// alone. Backup: applies forwards strictly in the primary's order, whatever order the network
// delivers them in; answers a re-sent request from its at-most-once table; and takes over as the
// acting primary when a client sends it a request it has never seen (within the failure model
// that means the primary is down). See docs/protocol.md for why this is correct, and where it
// breaks outside the failure model.
#ifndef LOCKSIM_SERVICE_LOCK_SERVER_H_
#define LOCKSIM_SERVICE_LOCK_SERVER_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "service/environment.h"
#include "service/flaws.h"
#include "service/messages.h"

namespace locksim::service {

class LockServer : public Node {
 public:
  enum class Role : uint8_t { kPrimary, kBackup };

  LockServer(Environment& env, Role role, Flaw flaw = Flaw::kNone);

  void OnCall(NodeId from, ReplyToken token, const Message& request) override;
  void OnCallReply(CallId call, const Message& reply) override;
  void OnCallFailed(CallId call, CallFailure failure) override;
  void OnTimer(TimerId timer) override;

  // The lock table, sorted by name (for replica agreement and reports). Locks never used are
  // absent; a lock that was used and released is present as free.
  std::vector<std::pair<std::string, bool>> LockTableSorted() const;
  Role role() const { return role_; }
  // A backup that has served a client request it had not seen from the primary.
  bool acting_primary() const { return acting_primary_; }
  // The primary: whether it still forwards to the backup.
  bool forwarding() const { return forwarding_; }
  uint64_t operations_executed() const { return operations_executed_; }

 private:
  // The at-most-once table's entry for one client: its latest request and that request's
  // result. `order` is the primary's order number of that execution (0 if never forwarded).
  struct Executed {
    uint64_t sequence = 0;
    bool result = false;
    uint64_t order = 0;
  };
  // A client waiting for its reply until the backup has acknowledged `order`.
  struct PendingReply {
    ReplyToken token = 0;
    RequestId id;
    bool result = false;
  };

  void HandleClientRequest(ReplyToken token, const ClientRequest& request);
  void HandleForward(ReplyToken token, const ForwardRequest& forward);
  // Applies one operation to the lock table and returns its result (contract section 1).
  bool Apply(OpKind op, const std::string& lock);
  // Records a result in the at-most-once table (honouring the duplicate-table flaws).
  void Remember(const ClientRequest& request, bool result, uint64_t order);
  // The recorded result for this request, if it executed before.
  const Executed* Recall(const ClientRequest& request) const;
  bool IsStale(const ClientRequest& request) const;
  void ReplyWhenAcknowledged(uint64_t order, ReplyToken token, const ClientRequest& request,
                             bool result);
  void ReleaseAcknowledged();
  void StopForwarding();
  void ApplyBufferedForwards();

  Environment& env_;
  const Role role_;
  const Flaw flaw_;

  // Lookup only (never iterated, except through LockTableSorted, which sorts).
  absl::flat_hash_map<std::string, bool> locks_;
  absl::flat_hash_map<ClientId, Executed> executed_;
  // Flaw kDuplicateByOperation: the table keyed the wrong way.
  absl::flat_hash_map<std::string, Executed> executed_by_operation_;
  uint64_t operations_executed_ = 0;

  // Primary.
  bool forwarding_ = false;
  uint64_t next_order_ = 1;
  uint64_t acknowledged_through_ = 0;
  std::multimap<uint64_t, PendingReply> pending_replies_;  // by order: released in order
  absl::flat_hash_map<CallId, uint64_t> forward_calls_;

  // Backup.
  bool acting_primary_ = false;
  uint64_t applied_through_ = 0;
  // Forwards that arrived ahead of a gap, with the tokens to acknowledge once applied.
  std::map<uint64_t, std::pair<ForwardRequest, ReplyToken>> early_forwards_;
  absl::flat_hash_set<uint64_t> applied_orders_;  // flaw kForwardOutOfOrder only
};

}  // namespace locksim::service

#endif  // LOCKSIM_SERVICE_LOCK_SERVER_H_
