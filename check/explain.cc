#include "check/explain.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "check/greedy_lock_checker.h"
#include "check/lock_linearizability.h"

namespace locksim::check {
namespace {

std::string Describe(const LockOpRecord& op, const History& history) {
  return DescribeOperation(history.operations[op.index]);
}

// Two-operation sets have a direct reading; `first` is the earlier one by invoke.
std::string WhyPair(const LockOpRecord& a, const LockOpRecord& b, const History& history) {
  const auto is = [&](OpClass x, OpClass y) { return a.op_class == x && b.op_class == y; };
  const auto either = [&](OpClass x, OpClass y) { return is(x, y) || is(y, x); };
  const LockOpRecord& first = a;
  const LockOpRecord& second = b;
  if (is(OpClass::kLockTrue, OpClass::kLockTrue)) {
    return absl::StrCat(Describe(first, history), " and ", Describe(second, history),
                        " both returned true, but no Unlock that returned true can go between "
                        "them.");
  }
  if (is(OpClass::kUnlockTrue, OpClass::kUnlockTrue)) {
    return absl::StrCat(Describe(first, history), " and ", Describe(second, history),
                        " both returned true, but no Lock that returned true can go between "
                        "them.");
  }
  if (either(OpClass::kLockTrue, OpClass::kUnlockFalse)) {
    const LockOpRecord& lock = a.op_class == OpClass::kLockTrue ? a : b;
    const LockOpRecord& unlock = a.op_class == OpClass::kLockTrue ? b : a;
    return absl::StrCat(Describe(unlock, history), " found the lock free, but ",
                        Describe(lock, history),
                        " must have locked it before, and no Unlock that returned true can go "
                        "between them.");
  }
  if (either(OpClass::kUnlockTrue, OpClass::kLockFalse)) {
    const LockOpRecord& unlock = a.op_class == OpClass::kUnlockTrue ? a : b;
    const LockOpRecord& lock = a.op_class == OpClass::kUnlockTrue ? b : a;
    return absl::StrCat(Describe(lock, history), " found the lock held, but ",
                        Describe(unlock, history),
                        " must have freed it before, and no Lock that returned true can go "
                        "between them.");
  }
  return "";
}

}  // namespace

std::string WhyUnorderable(std::span<const LockOpRecord> set, bool whatever_came_before,
                           const History& history) {
  if (!whatever_came_before && set.size() == 1) {
    // Only Unlock->true and Lock->false need a held lock, which nothing before them provided.
    return absl::StrCat(Describe(set[0], history),
                        " cannot have found the lock held: nothing before it had locked it (all "
                        "locks start free).");
  }
  if (whatever_came_before && set.size() == 2) {
    std::string why = WhyPair(set[0], set[1], history);
    if (!why.empty()) return why;
  }
  // The general case: report where the greedy procedure (which is exact) gets stuck.
  std::vector<uint32_t> order;
  const GreedyOutcome outcome = RunGreedyLockChecker(set, LockState::kFree, &order);
  const bool held = outcome.stuck_state == LockState::kHeld;
  return absl::StrCat("These ", set.size(), " operations cannot be ordered",
                      whatever_came_before ? " whatever state the lock was in before them"
                                           : " starting from a free lock",
                      ": placing each as early as its times and result allow, the lock is ",
                      held ? "held" : "free", " after ", order.size(),
                      " of them, and none of the other ", set.size() - order.size(),
                      " can go next while it is ", held ? "held." : "free.");
}

}  // namespace locksim::check
