#include "check/explain.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/assert.h"
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

const char* StateName(LockState state) { return state == LockState::kHeld ? "held" : "free"; }

bool IsMove(OpClass op_class) {
  return op_class == OpClass::kLockTrue || op_class == OpClass::kUnlockTrue;
}

// The state an operation of this class needs, and the one it leaves.
LockState Needs(OpClass op_class) {
  return op_class == OpClass::kLockTrue || op_class == OpClass::kUnlockFalse ? LockState::kFree
                                                                             : LockState::kHeld;
}
LockState Leaves(OpClass op_class) {
  return op_class == OpClass::kLockTrue || op_class == OpClass::kLockFalse ? LockState::kHeld
                                                                           : LockState::kFree;
}

std::string Plural(size_t count, const char* noun) {
  return absl::StrCat(count, " ", noun, count == 1 ? "" : "s");
}

// Certificates that fail by counting (the shapes of FindCountCertificate) are told as the count,
// which is then the whole reason:
//  - k successful Locks, or k successful Unlocks: between two successful Locks the lock must be
//    freed, and only an Unlock that did not return false can free it (one that returned false
//    never changed the lock, and one invoked later cannot take effect in time); likewise for
//    Unlocks, which also need a Lock before the first of them when the lock starts free. Fewer
//    than k - 1 such undoers fail from either start; k - 1 fail k Unlocks from a free lock.
//  - a failed Lock with the k successful Unlocks that returned before its invoke: from a free
//    lock it needs k + 1 Locks by its return; a failed Unlock with the k successful Locks that
//    returned before its invoke needs k Unlocks.
// `window` is the set with the other operations relaxed (RelaxOutside): an undoer there is a
// pending operation of the other kind. Returns "" when the set is not of such a shape or the
// count does not suffice.
std::string WhyCount(std::span<const LockOpRecord> ops, const UnorderableSet& set,
                     std::span<const LockOpRecord> window, const History& history) {
  const LockOpRecord* stay = nullptr;
  OpClass kind = OpClass::kPendingLock;  // of the moves; pending: none seen yet
  size_t k = 0;
  int64_t last_return = 0;
  for (uint32_t position : set.positions) {
    const LockOpRecord& op = ops[position];
    last_return = std::max(last_return, op.ret);
    if (IsMove(op.op_class)) {
      if (k > 0 && op.op_class != kind) return "";
      kind = op.op_class;
      ++k;
    } else if (stay == nullptr) {
      stay = &op;
    } else {
      return "";
    }
  }
  if (k == 0) return "";
  const bool locks = kind == OpClass::kLockTrue;
  const OpClass undo = locks ? OpClass::kPendingUnlock : OpClass::kPendingLock;
  size_t undoers = 0;
  for (const LockOpRecord& op : window) undoers += op.op_class == undo ? 1 : 0;
  const std::string only =
      absl::StrCat("; but by then only ", Plural(undoers, locks ? "other Unlock" : "other Lock"),
                   " that did not return false had been invoked.");
  if (stay != nullptr) {
    // The stay must need the state the moves take away, and come after all of them.
    if (Needs(stay->op_class) != (locks ? LockState::kFree : LockState::kHeld)) return "";
    for (uint32_t position : set.positions) {
      if (&ops[position] != stay && ops[position].ret >= stay->invoke) return "";
    }
    const size_t needed = locks ? k : k + 1;
    if (undoers >= needed) return "";
    return absl::StrCat(Describe(*stay, history), " found the lock ", locks ? "free" : "held",
                        ", but ",
                        k == 1 ? std::string(locks ? "the Lock" : "the Unlock")
                               : absl::StrCat("the ", k, locks ? " Locks" : " Unlocks"),
                        " listed with it returned true before it was invoked, so the lock",
                        locks ? "" : ", which starts free,", " was ", locks ? "freed" : "locked",
                        " at least ", Plural(needed, "time"), " by time ", last_return, only);
  }
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

// The greedy procedure (exact) run on the set with every other operation relaxed, from `start`.
struct Placement {
  LockState start = LockState::kFree;
  GreedyOutcome outcome;
  std::vector<uint32_t> placed;  // window positions of the set's operations, in the order placed
};

Placement Place(std::span<const LockOpRecord> window, LockState start) {
  Placement placement;
  placement.start = start;
  std::vector<uint32_t> order;
  placement.outcome = RunGreedyLockChecker(window, start, &order);
  LOCKSIM_ASSERT(!placement.outcome.linearizable);
  for (uint32_t position : order) {
    if (!IsPending(window[position].op_class)) placement.placed.push_back(position);
  }
  return placement;
}

// The operations worth showing when the set is too long to read: the first to take effect, the
// last one or two placed (they fix the lock's state where the placing stops), and the first that
// cannot be placed, the one with the earliest return left: it is available then (nothing returned
// before it is left), so it needs the other state.
std::vector<KeyOperation> KeyOperationsOf(std::span<const LockOpRecord> window,
                                          const Placement& placement) {
  std::vector<KeyOperation> keys;
  const auto add = [&](uint32_t position, std::string role) {
    for (const KeyOperation& key : keys) {
      if (key.index == window[position].index) return;
    }
    keys.push_back({window[position].index, std::move(role)});
  };
  const std::vector<uint32_t>& placed = placement.placed;
  if (!placed.empty()) add(placed.front(), "the first to take effect");
  for (size_t k = placed.size() >= 3 ? placed.size() - 2 : 0; k < placed.size(); ++k) {
    const OpClass op_class = window[placed[k]].op_class;
    const char* when =
        k + 1 == placed.size() ? "the last to take effect" : "the last but one to take effect";
    add(placed[k], IsMove(op_class)
                       ? absl::StrCat(when, ": leaves the lock ", StateName(Leaves(op_class)))
                       : absl::StrCat(when, ": finds the lock ", StateName(Needs(op_class))));
  }
  std::vector<bool> is_placed(window.size(), false);
  for (uint32_t position : placed) is_placed[position] = true;
  std::optional<uint32_t> first_stuck;
  for (uint32_t p = 0; p < window.size(); ++p) {
    if (IsPending(window[p].op_class) || is_placed[p]) continue;
    if (!first_stuck.has_value() || window[p].ret < window[*first_stuck].ret) first_stuck = p;
  }
  LOCKSIM_ASSERT(first_stuck.has_value());
  const LockState stuck = placement.outcome.stuck_state;
  LOCKSIM_ASSERT(Needs(window[*first_stuck].op_class) != stuck);
  add(*first_stuck, absl::StrCat("cannot take effect next: needs the lock ",
                                 StateName(Needs(window[*first_stuck].op_class)), ", and it is ",
                                 StateName(stuck)));
  return keys;
}

}  // namespace

SetExplanation ExplainUnorderable(std::span<const LockOpRecord> ops, const UnorderableSet& set,
                                  const History& history) {
  const std::vector<LockOpRecord> window = RelaxOutside(ops, set.positions);
  // Tell the start that gets further (from held, a set of successful Locks fails at once, which
  // explains little).
  Placement placement = Place(window, LockState::kFree);
  if (set.whatever_came_before) {
    Placement from_held = Place(window, LockState::kHeld);
    if (from_held.placed.size() > placement.placed.size()) placement = std::move(from_held);
  }
  SetExplanation explanation;
  explanation.key_operations = KeyOperationsOf(window, placement);

  if (!set.whatever_came_before && set.positions.size() == 1) {
    // Only Unlock->true and Lock->false need a held lock.
    explanation.why = absl::StrCat(Describe(ops[set.positions[0]], history),
                                   " cannot have found the lock held: locks start free, and no "
                                   "Lock can have taken effect before it.");
    return explanation;
  }
  if (set.whatever_came_before && set.positions.size() == 2) {
    explanation.why = WhyPair(ops[set.positions[0]], ops[set.positions[1]], history);
    if (!explanation.why.empty()) return explanation;
  }
  explanation.why = WhyCount(ops, set, window, history);
  if (!explanation.why.empty()) return explanation;
  // The general case: where the greedy procedure (which is exact) gets stuck on the set, with
  // the other operations relaxed.
  const char* state = StateName(placement.outcome.stuck_state);
  const size_t placed = placement.placed.size();
  explanation.why = absl::StrCat(
      "These ", set.positions.size(), " operations cannot be ordered",
      set.whatever_came_before ? " whatever state the lock was in before them"
                               : " starting from a free lock",
      ", even if the others took effect at any time after their invoke or not at all: ",
      !set.whatever_came_before             ? ""
      : placement.start == LockState::kHeld ? "starting held and "
                                            : "starting free and ",
      "placing each as early as its times and result allow, ", placed,
      " of them fit, and then the lock is ", state, " and ",
      set.positions.size() - placed == 1
          ? std::string("the last one cannot go next while it is ")
          : absl::StrCat("none of the other ", set.positions.size() - placed,
                         " can go next while it is "),
      state, ".");
  return explanation;
}

}  // namespace locksim::check
