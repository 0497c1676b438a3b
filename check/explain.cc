#include "check/explain.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "check/greedy_lock_checker.h"

namespace locksim::check {
namespace {

std::string Describe(const LockOpRecord& op, const History& history) {
  return DescribeOperation(history.operations[op.index]);
}

// Two-operation certificates that hold whatever the state before them have a direct reading.
// Every other operation is a wildcard in a certificate, so "no other X can have taken effect
// between them" is exactly what makes the pair fail.
std::string WhyPair(const LockOpRecord& a, const LockOpRecord& b, const History& history) {
  const auto is = [&](OpClass x, OpClass y) { return a.op_class == x && b.op_class == y; };
  const auto either = [&](OpClass x, OpClass y) { return is(x, y) || is(y, x); };
  if (is(OpClass::kLockTrue, OpClass::kLockTrue)) {
    return absl::StrCat(Describe(a, history), " and ", Describe(b, history),
                        " both returned true, but no other Unlock can have taken effect between "
                        "them.");
  }
  if (is(OpClass::kUnlockTrue, OpClass::kUnlockTrue)) {
    return absl::StrCat(Describe(a, history), " and ", Describe(b, history),
                        " both returned true, but no other Lock can have taken effect between "
                        "them.");
  }
  if (either(OpClass::kLockTrue, OpClass::kUnlockFalse)) {
    const LockOpRecord& lock = a.op_class == OpClass::kLockTrue ? a : b;
    const LockOpRecord& unlock = a.op_class == OpClass::kLockTrue ? b : a;
    return absl::StrCat(Describe(unlock, history), " found the lock free, but ",
                        Describe(lock, history),
                        " had locked it before, and no other Unlock can have taken effect "
                        "between them.");
  }
  if (either(OpClass::kUnlockTrue, OpClass::kLockFalse)) {
    const LockOpRecord& unlock = a.op_class == OpClass::kUnlockTrue ? a : b;
    const LockOpRecord& lock = a.op_class == OpClass::kUnlockTrue ? b : a;
    return absl::StrCat(Describe(lock, history), " found the lock held, but ",
                        Describe(unlock, history),
                        " had freed it before, and no other Lock can have taken effect between "
                        "them.");
  }
  return "";
}

// A set of successful operations of one kind (k Locks, or k Unlocks, that returned true) fails
// by counting when too few other operations that could undo them had been invoked by the set's
// last return: between two successful Locks the lock must be freed, and only an Unlock that did
// not return false can free it (one that returned false never changed the lock, and one invoked
// later cannot take effect in time); likewise for Unlocks, which also need a Lock before the
// first of them when the lock starts free. Fewer than k - 1 undoers fail from either start; k - 1
// fail k Unlocks from a free lock. Then the count is the whole reason, and says it best.
// `window` is the set with the other operations relaxed (RelaxOutside). Returns "" when the set
// is not of that shape or the count does not suffice.
std::string WhyCount(std::span<const LockOpRecord> ops, const UnorderableSet& set,
                     std::span<const LockOpRecord> window) {
  const OpClass kind = ops[set.positions.front()].op_class;
  if (kind != OpClass::kLockTrue && kind != OpClass::kUnlockTrue) return "";
  int64_t last_return = 0;
  for (uint32_t position : set.positions) {
    if (ops[position].op_class != kind) return "";
    last_return = std::max(last_return, ops[position].ret);
  }
  // In the window every operation outside the set is relaxed to pending, and relaxed stays are
  // gone; the window ends with the last operation invoked by `last_return`.
  const bool locks = kind == OpClass::kLockTrue;
  const OpClass undo = locks ? OpClass::kPendingUnlock : OpClass::kPendingLock;
  size_t undoers = 0;
  for (const LockOpRecord& op : window) undoers += op.op_class == undo ? 1 : 0;
  const size_t k = set.positions.size();
  const std::string only =
      absl::StrCat("; but by then only ", undoers, " other ", locks ? "Unlock" : "Lock",
                   undoers == 1 ? "" : "s", " that did not return false had been invoked.");
  const std::string these = absl::StrCat("These ", k, locks ? " Locks" : " Unlocks",
                                         " all returned true by time ", last_return);
  if (undoers + 1 < k) {
    return absl::StrCat(these, ", so the lock was ", locks ? "freed" : "locked again", " at least ",
                        k - 1, " times between them", only);
  }
  if (!locks && !set.whatever_came_before && undoers < k) {
    return absl::StrCat(these, ", so the lock, which starts free, was locked at least ", k,
                        " times before and between them", only);
  }
  return "";
}

}  // namespace

std::string WhyUnorderable(std::span<const LockOpRecord> ops, const UnorderableSet& set,
                           const History& history) {
  if (!set.whatever_came_before && set.positions.size() == 1) {
    // Only Unlock->true and Lock->false need a held lock.
    return absl::StrCat(Describe(ops[set.positions[0]], history),
                        " cannot have found the lock held: locks start free, and no Lock can "
                        "have taken effect before it.");
  }
  if (set.whatever_came_before && set.positions.size() == 2) {
    std::string why = WhyPair(ops[set.positions[0]], ops[set.positions[1]], history);
    if (!why.empty()) return why;
  }
  const std::vector<LockOpRecord> window = RelaxOutside(ops, set.positions);
  if (std::string why = WhyCount(ops, set, window); !why.empty()) return why;
  // The general case: where the greedy procedure (which is exact) gets stuck on the set, with
  // the other operations relaxed. When the set fails from either start, tell the start that
  // gets further (from held, a set of successful Locks fails at once, which explains little).
  struct Stuck {
    LockState start;
    LockState state;
    size_t placed;
  };
  const auto stuck_from = [&](LockState start) {
    std::vector<uint32_t> order;
    const GreedyOutcome outcome = RunGreedyLockChecker(window, start, &order);
    size_t placed = 0;
    for (uint32_t position : order) placed += IsPending(window[position].op_class) ? 0 : 1;
    return Stuck{start, outcome.stuck_state, placed};
  };
  Stuck stuck = stuck_from(LockState::kFree);
  if (set.whatever_came_before) {
    const Stuck from_held = stuck_from(LockState::kHeld);
    if (from_held.placed > stuck.placed) stuck = from_held;
  }
  const char* state = stuck.state == LockState::kHeld ? "held" : "free";
  return absl::StrCat(
      "These ", set.positions.size(), " operations cannot be ordered",
      set.whatever_came_before ? " whatever state the lock was in before them"
                               : " starting from a free lock",
      ", even if the others took effect at any time after their invoke or not at all: ",
      !set.whatever_came_before         ? ""
      : stuck.start == LockState::kHeld ? "starting held and "
                                        : "starting free and ",
      "placing each as early as its times and result allow, ", stuck.placed,
      " of them fit, and then the lock is ", state, " and ",
      set.positions.size() - stuck.placed == 1
          ? std::string("the last one cannot go next while it is ")
          : absl::StrCat("none of the other ", set.positions.size() - stuck.placed,
                         " can go next while it is "),
      state, ".");
}

}  // namespace locksim::check
