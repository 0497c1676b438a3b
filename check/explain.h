// The one-sentence reason why a set of operations on one lock cannot be ordered.
#ifndef LOCKSIM_CHECK_EXPLAIN_H_
#define LOCKSIM_CHECK_EXPLAIN_H_

#include <span>
#include <string>

#include "check/history.h"
#include "check/lock_history.h"
#include "check/unorderable_set.h"

namespace locksim::check {

// REQUIRES: `set` is a certificate (check/unorderable_set.h) for `ops`, the operations of one
// lock sorted by invoke, split from `history`.
std::string WhyUnorderable(std::span<const LockOpRecord> ops, const UnorderableSet& set,
                           const History& history);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_EXPLAIN_H_
