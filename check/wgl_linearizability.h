// A general linearizability search: Wing & Gong's algorithm with Lowe's memoisation of
// (linearized set, model state). Exponential in the worst case, so it runs under a step budget
// and reports kGaveUp instead of hanging. It is the reference the greedy lock checker is tested
// against, and the engine for models other than the lock.
#ifndef LOCKSIM_CHECK_WGL_LINEARIZABILITY_H_
#define LOCKSIM_CHECK_WGL_LINEARIZABILITY_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "check/history.h"
#include "check/lock_history.h"
#include "check/sequential_model.h"

namespace locksim::check {

enum class Verdict : uint8_t { kLinearizable, kNotLinearizable, kGaveUp };

struct WglOperation {
  int64_t invoke = 0;
  int64_t ret = kNeverReturned;  // kNeverReturned: pending, may or may not have taken effect
  int64_t input = 0;
  std::optional<int64_t> output;  // nullopt iff pending
};

struct WglOutcome {
  Verdict verdict = Verdict::kGaveUp;
  uint64_t steps = 0;
  // When linearizable: positions into the operations, in linearization order (pending
  // operations left out do not appear).
  std::vector<uint32_t> order;
};

// Real-time order is strict (a.ret < b.invoke); equal timestamps are concurrent.
WglOutcome RunWgl(std::span<const WglOperation> ops, const SequentialModel& model,
                  uint64_t step_budget);

// The lock operations of one lock, as WGL operations.
std::vector<WglOperation> ToWglOperations(std::span<const LockOpRecord> ops);

struct WglHistoryResult {
  Verdict verdict = Verdict::kLinearizable;
  // The first lock (by name) that is not linearizable, or on which the search gave up.
  std::string lock;
  uint64_t steps = 0;
};

// Splits the history by lock and searches each lock, spending at most `step_budget` steps in all.
WglHistoryResult CheckHistoryWithWgl(const History& history, uint64_t step_budget);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_WGL_LINEARIZABILITY_H_
