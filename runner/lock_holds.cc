#include "runner/lock_holds.h"

#include <algorithm>
#include <limits>

#include "base/assert.h"
#include "check/greedy_lock_checker.h"
#include "check/lock_history.h"

namespace locksim::runner {

std::vector<LockLinearization> LinearizeLocks(const check::History& history) {
  std::vector<LockLinearization> locks;
  for (const check::LockHistory& lock : check::SplitByLock(history)) {
    LockLinearization& out = locks.emplace_back();
    out.lock = std::string(lock.lock);
    std::vector<uint32_t> positions;
    const check::GreedyOutcome outcome =
        check::RunGreedyLockChecker(lock.ops, check::LockState::kFree, &positions);
    out.linearizable = outcome.linearizable;
    int64_t moment = 0;
    size_t anchor = 0;
    // Index into out.order of the Lock that took the lock, or kFree. (A plain index: GCC 12 warns
    // that an optional one may be used uninitialized.)
    constexpr size_t kFree = std::numeric_limits<size_t>::max();
    size_t held_since = kFree;
    for (uint32_t position : positions) {
      const check::LockOpRecord& record = lock.ops[position];
      // The anchor is the latest invoke so far; on a tie, the later-invoked operation (histories
      // of runs are indexed in invoke order), so that a picture never puts the moment before
      // this operation's own invoke.
      if (out.order.empty() || record.invoke > moment ||
          (record.invoke == moment && record.index > anchor)) {
        moment = record.invoke;
        anchor = record.index;
      }
      out.order.push_back(LinearizedOp{record.index, moment, anchor});
      const check::HistoryOperation& op = history.operations[record.index];
      if (op.op == check::LockOp::kLock && held_since == kFree) {
        held_since = out.order.size() - 1;
      } else if (op.op == check::LockOp::kUnlock && held_since != kFree) {
        out.holds.push_back(LockHold{history.operations[out.order[held_since].op].client,
                                     held_since, out.order.size() - 1});
        held_since = kFree;
      }
    }
    if (held_since != kFree) {
      out.holds.push_back(
          LockHold{history.operations[out.order[held_since].op].client, held_since, {}});
    }
    if (!outcome.linearizable) {
      out.stuck_at = outcome.stuck_bound == check::kNeverReturned
                         ? moment
                         : std::max(moment, outcome.stuck_bound);
    }
    LOCKSIM_ASSERT(out.order.size() <= lock.ops.size());
  }
  return locks;
}

}  // namespace locksim::runner
