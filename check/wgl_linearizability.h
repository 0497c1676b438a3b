// A general linearizability search: Wing & Gong's algorithm with Lowe's memoisation of
// (linearized set, model state). Exponential in time and memory in the worst case (each memoised
// configuration holds a bitset of the whole history), so it runs under a step budget and a memory
// budget, and reports kUndecided, saying which ran out, instead of hanging or being killed. It is
// the reference the greedy lock checker is tested against, and the engine for models other than
// the lock.
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

enum class Verdict : uint8_t { kLinearizable, kNotLinearizable, kUndecided };

// What ran out when the verdict is kUndecided.
enum class Exhausted : uint8_t { kNothing, kSteps, kMemory };

struct WglBudget {
  uint64_t steps = 50'000'000;
  // The search's own memory: its time-ordered list, its stack and its memo table (estimated
  // from their sizes and capacities, allocator overhead included), and for a whole history the
  // split into locks. Not the history itself.
  uint64_t memory_bytes = uint64_t{1} << 30;
};

struct WglOperation {
  int64_t invoke = 0;
  int64_t ret = kNeverReturned;  // kNeverReturned: pending, may or may not have taken effect
  int64_t input = 0;
  std::optional<int64_t> output;  // nullopt iff pending
};

struct WglOutcome {
  Verdict verdict = Verdict::kUndecided;
  Exhausted exhausted = Exhausted::kNothing;
  uint64_t steps = 0;
  uint64_t peak_memory_bytes = 0;  // the most the estimate reached
  // When linearizable: positions into the operations, in linearization order (pending
  // operations left out do not appear).
  std::vector<uint32_t> order;
};

// Real-time order is strict (a.ret < b.invoke); equal timestamps are concurrent.
WglOutcome RunWgl(std::span<const WglOperation> ops, const SequentialModel& model,
                  const WglBudget& budget);

// The lock operations of one lock, as WGL operations.
std::vector<WglOperation> ToWglOperations(std::span<const LockOpRecord> ops);

struct WglHistoryResult {
  Verdict verdict = Verdict::kLinearizable;
  Exhausted exhausted = Exhausted::kNothing;
  // The first lock (by name) that is not linearizable, or on which the search was undecided.
  std::string lock;
  uint64_t steps = 0;
  uint64_t peak_memory_bytes = 0;
};

// Splits the history by lock and searches each lock, spending at most `budget.steps` steps in
// all and never holding more than `budget.memory_bytes` at once.
WglHistoryResult CheckHistoryWithWgl(const History& history, const WglBudget& budget);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_WGL_LINEARIZABILITY_H_
