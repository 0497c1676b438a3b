// The one-sentence reason why a set of operations on one lock cannot be ordered.
#ifndef LOCKSIM_CHECK_EXPLAIN_H_
#define LOCKSIM_CHECK_EXPLAIN_H_

#include <span>
#include <string>

#include "check/history.h"
#include "check/lock_history.h"

namespace locksim::check {

// REQUIRES: `set` (sorted by invoke) cannot be ordered from free, and from held too when
// `whatever_came_before`.
std::string WhyUnorderable(std::span<const LockOpRecord> set, bool whatever_came_before,
                           const History& history);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_EXPLAIN_H_
