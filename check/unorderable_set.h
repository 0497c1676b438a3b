// Explaining a failure: a small set of completed operations on one lock that cannot be ordered
// even if every other operation on the lock is a wildcard.
//
// A set S is a certificate when the lock's history with every operation outside S relaxed (it
// may have taken effect at any time after its invoke, with the result it returned, or not at
// all) is not linearizable from a free lock. A relaxed Lock->true or Unlock->true is a pending
// operation of its kind; a relaxed Lock->false or Unlock->false never helps and is left out.
// Relaxing only removes constraints, so a certificate proves the whole history is not linearizable;
// and the property is monotone (a superset of a certificate is one), so a deletion search finds a
// 1-minimal certificate: removing any one of its operations (relaxing it too) makes the rest
// orderable. docs/checker.md has the proofs.
#ifndef LOCKSIM_CHECK_UNORDERABLE_SET_H_
#define LOCKSIM_CHECK_UNORDERABLE_SET_H_

#include <cstdint>
#include <span>
#include <vector>

#include "check/lock_history.h"

namespace locksim::check {

struct UnorderableSet {
  // Positions into the lock's operations, ascending (so sorted by invoke). Completed operations
  // only: a pending operation is a wildcard already.
  std::vector<uint32_t> positions;
  // True: the set is a certificate from a held lock too, so the contradiction is among its own
  // operations; false: it relies on the lock starting free.
  bool whatever_came_before = false;
  // False when the search ran out of its work budget: a certificate, but maybe not 1-minimal.
  bool minimal = true;
};

inline constexpr uint64_t kDefaultShrinkBudget = 50'000'000;  // operations visited by re-checks

// Whether the operations (sorted by invoke) can be ordered starting from `initial`.
bool Orderable(std::span<const LockOpRecord> ops, LockState initial);

// The operations a set's certificate check runs on: the set's operations as they are, every
// other operation invoked no later than the set's last return relaxed (operations
// invoked after that must follow the whole set, so they cannot help order it). Sorted by invoke.
// REQUIRES: `set` ascending, non-empty, completed operations only.
std::vector<LockOpRecord> RelaxOutside(std::span<const LockOpRecord> ops,
                                       std::span<const uint32_t> set);

// The earliest certificate that is a count, found in O(n log n) with no re-checking, or nothing
// (positions ascending). Four shapes, each failing from a free lock (docs/checker.md, section 4):
//   k Unlocks->true, the first k by return: fewer than k Locks were invoked by the last return;
//   k Locks->true, the first k by return: fewer than k - 1 Unlocks were invoked by then;
//   a Lock->false and the k Unlocks->true that returned before its invoke: at most k Locks were
//     invoked by its return, too few to free the lock k times and hold it once more;
//   an Unlock->false and the k Locks->true that returned before its invoke: fewer than k Unlocks
//     were invoked by its return.
// ("Locks" and "Unlocks" that were invoked: those that did not return false.) Of the candidates,
// the one whose last return is earliest is 1-minimal: dropping any of its operations leaves a set
// that can be ordered. In a long history every certificate is a count of some kind, since the
// operations outside it may take effect any time after their invoke: only a count can use them
// all up.
// REQUIRES: `ops` sorted by invoke.
std::vector<uint32_t> FindCountCertificate(std::span<const LockOpRecord> ops);

// A 1-minimal certificate: FindCountCertificate's when there is one (cheap at any size), else
// the greedy run's window shrunk by binary deletion.
// REQUIRES: !Orderable(ops, LockState::kFree); `ops` sorted by invoke.
UnorderableSet FindUnorderableSet(std::span<const LockOpRecord> ops,
                                  uint64_t work_budget = kDefaultShrinkBudget);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_UNORDERABLE_SET_H_
