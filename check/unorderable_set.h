// Explaining a failure: a small set of operations on one lock that cannot be ordered.
//
// The greedy run that failed is cut down to a window around the point where it got stuck (the
// operations invoked after the stuck point never took part; the operations placed before the
// last time the state was known are dropped), then shrunk by removing chunks and then single
// operations while the set stays unorderable, until every operation left is needed (1-minimal).
// docs/checker.md explains why each cut keeps the set unorderable.
#ifndef LOCKSIM_CHECK_UNORDERABLE_SET_H_
#define LOCKSIM_CHECK_UNORDERABLE_SET_H_

#include <cstdint>
#include <span>
#include <vector>

#include "check/lock_history.h"

namespace locksim::check {

struct UnorderableSet {
  // Positions into the lock's operations, ascending (so sorted by invoke).
  std::vector<uint32_t> positions;
  // True: the set cannot be ordered whatever state the lock was in before it. False: it can be
  // ordered only if the lock was held before it, so the explanation relies on locks starting
  // free (the set then starts at the beginning of the lock's history or a point where the lock
  // was free in every ordering the greedy procedure could find).
  bool whatever_came_before = false;
  // False when shrinking ran out of its work budget: the set is unorderable but may not be
  // 1-minimal.
  bool minimal = true;
};

inline constexpr uint64_t kDefaultShrinkBudget = 50'000'000;  // operations visited by re-checks

// Whether the operations (sorted by invoke) can be ordered starting from `initial`.
bool Orderable(std::span<const LockOpRecord> ops, LockState initial);

// REQUIRES: !Orderable(ops, LockState::kFree); `ops` sorted by invoke.
UnorderableSet FindUnorderableSet(std::span<const LockOpRecord> ops,
                                  uint64_t work_budget = kDefaultShrinkBudget);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_UNORDERABLE_SET_H_
