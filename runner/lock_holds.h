// Who held each lock when, following the checker's linearization of that lock's operations: the
// one place that turns the greedy checker's witness order into moments and ownership intervals,
// for every picture of a run (the Chrome timeline, the HTML report).
#ifndef LOCKSIM_RUNNER_LOCK_HOLDS_H_
#define LOCKSIM_RUNNER_LOCK_HOLDS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "check/history.h"

namespace locksim::runner {

// One operation placed in a lock's linearization. It is given the earliest moment its place in
// the order allows, max(its invoke, the previous operation's moment), which always lies within
// its interval [invoke, return].
struct LinearizedOp {
  size_t op = 0;      // index into History::operations
  int64_t at = 0;     // the moment, in the history's time unit
  size_t anchor = 0;  // the operation whose invoke is `at` (this one, or one earlier in the order)
};

// The lock was held from the moment of a Lock in the order until the moment of the next Unlock.
struct LockHold {
  int64_t client = 0;   // whose Lock took it
  size_t taken_by = 0;  // index into LockLinearization::order
  // Index into `order` of the Unlock that freed it; nullopt when it is still held where the order
  // ends (the end of the run when the lock is linearizable, else where the checker got stuck).
  std::optional<size_t> freed_by;
};

struct LockLinearization {
  std::string lock;
  bool linearizable = true;
  // The operations the checker placed, in its order. Pending operations it left out are absent;
  // when the lock is not linearizable, the order stops where the checker got stuck.
  std::vector<LinearizedOp> order;
  std::vector<LockHold> holds;
  // When not linearizable: from when no order fits (the later of the last placed moment and the
  // earliest return among the completed operations left).
  std::optional<int64_t> stuck_at;
};

// Every lock of `history`, sorted by name.
std::vector<LockLinearization> LinearizeLocks(const check::History& history);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_LOCK_HOLDS_H_
