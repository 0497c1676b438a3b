#include "service/flaws.h"

#include <array>

#include "base/assert.h"

namespace locksim::service {
namespace {

constexpr std::array<FlawInfo, 8> kFlaws = {{
    {Flaw::kNoDuplicateTable, "no-duplicate-table",
     "The servers keep no at-most-once table, so a re-sent request executes again. When the "
     "primary's reply is lost or the primary dies after executing a request, the client re-sends "
     "it "
     "to the backup, which runs it a second time and can return a fresh, wrong result (a Lock that "
     "succeeded now reports false)."},
    {Flaw::kDuplicateByOperation, "duplicate-by-operation",
     "The servers recognise duplicates by (client, operation, lock) instead of by request id. Two "
     "genuinely different calls that look alike, such as Lock(a) twice in a row, are then taken "
     "for one: the second gets the first one's recorded result instead of executing."},
    {Flaw::kReplyBeforeForwardAck, "reply-before-forward-ack",
     "The primary answers the client as soon as it has executed a request, before the backup has "
     "acknowledged the forward. If the primary then dies, the backup may take over without the "
     "operation the client already saw succeed, so a lock can be granted twice."},
    {Flaw::kBackupForgetsForwardedResults, "backup-forgets-forwarded-results",
     "The backup applies forwarded operations to its lock table but does not record their results "
     "in its at-most-once table. When the primary dies before its reply reaches the client, the "
     "re-sent request executes again on the backup and returns a different result."},
    {Flaw::kClerkGivesUp, "clerk-gives-up",
     "The clerk reports a call as failed as soon as the primary does not answer, instead of "
     "re-sending it to the backup. The service then stops being available the moment the primary "
     "dies, although the backup holds everything needed to carry on."},
    {Flaw::kForwardOutOfOrder, "forward-out-of-order",
     "The backup applies forwarded operations in the order they arrive instead of the primary's "
     "order. When the network reorders two forwards on the same lock, the backup's lock table "
     "diverges from the primary's, and after a takeover clients see the wrong lock states."},
    {Flaw::kBackupNeverTakesOver, "backup-never-takes-over",
     "The backup answers re-sent requests it already knows but never takes over as primary for new "
     "ones. Once the primary dies no new operation can complete: clients re-send until the run's "
     "budget ends it, and the liveness check reports the calls that never returned."},
    {Flaw::kPrimaryWaitsForDeadBackup, "primary-waits-for-dead-backup",
     "When a forward to the backup fails, the primary keeps waiting for an acknowledgement that "
     "will never come instead of carrying on alone. Once the backup dies every later call hangs: "
     "clients re-send until the run's budget ends it, and the liveness check reports the calls "
     "that never returned."},
}};

}  // namespace

std::span<const FlawInfo> AllFlaws() { return kFlaws; }

std::optional<Flaw> FlawByName(std::string_view name) {
  if (name == "none") return Flaw::kNone;
  for (const FlawInfo& info : kFlaws) {
    if (info.name == name) return info.flaw;
  }
  return std::nullopt;
}

std::string_view FlawName(Flaw flaw) {
  if (flaw == Flaw::kNone) return "none";
  for (const FlawInfo& info : kFlaws) {
    if (info.flaw == flaw) return info.name;
  }
  LOCKSIM_UNREACHABLE("flaw missing from the catalogue");
}

}  // namespace locksim::service
