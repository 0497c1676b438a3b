// The lock linearizability check (docs/history-format.md says what linearizable means for locks):
// run the greedy procedure (check/greedy_lock_checker.h) on each lock, and when a lock fails,
// explain it with a minimal set of its operations that cannot be ordered
// (check/unorderable_set.h, check/explain.h).
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

// One of the few operations of a long certificate that a person should read first.
struct KeyUnorderableOperation {
  size_t index = 0;  // into History::operations
  HistoryOperation operation;
  std::string role;  // its part in the contradiction
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
  // The few of `unorderable` that matter most, in the order they take effect, the one that
  // cannot last (check/explain.h).
  std::vector<KeyUnorderableOperation> key_operations;
  // See UnorderableSet.
  bool whatever_came_before = false;
  bool minimal = true;
};

LockCheckResult CheckLockLinearizability(const History& history);

// Verdict only, no explanation (what the benchmarks measure).
bool IsLockHistoryLinearizable(const History& history);

// Certificates longer than this are summarised by their key operations.
inline constexpr size_t kUnorderableListedInFull = 20;

enum class ExplanationDetail {
  // At most 3 + kUnorderableListedInFull lines whatever the history: the verdict, the
  // sentence, and the certificate's operations if there are at most kUnorderableListedInFull,
  // else its key operations (at most 4) and how many more there are.
  kSummary,
  // Every operation of the certificate, one per line.
  kFull,
};

// An explanation for people: the verdict, the sentence, then one line per operation with its
// client, kind, times and result. Lines are separated by newlines; there is none at the end, so
// that callers can embed it. Lock names are escaped (base/printable.h).
std::string FormatExplanation(const LockCheckResult& result,
                              ExplanationDetail detail = ExplanationDetail::kSummary);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_LOCK_LINEARIZABILITY_H_
