#include "check/greedy_lock_checker.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "base/assert.h"

namespace locksim::check {
namespace {

// A binary min-heap of (return time, position). Small and allocation-free after warm-up; the
// standard priority_queue would do, but this keeps the top's return cached for the bound.
class ReturnHeap {
 public:
  bool empty() const { return items_.empty(); }
  int64_t TopReturn() const { return items_.empty() ? kNeverReturned : items_.front().first; }
  uint32_t TopPosition() const { return items_.front().second; }
  void Push(int64_t ret, uint32_t position) {
    items_.emplace_back(ret, position);
    std::push_heap(items_.begin(), items_.end(), std::greater<>());
  }
  void Pop() {
    std::pop_heap(items_.begin(), items_.end(), std::greater<>());
    items_.pop_back();
  }
  std::vector<std::pair<int64_t, uint32_t>>& items() { return items_; }

 private:
  std::vector<std::pair<int64_t, uint32_t>> items_;
};

}  // namespace

GreedyOutcome RunGreedyLockChecker(std::span<const LockOpRecord> ops, LockState initial,
                                   std::vector<uint32_t>* order) {
  // Admitted (invoke <= bound) completed operations not yet placed, by class. The bound, the
  // earliest return among all unplaced completed operations, is the least of their tops: an
  // operation not yet admitted was invoked after the bound, so it returns after it too.
  ReturnHeap lock_true, lock_false, unlock_true, unlock_false;
  // Admitted pending operations are interchangeable (they never constrain anything after them),
  // so a stack of positions per kind is enough.
  std::vector<uint32_t> pending_lock, pending_unlock;
  size_t completed_left = 0;
  for (const LockOpRecord& op : ops) completed_left += IsPending(op.op_class) ? 0 : 1;
  if (order != nullptr) order->clear();

  const auto bound = [&] {
    return std::min(std::min(lock_true.TopReturn(), lock_false.TopReturn()),
                    std::min(unlock_true.TopReturn(), unlock_false.TopReturn()));
  };
  const auto place = [&](uint32_t position) {
    if (order != nullptr) order->push_back(position);
  };

  LockState state = initial;
  size_t next = 0;
  // Every iteration places at least one operation or ends the loop.
  for (size_t iteration = 0; iteration <= ops.size(); ++iteration) {
    int64_t current_bound = bound();
    while (next < ops.size() && ops[next].invoke <= current_bound) {
      const LockOpRecord& op = ops[next];
      LOCKSIM_ASSERT(next == 0 || ops[next - 1].invoke <= op.invoke);
      const uint32_t position = static_cast<uint32_t>(next);
      switch (op.op_class) {
        case OpClass::kLockTrue:
          lock_true.Push(op.ret, position);
          break;
        case OpClass::kLockFalse:
          lock_false.Push(op.ret, position);
          break;
        case OpClass::kUnlockTrue:
          unlock_true.Push(op.ret, position);
          break;
        case OpClass::kUnlockFalse:
          unlock_false.Push(op.ret, position);
          break;
        case OpClass::kPendingLock:
          pending_lock.push_back(position);
          break;
        case OpClass::kPendingUnlock:
          pending_unlock.push_back(position);
          break;
      }
      current_bound = std::min(current_bound, op.ret);
      ++next;
    }
    if (completed_left == 0) return GreedyOutcome{.linearizable = true};

    const bool free = state == LockState::kFree;
    ReturnHeap& stays = free ? unlock_false : lock_false;
    if (!stays.empty()) {
      // Stays never change the state, so all of them go now, in any order.
      for (const auto& [ret, position] : stays.items()) place(position);
      completed_left -= stays.items().size();
      stays.items().clear();
      continue;
    }
    ReturnHeap& moves = free ? lock_true : unlock_true;
    if (!moves.empty()) {
      place(moves.TopPosition());
      moves.Pop();
      --completed_left;
      state = free ? LockState::kHeld : LockState::kFree;
      continue;
    }
    std::vector<uint32_t>& pending = free ? pending_lock : pending_unlock;
    if (!pending.empty()) {
      place(pending.back());
      pending.pop_back();
      state = free ? LockState::kHeld : LockState::kFree;
      continue;
    }
    return GreedyOutcome{.linearizable = false, .stuck_state = state, .stuck_bound = bound()};
  }
  LOCKSIM_ASSERT(false && "greedy checker loop bound exceeded");
  return {};
}

}  // namespace locksim::check
