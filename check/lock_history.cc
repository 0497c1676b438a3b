#include "check/lock_history.h"

#include <algorithm>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "base/assert.h"

namespace locksim::check {

OpClass ClassOf(const HistoryOperation& operation) {
  const bool is_lock = operation.op == LockOp::kLock;
  if (!operation.ret.has_value()) {
    return is_lock ? OpClass::kPendingLock : OpClass::kPendingUnlock;
  }
  LOCKSIM_ASSERT(operation.result.has_value());
  if (is_lock) return *operation.result ? OpClass::kLockTrue : OpClass::kLockFalse;
  return *operation.result ? OpClass::kUnlockTrue : OpClass::kUnlockFalse;
}

bool IsPending(OpClass op_class) {
  return op_class == OpClass::kPendingLock || op_class == OpClass::kPendingUnlock;
}

std::vector<LockHistory> SplitByLock(const History& history) {
  const std::vector<HistoryOperation>& operations = history.operations;
  LOCKSIM_ASSERT(operations.size() < std::numeric_limits<uint32_t>::max());

  // Intern the names (the hash map is for lookup only; the order comes from sorting the names).
  absl::flat_hash_map<std::string_view, uint32_t> id_of_name;
  std::vector<std::string_view> names;
  std::vector<uint32_t> lock_id(operations.size());
  std::string_view last_name;
  uint32_t last_id = 0;
  for (size_t i = 0; i < operations.size(); ++i) {
    const std::string_view name = operations[i].lock;
    if (i == 0 || name != last_name) {  // runs of one lock are common; skip the hash then
      auto [it, inserted] = id_of_name.try_emplace(name, static_cast<uint32_t>(names.size()));
      if (inserted) names.push_back(name);
      last_name = name;
      last_id = it->second;
    }
    lock_id[i] = last_id;
  }
  std::vector<uint32_t> by_name(names.size());
  std::iota(by_name.begin(), by_name.end(), 0u);
  std::sort(by_name.begin(), by_name.end(),
            [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
  std::vector<uint32_t> rank(names.size());
  for (uint32_t r = 0; r < by_name.size(); ++r) rank[by_name[r]] = r;

  // Counting scatter: stable, so each lock keeps the history's order.
  std::vector<size_t> count(names.size(), 0);
  for (uint32_t id : lock_id) ++count[rank[id]];
  std::vector<LockHistory> locks(names.size());
  for (uint32_t r = 0; r < locks.size(); ++r) {
    locks[r].lock = names[by_name[r]];
    locks[r].ops.reserve(count[r]);
  }
  for (size_t i = 0; i < operations.size(); ++i) {
    const HistoryOperation& operation = operations[i];
    LockOpRecord record;
    record.invoke = operation.invoke;
    record.ret = operation.ret.value_or(kNeverReturned);
    record.index = static_cast<uint32_t>(i);
    record.op_class = ClassOf(operation);
    locks[rank[lock_id[i]]].ops.push_back(record);
  }
  // Histories are usually recorded in invoke order; sort only when they are not.
  const auto by_invoke = [](const LockOpRecord& a, const LockOpRecord& b) {
    return a.invoke != b.invoke ? a.invoke < b.invoke : a.index < b.index;
  };
  for (LockHistory& lock : locks) {
    if (!std::is_sorted(lock.ops.begin(), lock.ops.end(), by_invoke)) {
      std::sort(lock.ops.begin(), lock.ops.end(), by_invoke);
    }
  }
  return locks;
}

}  // namespace locksim::check
