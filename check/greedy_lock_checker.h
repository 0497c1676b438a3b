// The greedy decision procedure for one lock (docs/checker.md has the proof that it is exact).
//
// It builds a linearization front to back. At each step the operations that may go next are the
// ones invoked no later than the earliest return among the completed operations not yet placed.
// Among them it places every "stay" operation the current state allows (free: Unlock->false;
// held: Lock->false); when none is left, the completed "move" (free: Lock->true; held:
// Unlock->true) with the earliest return; only when no completed operation can be placed, a
// pending operation of the right kind as a move. It fails when nothing can be placed while
// completed operations remain. O(n log c) for n operations sorted by invoke and at most c
// operations open at once.
#ifndef LOCKSIM_CHECK_GREEDY_LOCK_CHECKER_H_
#define LOCKSIM_CHECK_GREEDY_LOCK_CHECKER_H_

#include <cstdint>
#include <span>
#include <vector>

#include "check/lock_history.h"

namespace locksim::check {

struct GreedyOutcome {
  bool linearizable = false;
  // When not linearizable: the state in which the procedure got stuck, and the earliest return
  // among the completed operations left (no operation invoked after it was ever considered).
  LockState stuck_state = LockState::kFree;
  int64_t stuck_bound = 0;
};

// REQUIRES: `ops` sorted by invoke. When `order` is not null it receives the positions (into
// `ops`) of the operations placed, in linearization order; pending operations left out do not
// appear. If the outcome is linearizable that order is a witness.
GreedyOutcome RunGreedyLockChecker(std::span<const LockOpRecord> ops, LockState initial,
                                   std::vector<uint32_t>* order = nullptr);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_GREEDY_LOCK_CHECKER_H_
