// The history of one lock, in the compact form the checkers work on. Locks are independent
// (P-compositionality), so a history is linearizable iff the sub-history of every lock is.
//
// On one lock the state after an operation is fixed by its kind (after Lock: held, after Unlock:
// free), so each completed operation falls in one of four classes; a pending operation (result
// unknown, may or may not have taken effect) keeps only its kind.
#ifndef LOCKSIM_CHECK_LOCK_HISTORY_H_
#define LOCKSIM_CHECK_LOCK_HISTORY_H_

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "base/assert.h"
#include "check/history.h"

namespace locksim::check {

enum class OpClass : uint8_t {
  kLockTrue,      // free -> held
  kLockFalse,     // needs held, stays held
  kUnlockTrue,    // held -> free
  kUnlockFalse,   // needs free, stays free
  kPendingLock,   // may move free -> held, or be left out
  kPendingUnlock  // may move held -> free, or be left out
};

enum class LockState : uint8_t { kFree, kHeld };

// The return time of a pending operation: later than everything, so nothing must follow it.
inline constexpr int64_t kNeverReturned = std::numeric_limits<int64_t>::max();

struct LockOpRecord {
  int64_t invoke = 0;
  int64_t ret = kNeverReturned;
  uint32_t index = 0;  // into History::operations
  OpClass op_class = OpClass::kLockTrue;
};

struct LockHistory {
  std::string_view lock;  // points into the History it was split from
  // Sorted by (invoke, index).
  std::vector<LockOpRecord> ops;
};

inline OpClass ClassOf(const HistoryOperation& operation) {
  const bool is_lock = operation.op == LockOp::kLock;
  if (!operation.ret.has_value()) return is_lock ? OpClass::kPendingLock : OpClass::kPendingUnlock;
  LOCKSIM_ASSERT(operation.result.has_value());
  if (is_lock) return *operation.result ? OpClass::kLockTrue : OpClass::kLockFalse;
  return *operation.result ? OpClass::kUnlockTrue : OpClass::kUnlockFalse;
}
// `operation`, which is History::operations[index], as a record.
LockOpRecord RecordOf(const HistoryOperation& operation, uint32_t index);
inline bool IsPending(OpClass op_class) {
  return op_class == OpClass::kPendingLock || op_class == OpClass::kPendingUnlock;
}

// Splits `history` by lock name. Locks come out sorted by name; the result points into `history`,
// which must outlive it.
std::vector<LockHistory> SplitByLock(const History& history);

// The history of one lock only (no operations when none names it). Its name is `lock`.
LockHistory HistoryOfLock(const History& history, std::string_view lock);

// Real-time order is strict: equal timestamps are concurrent.
inline bool MustPrecede(const LockOpRecord& a, const LockOpRecord& b) { return a.ret < b.invoke; }

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_LOCK_HISTORY_H_
