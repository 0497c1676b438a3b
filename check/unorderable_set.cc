#include "check/unorderable_set.h"

#include <algorithm>

#include "base/assert.h"
#include "check/greedy_lock_checker.h"

namespace locksim::check {
namespace {

bool IsMove(OpClass op_class) {
  return op_class == OpClass::kLockTrue || op_class == OpClass::kUnlockTrue ||
         op_class == OpClass::kPendingLock || op_class == OpClass::kPendingUnlock;
}

// Re-checks subsets of one lock's operations, counting the work against a budget.
class SubsetChecker {
 public:
  SubsetChecker(std::span<const LockOpRecord> ops, uint64_t budget) : ops_(ops), budget_(budget) {}

  bool out_of_budget() const { return spent_ >= budget_; }

  // Unorderable from free and, when `whatever_came_before`, from held too.
  bool Unorderable(const std::vector<uint32_t>& positions, bool whatever_came_before) {
    spent_ += positions.size() + 1;
    scratch_.clear();
    for (uint32_t p : positions) scratch_.push_back(ops_[p]);
    if (Orderable(scratch_, LockState::kFree)) return false;
    return !whatever_came_before || !Orderable(scratch_, LockState::kHeld);
  }

 private:
  std::span<const LockOpRecord> ops_;
  uint64_t budget_;
  uint64_t spent_ = 0;
  std::vector<LockOpRecord> scratch_;
};

// Removes chunks (halving their size) and then single operations while the set stays
// unorderable. The property is not monotone (dropping a Lock can make a later Unlock fail), so
// the single-operation pass repeats until nothing more can go.
bool Shrink(SubsetChecker& checker, bool whatever_came_before, std::vector<uint32_t>& set) {
  std::vector<uint32_t> candidate;
  for (size_t chunk = std::max<size_t>(set.size() / 2, 1);;
       chunk = std::max<size_t>(chunk / 2, 1)) {
    bool changed = false;
    for (size_t start = 0; start < set.size();) {
      if (checker.out_of_budget()) return false;
      candidate.assign(set.begin(), set.begin() + static_cast<ptrdiff_t>(start));
      const size_t end = std::min(set.size(), start + chunk);
      candidate.insert(candidate.end(), set.begin() + static_cast<ptrdiff_t>(end), set.end());
      if (!candidate.empty() && checker.Unorderable(candidate, whatever_came_before)) {
        set.swap(candidate);
        changed = true;
      } else {
        start += chunk;
      }
    }
    if (chunk == 1 && !changed) return true;
  }
}

}  // namespace

bool Orderable(std::span<const LockOpRecord> ops, LockState initial) {
  return RunGreedyLockChecker(ops, initial).linearizable;
}

UnorderableSet FindUnorderableSet(std::span<const LockOpRecord> ops, uint64_t work_budget) {
  std::vector<uint32_t> order;
  const GreedyOutcome outcome = RunGreedyLockChecker(ops, LockState::kFree, &order);
  LOCKSIM_ASSERT(!outcome.linearizable);

  // Operations invoked after the stuck bound were never considered: the run on the rest is the
  // same run, so it fails the same way.
  const size_t considered = static_cast<size_t>(
      std::upper_bound(ops.begin(), ops.end(), outcome.stuck_bound,
                       [](int64_t bound, const LockOpRecord& op) { return bound < op.invoke; }) -
      ops.begin());

  // Cut points: how many placed operations to drop. Dropping the first k placed operations
  // leaves a history whose greedy run replays the rest of the failed run from the state after
  // them, so it fails from that state.
  struct Cut {
    size_t placed;
    LockState state;
  };
  std::vector<Cut> cuts = {{0, LockState::kFree}};
  LockState state = LockState::kFree;
  for (size_t k = 0; k < order.size(); ++k) {
    if (IsMove(ops[order[k]].op_class)) {
      state = state == LockState::kFree ? LockState::kHeld : LockState::kFree;
      cuts.push_back({k + 1, state});
    }
  }
  if (cuts.back().placed != order.size()) cuts.push_back({order.size(), state});

  std::vector<bool> dropped(considered, false);
  const auto window = [&](size_t placed) {
    std::fill(dropped.begin(), dropped.end(), false);
    for (size_t k = 0; k < placed; ++k) dropped[order[k]] = true;
    std::vector<uint32_t> positions;
    for (uint32_t p = 0; p < considered; ++p) {
      if (!dropped[p]) positions.push_back(p);
    }
    return positions;
  };

  SubsetChecker checker(ops, work_budget);
  UnorderableSet result;
  // Prefer a set that cannot be ordered whatever came before it: it reads as a contradiction
  // among its own operations. Look back from the stuck point over 1, 2, 4, ... state changes.
  for (size_t back = 1;; back *= 2) {
    const size_t i = cuts.size() >= back ? cuts.size() - back : 0;
    std::vector<uint32_t> positions = window(cuts[i].placed);
    if (!positions.empty() && checker.Unorderable(positions, /*whatever_came_before=*/true)) {
      result.whatever_came_before = true;
      result.positions = std::move(positions);
      break;
    }
    if (i == 0 || checker.out_of_budget()) break;
  }
  if (!result.whatever_came_before) {
    // Otherwise: from the last point where the lock was free, it fails from free.
    size_t i = cuts.size() - 1;
    while (cuts[i].state != LockState::kFree) --i;
    result.positions = window(cuts[i].placed);
  }
  LOCKSIM_ASSERT(!result.positions.empty());
  result.minimal = Shrink(checker, result.whatever_came_before, result.positions);
  return result;
}

}  // namespace locksim::check
