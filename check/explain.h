// Telling a person why a certificate (check/unorderable_set.h) cannot be ordered: one sentence,
// and, for a certificate too long to read, the few operations that matter most.
#ifndef LOCKSIM_CHECK_EXPLAIN_H_
#define LOCKSIM_CHECK_EXPLAIN_H_

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "check/history.h"
#include "check/lock_history.h"
#include "check/unorderable_set.h"

namespace locksim::check {

// An operation of the certificate worth showing, and its part in the contradiction.
struct KeyOperation {
  size_t index = 0;  // into History::operations
  std::string role;  // e.g. "cannot be placed: needs the lock free, and it is held"
};

struct SetExplanation {
  std::string why;
  // In the order they are placed: the first of the set to take effect, the last one or two placed
  // before the contradiction (they fix the lock's state there), then the first that cannot be
  // placed. Found
  // by placing the set's operations as early as their times and results allow, every other
  // operation relaxed, from the start the sentence uses.
  std::vector<KeyOperation> key_operations;
};

// REQUIRES: `set` is a certificate for `ops`, the operations of one lock sorted by invoke, split
// from `history`.
SetExplanation ExplainUnorderable(std::span<const LockOpRecord> ops, const UnorderableSet& set,
                                  const History& history);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_EXPLAIN_H_
