// The lock linearizability check (contract section 3): split by lock, run the greedy procedure
// (check/greedy_lock_checker.h) on each, and when a lock fails, explain it with a small set of its
// operations that cannot be ordered (check/unorderable_set.h).
#ifndef LOCKSIM_CHECK_LOCK_LINEARIZABILITY_H_
#define LOCKSIM_CHECK_LOCK_LINEARIZABILITY_H_

#include <cstddef>
#include <string>
#include <vector>

#include "check/history.h"

namespace locksim::check {

struct UnorderableOperation {
  size_t index = 0;  // into History::operations
  HistoryOperation operation;
};

struct LockCheckResult {
  bool linearizable = true;
  size_t operations = 0;
  size_t locks = 0;
  // Every lock that is not linearizable, sorted by name.
  std::vector<std::string> failing_locks;
  // The first failing lock, explained: completed operations on it that cannot be ordered even if
  // every other operation on the lock took effect at any time after its invoke or not at all
  // (sorted by invoke, then index; check/unorderable_set.h), and why, in one sentence.
  std::string lock;
  std::vector<UnorderableOperation> unorderable;
  std::string why;
  // See UnorderableSet.
  bool whatever_came_before = false;
  bool minimal = true;
};

LockCheckResult CheckLockLinearizability(const History& history);

// Verdict only, no explanation (what the benchmarks measure).
bool IsLockHistoryLinearizable(const History& history);

// A multi-line explanation for people: the verdict, the sentence, then one line per operation
// with its client, kind, times and result. Lines are separated by newlines; there is none at the
// end, so that callers can embed it.
std::string FormatExplanation(const LockCheckResult& result);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_LOCK_LINEARIZABILITY_H_
