#include "check/lock_history.h"

#include <algorithm>
#include <numeric>

#include "absl/container/flat_hash_map.h"
#include "base/assert.h"

namespace locksim::check {

LockOpRecord RecordOf(const HistoryOperation& operation, uint32_t index) {
  return LockOpRecord{.invoke = operation.invoke,
                      .ret = operation.ret.value_or(kNeverReturned),
                      .index = index,
                      .op_class = ClassOf(operation)};
}

namespace {

// By (invoke, index). Histories are usually recorded in invoke order; sort only when not.
void SortByInvoke(std::vector<LockOpRecord>& ops) {
  const auto by_invoke = [](const LockOpRecord& a, const LockOpRecord& b) {
    return a.invoke != b.invoke ? a.invoke < b.invoke : a.index < b.index;
  };
  if (!std::is_sorted(ops.begin(), ops.end(), by_invoke)) {
    std::sort(ops.begin(), ops.end(), by_invoke);
  }
}

}  // namespace

std::vector<LockHistory> SplitByLock(const History& history) {
  const std::vector<HistoryOperation>& operations = history.operations;
  LOCKSIM_ASSERT(operations.size() < std::numeric_limits<uint32_t>::max());

  // Intern the names (the hash map is for lookup only; the order of locks comes from sorting the
  // names), counting each lock's operations in the same pass, so that the scatter below writes
  // into vectors of the right size (growing them costs more than this pass).
  absl::flat_hash_map<std::string_view, uint32_t> id_of_name;
  std::vector<std::string_view> names;
  std::vector<size_t> count;
  std::vector<uint32_t> lock_id(operations.size());
  std::string_view last_name;
  uint32_t last_id = 0;
  for (size_t i = 0; i < operations.size(); ++i) {
    const std::string_view name = operations[i].lock;
    if (i == 0 || name != last_name) {  // runs of one lock are common; skip the hash then
      auto [it, inserted] = id_of_name.try_emplace(name, static_cast<uint32_t>(names.size()));
      if (inserted) {
        names.push_back(name);
        count.push_back(0);
      }
      last_name = name;
      last_id = it->second;
    }
    lock_id[i] = last_id;
    ++count[last_id];
  }

  // Scatter by id (stable, so each lock keeps the history's order), then order locks by name.
  std::vector<LockHistory> by_id(names.size());
  for (uint32_t id = 0; id < by_id.size(); ++id) {
    by_id[id].lock = names[id];
    by_id[id].ops.resize(count[id]);
    count[id] = 0;
  }
  for (size_t i = 0; i < operations.size(); ++i) {
    const uint32_t id = lock_id[i];
    by_id[id].ops[count[id]++] = RecordOf(operations[i], static_cast<uint32_t>(i));
  }
  std::vector<uint32_t> by_name(names.size());
  std::iota(by_name.begin(), by_name.end(), 0u);
  std::sort(by_name.begin(), by_name.end(),
            [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
  std::vector<LockHistory> locks(names.size());
  for (uint32_t r = 0; r < locks.size(); ++r) locks[r] = std::move(by_id[by_name[r]]);
  for (LockHistory& lock : locks) SortByInvoke(lock.ops);
  return locks;
}

LockHistory HistoryOfLock(const History& history, std::string_view lock) {
  LOCKSIM_ASSERT(history.operations.size() < std::numeric_limits<uint32_t>::max());
  LockHistory result;
  result.lock = lock;
  for (size_t i = 0; i < history.operations.size(); ++i) {
    const HistoryOperation& operation = history.operations[i];
    if (operation.lock != lock) continue;
    result.ops.push_back(RecordOf(operation, static_cast<uint32_t>(i)));
  }
  SortByInvoke(result.ops);
  return result;
}

}  // namespace locksim::check
