#include "check/lock_linearizability.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/assert.h"
#include "base/printable.h"
#include "check/explain.h"
#include "check/greedy_lock_checker.h"
#include "check/lock_history.h"
#include "check/lock_name_ids.h"
#include "check/unorderable_set.h"

namespace locksim::check {

namespace {

// The greedy procedure over every lock at once, in one pass over the history in invoke order:
// one automaton per lock, fed as its operations come, so the history is never split or copied
// (docs/checker.md, "One pass").
class AllLocksChecker {
 public:
  explicit AllLocksChecker(const History& history) : history_(history) {
    LOCKSIM_ASSERT(history.operations.size() < std::numeric_limits<uint32_t>::max());
  }

  // Returns the names of the locks that are not linearizable, sorted; with `stop_at_first`, at
  // most one (whichever fails first in the pass).
  std::vector<std::string_view> FailingLocks(bool stop_at_first) {
    // Recorded histories are in invoke order. When one is not, the pass notices and starts again
    // in invoke order (stable, so a lock's operations keep their order among equal invokes).
    if (!Pass(std::nullopt, stop_at_first)) {
      const std::vector<HistoryOperation>& operations = history_.operations;
      std::vector<uint32_t> by_invoke(operations.size());
      std::iota(by_invoke.begin(), by_invoke.end(), 0u);
      std::stable_sort(by_invoke.begin(), by_invoke.end(), [&](uint32_t a, uint32_t b) {
        return operations[a].invoke < operations[b].invoke;
      });
      const bool in_order = Pass(by_invoke, stop_at_first);
      LOCKSIM_ASSERT(in_order);
    }
    for (uint32_t id = 0; id < locks_.size() && !(stop_at_first && !failing_.empty()); ++id) {
      if (locks_[id].ok() && !locks_[id].Finish()) failing_.push_back(names_.name(id));
    }
    std::sort(failing_.begin(), failing_.end());
    return failing_;
  }

  size_t lock_count() const { return names_.size(); }

 private:
  // One pass over the operations in history order (`order` absent) or in `order`. Returns false,
  // having reset everything, when the history turns out not to be in invoke order.
  bool Pass(std::optional<std::span<const uint32_t>> order, bool stop_at_first) {
    const std::vector<HistoryOperation>& operations = history_.operations;
    int64_t previous_invoke = std::numeric_limits<int64_t>::min();
    for (size_t k = 0; k < operations.size(); ++k) {
      const uint32_t i = order.has_value() ? (*order)[k] : static_cast<uint32_t>(k);
      const HistoryOperation& operation = operations[i];
      if (operation.invoke < previous_invoke) return Reset();
      previous_invoke = operation.invoke;
      const uint32_t id = names_.IdOf(operation.lock);
      if (id == locks_.size()) locks_.emplace_back();
      GreedyLockAutomaton& lock = locks_[id];
      if (!lock.ok()) continue;
      if (lock.Admit(operation.invoke, operation.ret.value_or(kNeverReturned), ClassOf(operation),
                     i)) {
        continue;
      }
      failing_.push_back(names_.name(id));
      if (stop_at_first) {
        // The failure counts only if the operations were fed in invoke order throughout.
        if (order.has_value() || RestIsInInvokeOrder(k + 1, previous_invoke)) return true;
        return Reset();
      }
    }
    return true;
  }

  // Out of line: a cold path, kept out of the pass's hot loop.
  [[gnu::noinline]] bool RestIsInInvokeOrder(size_t from, int64_t previous_invoke) const {
    const std::vector<HistoryOperation>& operations = history_.operations;
    for (size_t k = from; k < operations.size(); ++k) {
      if (operations[k].invoke < previous_invoke) return false;
      previous_invoke = operations[k].invoke;
    }
    return true;
  }

  bool Reset() {
    names_ = LockNameIds();
    locks_.clear();
    failing_.clear();
    return false;
  }

  const History& history_;
  LockNameIds names_;
  std::vector<GreedyLockAutomaton> locks_;  // by id; a failed one is skipped
  std::vector<std::string_view> failing_;
};

}  // namespace

bool IsLockHistoryLinearizable(const History& history) {
  return AllLocksChecker(history).FailingLocks(/*stop_at_first=*/true).empty();
}

LockCheckResult CheckLockLinearizability(const History& history) {
  LockCheckResult result;
  result.operations = history.operations.size();
  AllLocksChecker checker(history);
  const std::vector<std::string_view> failing = checker.FailingLocks(/*stop_at_first=*/false);
  result.locks = checker.lock_count();
  if (failing.empty()) return result;
  result.linearizable = false;
  result.failing_locks.assign(failing.begin(), failing.end());
  // Only the first failing lock is explained.
  const LockHistory lock = HistoryOfLock(history, failing.front());
  result.lock = std::string(lock.lock);
  const UnorderableSet set = FindUnorderableSet(lock.ops);
  for (uint32_t position : set.positions) {
    const LockOpRecord& record = lock.ops[position];
    result.unorderable.push_back({record.index, history.operations[record.index]});
  }
  SetExplanation explanation = ExplainUnorderable(lock.ops, set, history);
  result.why = std::move(explanation.why);
  for (KeyOperation& key : explanation.key_operations) {
    result.key_operations.push_back(
        {key.index, history.operations[key.index], std::move(key.role)});
  }
  result.whatever_came_before = set.whatever_came_before;
  result.minimal = set.minimal;
  return result;
}

namespace {

// "    #12  client 3  lock    0..5  ->  true"
std::string OperationLine(size_t index, const HistoryOperation& op) {
  return absl::StrCat("    #", index, "  client ", op.client, "  ",
                      op.op == LockOp::kLock ? "lock  " : "unlock", "  ", op.invoke, "..",
                      op.ret.has_value() ? absl::StrCat(*op.ret) : std::string("pending"), "  ->  ",
                      op.result.has_value() ? (*op.result ? "true" : "false") : "unknown");
}

}  // namespace

std::string FormatExplanation(const LockCheckResult& result, ExplanationDetail detail) {
  if (result.linearizable) {
    return absl::StrCat("linearizable: ", result.operations, " operations on ", result.locks,
                        " locks");
  }
  std::string text = absl::StrCat("NOT linearizable: lock ", QuotedPrintable(result.lock));
  if (result.failing_locks.size() > 1) {
    absl::StrAppend(&text, " (and ", result.failing_locks.size() - 1, " more locks)");
  }
  const size_t count = result.unorderable.size();
  const bool in_full = detail == ExplanationDetail::kFull || count <= kUnorderableListedInFull;
  absl::StrAppend(
      &text, "\n  ", result.why, "\n  ", count, count == 1 ? " operation" : " operations",
      result.minimal ? " that cannot be ordered"
                     : " that cannot be ordered (not fully shrunk: budget ran out)",
      result.whatever_came_before ? ", whatever state the lock was in before them"
                                  : ", given that the lock starts free",
      ", even if every other operation took effect at any time after its invoke or "
      "not at all",
      in_full ? "" : absl::StrCat("; the ", result.key_operations.size(), " that matter most"),
      " (times: invoke..return):");
  if (in_full) {
    for (const UnorderableOperation& entry : result.unorderable) {
      absl::StrAppend(&text, "\n", OperationLine(entry.index, entry.operation));
    }
    return text;
  }
  for (const KeyUnorderableOperation& key : result.key_operations) {
    absl::StrAppend(&text, "\n", OperationLine(key.index, key.operation), "    (", key.role, ")");
  }
  absl::StrAppend(&text, "\n    ... and ", count - result.key_operations.size(),
                  " more operations of the certificate");
  return text;
}

}  // namespace locksim::check
