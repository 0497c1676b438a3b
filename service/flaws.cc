#include "service/flaws.h"

#include <array>

namespace locksim::service {
namespace {

constexpr std::array<FlawInfo, 7> kFlaws = {{
    {Flaw::kNoDuplicateTable, "no-duplicate-table",
     "The servers keep no at-most-once table, so a re-sent request executes again. When the "
     "primary dies after forwarding a Lock but before replying, the clerk re-sends it to the "
     "backup, which locks a lock that is already held by that very request and answers false: "
     "the client is told it failed to get a lock that the service now holds for nobody."},
    {Flaw::kDuplicateByOperation, "duplicate-by-operation",
     "Duplicates are detected by (client, operation, lock) instead of by request id. Two "
     "separate calls that look alike, such as a client locking \"a\" twice in a row, are taken "
     "for one re-sent request: the second gets the first one's recorded result (true) instead "
     "of executing, though the lock is held and the right answer is false."},
    {Flaw::kReplyBeforeForwardAck, "reply-before-forward-ack",
     "The primary replies to the client as soon as it has executed an operation, before the "
     "backup has acknowledged the forward. If the primary crashes in between, the backup never "
     "learns of an operation the client was told succeeded, and takes over with a stale table: "
     "a later Lock on a lock the client holds succeeds again."},
    {Flaw::kBackupForgetsForwardedResults, "backup-forgets-forwarded-results",
     "The backup applies forwarded operations to its lock table but does not record their "
     "results in its at-most-once table. A client whose reply from the primary was lost (or "
     "whose primary died after forwarding) re-sends to the backup, which executes the request "
     "a second time and answers with the wrong result."},
    {Flaw::kClerkGivesUp, "clerk-gives-up",
     "The clerk reports failure as soon as its call to the primary fails, instead of re-sending "
     "the request to the backup. Every call in flight when the primary dies ends without a "
     "result, although the backup could have answered it: a liveness failure within the "
     "failure model."},
    {Flaw::kForwardOutOfOrder, "forward-out-of-order",
     "The backup applies forwarded operations in the order they arrive instead of the "
     "primary's order, and acknowledges each on its own. When the network reorders two forwards "
     "for the same lock (say Unlock then Lock), the backup ends in a different state from the "
     "primary's, which shows as soon as the primary dies and the backup takes over."},
    {Flaw::kPrimaryIgnoresForwardFailure, "primary-ignores-forward-failure",
     "When a forward to the backup fails (the backup crashed), the primary keeps waiting for an "
     "acknowledgement that will never come instead of carrying on alone. Every client that "
     "calls it from then on waits forever: a liveness failure within the failure model."},
}};

}  // namespace

std::span<const FlawInfo> AllFlaws() { return kFlaws; }

std::optional<Flaw> FlawByName(std::string_view name) {
  for (const FlawInfo& info : kFlaws) {
    if (name == info.name) return info.flaw;
  }
  return std::nullopt;
}

const char* FlawName(Flaw flaw) {
  for (const FlawInfo& info : kFlaws) {
    if (info.flaw == flaw) return info.name;
  }
  return "";
}

}  // namespace locksim::service
