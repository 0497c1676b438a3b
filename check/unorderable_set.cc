#include "check/unorderable_set.h"

#include <algorithm>
#include <optional>

#include "base/assert.h"
#include "check/greedy_lock_checker.h"

namespace locksim::check {
namespace {

bool IsStay(OpClass op_class) {
  return op_class == OpClass::kLockFalse || op_class == OpClass::kUnlockFalse;
}

// A move outside the set becomes pending of its kind (a pending operation only ever helps as a
// move: a Lock that takes effect on a held lock changes nothing).
OpClass Relaxed(OpClass op_class) {
  return op_class == OpClass::kLockTrue || op_class == OpClass::kPendingLock
             ? OpClass::kPendingLock
             : OpClass::kPendingUnlock;
}

// Re-checks candidate sets, counting the work against a budget.
class CertificateChecker {
 public:
  CertificateChecker(std::span<const LockOpRecord> ops, uint64_t budget)
      : ops_(ops), budget_(budget) {}

  bool out_of_budget() const { return spent_ >= budget_; }

  // Whether `set` (ascending) is a certificate from `initial`.
  bool Certificate(std::span<const uint32_t> set, LockState initial) {
    if (set.empty()) return false;  // everything relaxed: nothing is constrained
    const std::vector<LockOpRecord> window = RelaxOutside(ops_, set);
    spent_ += window.size() + 1;
    return !Orderable(window, initial);
  }

 private:
  std::span<const LockOpRecord> ops_;
  uint64_t budget_;
  uint64_t spent_ = 0;
};

// Invokes of the operations of one kind that may take effect (completed with true, or pending),
// ascending: the "undoers" a count certificate counts. `ops` is sorted by invoke.
std::vector<int64_t> UndoerInvokes(std::span<const LockOpRecord> ops, OpClass done,
                                   OpClass pending) {
  std::vector<int64_t> invokes;
  for (const LockOpRecord& op : ops) {
    if (op.op_class == done || op.op_class == pending) invokes.push_back(op.invoke);
  }
  return invokes;
}

// How many of `invokes` (ascending) are at most `time`: invoked by then (equal times are
// concurrent, so an operation invoked at a return may still go before it).
size_t InvokedBy(const std::vector<int64_t>& invokes, int64_t time) {
  return static_cast<size_t>(std::upper_bound(invokes.begin(), invokes.end(), time) -
                             invokes.begin());
}

// Positions of the operations of class `op_class`, by (return, position).
std::vector<uint32_t> ByReturn(std::span<const LockOpRecord> ops, OpClass op_class) {
  std::vector<uint32_t> positions;
  for (uint32_t p = 0; p < ops.size(); ++p) {
    if (ops[p].op_class == op_class) positions.push_back(p);
  }
  std::sort(positions.begin(), positions.end(), [&](uint32_t a, uint32_t b) {
    return ops[a].ret != ops[b].ret ? ops[a].ret < ops[b].ret : a < b;
  });
  return positions;
}

// A candidate count certificate: its operations (by return, then position) and last return.
struct CountCandidate {
  int64_t last_return = kNeverReturned;
  std::vector<uint32_t> positions;
};

// The first k moves (by return) such that fewer than k - `slack` undoers were invoked by the
// k-th return: the first k such that the k-th move cannot be placed.
CountCandidate FirstMovesTooMany(std::span<const LockOpRecord> ops,
                                 const std::vector<uint32_t>& moves_by_return,
                                 const std::vector<int64_t>& undoers, size_t slack) {
  for (size_t k = 1; k <= moves_by_return.size(); ++k) {
    const int64_t ret = ops[moves_by_return[k - 1]].ret;
    if (InvokedBy(undoers, ret) + slack < k) {
      return {ret, std::vector<uint32_t>(moves_by_return.begin(),
                                         moves_by_return.begin() + static_cast<ptrdiff_t>(k))};
    }
  }
  return {};
}

// The earliest stay (class `stay`, by return) that the moves which returned before its invoke
// make impossible: after k such moves it needs k + `extra` undoers invoked by its return, and
// fails with fewer.
CountCandidate FirstStayOutnumbered(std::span<const LockOpRecord> ops, OpClass stay,
                                    const std::vector<uint32_t>& moves_by_return,
                                    const std::vector<int64_t>& undoers, size_t extra) {
  std::vector<int64_t> move_returns;
  for (uint32_t p : moves_by_return) move_returns.push_back(ops[p].ret);
  CountCandidate best;
  std::optional<uint32_t> best_stay;
  for (uint32_t p = 0; p < ops.size(); ++p) {
    if (ops[p].op_class != stay || ops[p].ret >= best.last_return) continue;
    // Moves that returned strictly before its invoke must take effect before it.
    const size_t k = static_cast<size_t>(
        std::lower_bound(move_returns.begin(), move_returns.end(), ops[p].invoke) -
        move_returns.begin());
    if (InvokedBy(undoers, ops[p].ret) < k + extra) {
      best.last_return = ops[p].ret;
      best_stay = p;
      best.positions.assign(moves_by_return.begin(),
                            moves_by_return.begin() + static_cast<ptrdiff_t>(k));
    }
  }
  // With no move before it (k = 0), the stay is a certificate on its own.
  if (best_stay.has_value()) best.positions.push_back(*best_stay);
  return best;
}

}  // namespace

std::vector<uint32_t> FindCountCertificate(std::span<const LockOpRecord> ops) {
  const std::vector<int64_t> locks = UndoerInvokes(ops, OpClass::kLockTrue, OpClass::kPendingLock);
  const std::vector<int64_t> unlocks =
      UndoerInvokes(ops, OpClass::kUnlockTrue, OpClass::kPendingUnlock);
  const std::vector<uint32_t> unlocks_true = ByReturn(ops, OpClass::kUnlockTrue);
  const std::vector<uint32_t> locks_true = ByReturn(ops, OpClass::kLockTrue);
  // From a free lock: k Unlocks need k Locks before them; k Locks need k - 1 Unlocks between
  // them; a Lock->false after k Unlocks needs k + 1 Locks; an Unlock->false after k Locks needs k
  // Unlocks.
  CountCandidate candidates[] = {
      FirstMovesTooMany(ops, unlocks_true, locks, /*slack=*/0),
      FirstMovesTooMany(ops, locks_true, unlocks, /*slack=*/1),
      FirstStayOutnumbered(ops, OpClass::kLockFalse, unlocks_true, locks, /*extra=*/1),
      FirstStayOutnumbered(ops, OpClass::kUnlockFalse, locks_true, unlocks, /*extra=*/0),
  };
  const CountCandidate* best = nullptr;
  for (const CountCandidate& candidate : candidates) {
    if (candidate.positions.empty()) continue;
    if (best == nullptr || candidate.last_return < best->last_return ||
        (candidate.last_return == best->last_return &&
         candidate.positions.size() < best->positions.size())) {
      best = &candidate;
    }
  }
  if (best == nullptr) return {};
  std::vector<uint32_t> positions = best->positions;
  std::sort(positions.begin(), positions.end());
  return positions;
}

bool Orderable(std::span<const LockOpRecord> ops, LockState initial) {
  return RunGreedyLockChecker(ops, initial).linearizable;
}

std::vector<LockOpRecord> RelaxOutside(std::span<const LockOpRecord> ops,
                                       std::span<const uint32_t> set) {
  LOCKSIM_ASSERT(!set.empty());
  int64_t last_return = 0;
  for (size_t k = 0; k < set.size(); ++k) {
    LOCKSIM_ASSERT(k == 0 || set[k - 1] < set[k]);
    LOCKSIM_ASSERT(!IsPending(ops[set[k]].op_class));
    last_return = k == 0 ? ops[set[k]].ret : std::max(last_return, ops[set[k]].ret);
  }
  std::vector<LockOpRecord> window;
  size_t next_in_set = 0;
  for (uint32_t p = 0; p < ops.size() && ops[p].invoke <= last_return; ++p) {
    LockOpRecord record = ops[p];
    if (next_in_set < set.size() && set[next_in_set] == p) {
      ++next_in_set;
    } else if (IsStay(record.op_class)) {
      continue;  // optional and without a deadline, a stay never helps: leave it out
    } else {
      record.op_class = Relaxed(record.op_class);
      record.ret = kNeverReturned;
    }
    window.push_back(record);
  }
  LOCKSIM_ASSERT(next_in_set == set.size());
  return window;
}

UnorderableSet FindUnorderableSet(std::span<const LockOpRecord> ops, uint64_t work_budget) {
  CertificateChecker checker(ops, work_budget);
  if (std::vector<uint32_t> count = FindCountCertificate(ops); !count.empty()) {
    // Cheap to confirm, and a wrong count would be a false report: check it.
    LOCKSIM_ASSERT(checker.Certificate(count, LockState::kFree));
    UnorderableSet result;
    result.positions = std::move(count);
    result.whatever_came_before = checker.Certificate(result.positions, LockState::kHeld);
    return result;
  }

  const GreedyOutcome outcome = RunGreedyLockChecker(ops, LockState::kFree);
  LOCKSIM_ASSERT(!outcome.linearizable);

  // The completed operations invoked no later than the point where the greedy run got stuck are
  // a certificate: relaxing the later ones changes nothing in that run (they were never
  // admitted), so it gets stuck the same way, and the procedure is exact.
  std::vector<uint32_t> candidates;
  for (uint32_t p = 0; p < ops.size() && ops[p].invoke <= outcome.stuck_bound; ++p) {
    if (!IsPending(ops[p].op_class)) candidates.push_back(p);
  }
  LOCKSIM_ASSERT(checker.Certificate(candidates, LockState::kFree));

  // Deletion by binary search. Invariant: required + candidates is a certificate. Each round
  // finds the shortest prefix of the candidates that, with the required operations, is still a
  // certificate; its last operation is needed (the prefix without it is not a certificate, nor
  // is any subset of it, by monotonicity), so it becomes required and the rest of the candidates
  // go. The set is 1-minimal when the required operations alone are a certificate.
  UnorderableSet result;
  std::vector<uint32_t> required;
  std::vector<uint32_t> trial;
  const auto with_prefix = [&](size_t length) {
    trial.assign(required.begin(), required.end());
    trial.insert(trial.end(), candidates.begin(),
                 candidates.begin() + static_cast<ptrdiff_t>(length));
    std::sort(trial.begin(), trial.end());
    return std::span<const uint32_t>(trial);
  };
  for (size_t round = 0; round <= ops.size(); ++round) {
    if (checker.Certificate(with_prefix(0), LockState::kFree)) break;
    if (checker.out_of_budget()) {
      result.minimal = false;
      break;
    }
    LOCKSIM_ASSERT(!candidates.empty());
    size_t lo = 1;
    size_t hi = candidates.size();  // a certificate with the first `hi` candidates
    while (lo < hi && !checker.out_of_budget()) {
      const size_t mid = lo + (hi - lo) / 2;
      if (checker.Certificate(with_prefix(mid), LockState::kFree)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    if (lo < hi) {  // out of budget mid-search: keep the certificate known so far
      candidates.resize(hi);
      result.minimal = false;
      break;
    }
    required.push_back(candidates[hi - 1]);
    candidates.resize(hi - 1);
  }
  result.positions = required;
  if (!result.minimal)
    result.positions.insert(result.positions.end(), candidates.begin(), candidates.end());
  std::sort(result.positions.begin(), result.positions.end());
  LOCKSIM_ASSERT(!result.positions.empty());
  result.whatever_came_before = checker.Certificate(result.positions, LockState::kHeld);
  return result;
}

}  // namespace locksim::check
