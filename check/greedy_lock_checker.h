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

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
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

// The procedure fed one operation at a time, in invoke order, so that a whole history can be
// checked in one pass over it with one automaton per lock and no split (check/
// lock_linearizability.cc). Admitting an operation invoked at t first places operations until
// every admitted completed one that returned before t is placed: that is exactly the point at
// which the batch form above would admit it.
// Admit and what it calls are defined here so that the one-pass checker inlines them: they run
// once per operation.
class GreedyLockAutomaton {
 public:
  // When `order` is not null it receives the positions of the operations placed, in
  // linearization order; pending operations left out do not appear. It must outlive the
  // automaton.
  explicit GreedyLockAutomaton(LockState initial = LockState::kFree,
                               std::vector<uint32_t>* order = nullptr);

  // Admits an operation. `position` is the caller's name for it (it appears in `order`).
  // Returns false when the procedure got stuck before the operation could be admitted; the
  // automaton then takes nothing more (see outcome()).
  // REQUIRES: invokes non-decreasing across calls; not stuck.
  bool Admit(int64_t invoke, int64_t ret, OpClass op_class, uint32_t position) {
    while (bound_ < invoke) {
      if (!Step()) return false;
    }
    Push(ret, op_class, position);
    return true;
  }

  // Places everything admitted. Returns whether that succeeded.
  bool Finish();

  // Whether it has not got stuck (yet).
  bool ok() const { return outcome_.linearizable; }
  // After Admit or Finish returned false: where it got stuck. Otherwise: linearizable so far.
  GreedyOutcome outcome() const { return outcome_; }

 private:
  // Admitted completed moves of one kind not yet placed: a binary min-heap of their returns, the
  // earliest first, with their positions in a parallel array only when recording (heap of plain
  // integers: the common case, a verdict, moves half as many bytes).
  class MoveHeap {
   public:
    bool empty() const { return returns_.empty(); }
    int64_t TopReturn() const { return returns_.empty() ? kNeverReturned : returns_.front(); }
    void Push(int64_t ret, uint32_t position, bool recording) {
      size_t hole = returns_.size();
      returns_.push_back(ret);
      if (recording) positions_.push_back(position);
      while (hole > 0) {
        const size_t parent = (hole - 1) / 2;
        if (returns_[parent] <= ret) break;
        Move(parent, hole, recording);
        hole = parent;
      }
      returns_[hole] = ret;
      if (recording) positions_[hole] = position;
    }
    // Removes the top; returns its position when recording.
    uint32_t Pop(bool recording);

   private:
    void Move(size_t from, size_t to, bool recording) {
      returns_[to] = returns_[from];
      if (recording) positions_[to] = positions_[from];
    }
    std::vector<int64_t> returns_;
    std::vector<uint32_t> positions_;
  };
  // Admitted completed stays of one kind not yet placed. They all go at once, so only their
  // earliest return (for the bound) and, when recording, their positions matter.
  struct StayGroup {
    int64_t min_return = kNeverReturned;
    uint32_t count = 0;
    std::vector<uint32_t> positions;
  };
  // Admitted pending operations of one kind: interchangeable (nothing must follow them), so a
  // count, and the positions when recording.
  struct PendingGroup {
    uint32_t count = 0;
    std::vector<uint32_t> positions;
  };

  // The earliest return among the admitted completed operations not yet placed. Admit compares
  // it with every operation, so it is kept in bound_ rather than recomputed (Step refreshes it).
  int64_t Bound() const {
    return std::min(std::min(lock_true_.TopReturn(), unlock_true_.TopReturn()),
                    std::min(lock_false_.min_return, unlock_false_.min_return));
  }
  void Push(int64_t ret, OpClass op_class, uint32_t position) {
    const bool recording = order_ != nullptr;
    switch (op_class) {
      case OpClass::kLockTrue:
        lock_true_.Push(ret, position, recording);
        break;
      case OpClass::kLockFalse:
        AddStay(lock_false_, ret, position);
        break;
      case OpClass::kUnlockTrue:
        unlock_true_.Push(ret, position, recording);
        break;
      case OpClass::kUnlockFalse:
        AddStay(unlock_false_, ret, position);
        break;
      case OpClass::kPendingLock:
        AddPending(pending_lock_, position);
        return;
      case OpClass::kPendingUnlock:
        AddPending(pending_unlock_, position);
        return;
    }
    ++unplaced_completed_;
    bound_ = std::min(bound_, ret);
  }
  void AddStay(StayGroup& group, int64_t ret, uint32_t position) {
    group.min_return = std::min(group.min_return, ret);
    ++group.count;
    if (order_ != nullptr) group.positions.push_back(position);
  }
  void AddPending(PendingGroup& group, uint32_t position) {
    ++group.count;
    if (order_ != nullptr) group.positions.push_back(position);
  }
  // Places the next operation(s) and refreshes bound_; false when nothing can be placed.
  bool Step();
  bool PlaceNext();

  LockState state_;
  std::vector<uint32_t>* order_;
  size_t unplaced_completed_ = 0;
  int64_t bound_ = kNeverReturned;  // Bound()
  MoveHeap lock_true_, unlock_true_;
  StayGroup lock_false_, unlock_false_;
  PendingGroup pending_lock_, pending_unlock_;
  GreedyOutcome outcome_{.linearizable = true};
};

// The procedure over one lock's operations. REQUIRES: `ops` sorted by invoke. When `order` is
// not null it receives positions into `ops` (see GreedyLockAutomaton); if the outcome is
// linearizable that order is a witness.
GreedyOutcome RunGreedyLockChecker(std::span<const LockOpRecord> ops, LockState initial,
                                   std::vector<uint32_t>* order = nullptr);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_GREEDY_LOCK_CHECKER_H_
