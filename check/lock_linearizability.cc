#include "check/lock_linearizability.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "base/assert.h"
#include "check/explain.h"
#include "check/greedy_lock_checker.h"
#include "check/lock_history.h"
#include "check/unorderable_set.h"

namespace locksim::check {

bool IsLockHistoryLinearizable(const History& history) {
  for (const LockHistory& lock : SplitByLock(history)) {
    if (!RunGreedyLockChecker(lock.ops, LockState::kFree).linearizable) return false;
  }
  return true;
}

LockCheckResult CheckLockLinearizability(const History& history) {
  LockCheckResult result;
  result.operations = history.operations.size();
  const std::vector<LockHistory> locks = SplitByLock(history);
  result.locks = locks.size();
  for (const LockHistory& lock : locks) {
    if (RunGreedyLockChecker(lock.ops, LockState::kFree).linearizable) continue;
    result.failing_locks.emplace_back(lock.lock);
    if (!result.linearizable) continue;  // only the first failing lock is explained
    result.linearizable = false;
    result.lock = std::string(lock.lock);
    const UnorderableSet set = FindUnorderableSet(lock.ops);
    for (uint32_t position : set.positions) {
      const LockOpRecord& record = lock.ops[position];
      result.unorderable.push_back({record.index, history.operations[record.index]});
    }
    result.why = WhyUnorderable(lock.ops, set, history);
    result.whatever_came_before = set.whatever_came_before;
    result.minimal = set.minimal;
  }
  return result;
}

std::string DescribeOperation(const HistoryOperation& operation) {
  const char* kind = operation.op == LockOp::kLock ? "Lock" : "Unlock";
  if (!operation.ret.has_value()) {
    return absl::StrCat("client ", operation.client, "'s ", kind, " [", operation.invoke,
                        ", pending]");
  }
  LOCKSIM_ASSERT(operation.result.has_value());
  return absl::StrCat("client ", operation.client, "'s ", kind, " [", operation.invoke, ", ",
                      *operation.ret, "] -> ", *operation.result ? "true" : "false");
}

std::string FormatExplanation(const LockCheckResult& result) {
  if (result.linearizable) {
    return absl::StrCat("linearizable: ", result.operations, " operations on ", result.locks,
                        " locks\n");
  }
  std::string text = absl::StrCat("NOT linearizable: lock \"", result.lock, "\"");
  if (result.failing_locks.size() > 1) {
    absl::StrAppend(&text, " (and ", result.failing_locks.size() - 1, " more locks)");
  }
  absl::StrAppend(&text, "\n  ", result.why, "\n  ", result.unorderable.size(),
                  result.unorderable.size() == 1 ? " operation" : " operations",
                  result.minimal ? " that cannot be ordered"
                                 : " that cannot be ordered (not "
                                   "fully shrunk: budget ran out)",
                  result.whatever_came_before ? ", whatever state the lock was in before them"
                                              : ", given that the lock starts free",
                  ", even if every other operation took effect at any time after its invoke or "
                  "not at all",
                  " (times: invoke..return):\n");
  for (const UnorderableOperation& entry : result.unorderable) {
    const HistoryOperation& op = entry.operation;
    absl::StrAppend(&text, "    #", entry.index, "  client ", op.client, "  ",
                    op.op == LockOp::kLock ? "lock  " : "unlock", "  ", op.invoke, "..",
                    op.ret.has_value() ? absl::StrCat(*op.ret) : std::string("pending"), "  ->  ",
                    op.result.has_value() ? (*op.result ? "true" : "false") : "unknown", "\n");
  }
  return text;
}

}  // namespace locksim::check
