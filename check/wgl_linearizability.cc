#include "check/wgl_linearizability.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "base/assert.h"

namespace locksim::check {
namespace {

// One entry of the time-ordered list: the call or the return of an operation.
struct Entry {
  uint32_t op = 0;
  bool is_call = true;
  int64_t time = 0;
  uint32_t match = 0;  // call: its return entry (or kNone); return: its call entry
  uint32_t prev = 0;
  uint32_t next = 0;
};

constexpr uint32_t kNone = 0xffffffffu;

struct CacheKey {
  std::vector<uint64_t> linearized;
  uint64_t state;
  bool operator==(const CacheKey&) const = default;
  template <typename H>
  friend H AbslHashValue(H h, const CacheKey& key) {
    return H::combine(std::move(h), key.linearized, key.state);
  }
};

// What the memo table costs: a flat_hash_set keeps one control byte and one slot per unit of
// capacity, and each key owns a heap block for its bitset (plus the allocator's header).
constexpr uint64_t kSlotBytes = sizeof(CacheKey) + 1;
constexpr uint64_t kAllocationOverheadBytes = 16;

uint64_t MemoBytes(uint64_t capacity, uint64_t keys, uint64_t words) {
  return capacity * kSlotBytes + keys * (words * sizeof(uint64_t) + kAllocationOverheadBytes);
}

// The capacity a flat_hash_set will have after one more insertion (it grows by doubling when
// more than 7/8 full; never less than what is asked for).
uint64_t CapacityAfterInsert(uint64_t capacity, uint64_t size) {
  if (capacity == 0) return 1;
  return (size + 1) * 8 > capacity * 7 ? capacity * 2 + 1 : capacity;
}

}  // namespace

WglOutcome RunWgl(std::span<const WglOperation> ops, const SequentialModel& model,
                  const WglBudget& budget) {
  WglOutcome outcome;
  const uint64_t words = (ops.size() + 63) / 64;
  struct Frame {
    uint32_t call;
    uint64_t state_before;
  };
  // The arrays built before the search: the list, its sort keys, the index, the bitset, and the
  // stack at its deepest (one frame per operation).
  const uint64_t fixed_bytes =
      (2 * ops.size() + 1) * sizeof(Entry) +
      2 * ops.size() * (sizeof(std::pair<std::pair<int64_t, int>, uint32_t>) + sizeof(uint32_t)) +
      words * sizeof(uint64_t) + ops.size() * sizeof(Frame);
  outcome.peak_memory_bytes = fixed_bytes;
  if (fixed_bytes > budget.memory_bytes) {
    outcome.exhausted = Exhausted::kMemory;
    return outcome;
  }
  // Entry 0 is the list head (a sentinel); real entries follow, ordered by time with calls before
  // returns at equal times, because equal timestamps are concurrent.
  std::vector<Entry> entries(1);
  std::vector<std::pair<std::pair<int64_t, int>, uint32_t>> keys;
  size_t completed_left = 0;
  for (uint32_t i = 0; i < ops.size(); ++i) {
    LOCKSIM_ASSERT(ops[i].ret >= ops[i].invoke);
    keys.push_back({{ops[i].invoke, 0}, 2 * i});
    if (ops[i].output.has_value()) {
      keys.push_back({{ops[i].ret, 1}, 2 * i + 1});
      ++completed_left;
    }
  }
  std::sort(keys.begin(), keys.end());
  std::vector<uint32_t> entry_of(2 * ops.size(), kNone);
  for (const auto& [time_kind, id] : keys) {
    Entry entry;
    entry.op = id / 2;
    entry.is_call = id % 2 == 0;
    entry.time = time_kind.first;
    entry_of[id] = static_cast<uint32_t>(entries.size());
    entries.push_back(entry);
  }
  for (uint32_t e = 0; e < entries.size(); ++e) {
    entries[e].prev = e == 0 ? kNone : e - 1;
    entries[e].next = e + 1 < entries.size() ? e + 1 : kNone;
  }
  for (uint32_t e = 1; e < entries.size(); ++e) {
    const uint32_t op = entries[e].op;
    entries[e].match = entries[e].is_call ? entry_of[2 * op + 1] : entry_of[2 * op];
  }

  const auto unlink = [&](uint32_t e) {
    entries[entries[e].prev].next = entries[e].next;
    if (entries[e].next != kNone) entries[entries[e].next].prev = entries[e].prev;
  };
  const auto relink = [&](uint32_t e) {
    entries[entries[e].prev].next = e;
    if (entries[e].next != kNone) entries[entries[e].next].prev = e;
  };
  // Lifting a call removes it and its return; unlifting restores them in reverse order.
  const auto lift = [&](uint32_t call) {
    unlink(call);
    if (entries[call].match != kNone) unlink(entries[call].match);
  };
  const auto unlift = [&](uint32_t call) {
    if (entries[call].match != kNone) relink(entries[call].match);
    relink(call);
  };

  std::vector<uint64_t> linearized(words, 0);
  absl::flat_hash_set<CacheKey> cache;
  std::vector<Frame> stack;
  uint64_t state = model.InitialState();
  uint32_t entry = entries[0].next;

  while (true) {
    if (completed_left == 0) {
      outcome.verdict = Verdict::kLinearizable;
      for (const Frame& frame : stack) outcome.order.push_back(entries[frame.call].op);
      return outcome;
    }
    if (outcome.steps++ >= budget.steps) {
      outcome.exhausted = Exhausted::kSteps;
      return outcome;
    }
    if (entry != kNone && entries[entry].is_call) {
      const WglOperation& op = ops[entries[entry].op];
      const std::optional<uint64_t> next_state = model.Step(state, op.input, op.output);
      if (next_state.has_value()) {
        const uint32_t bit = entries[entry].op;
        linearized[bit / 64] |= uint64_t{1} << (bit % 64);
        // Stop before an insertion would take the table past the budget (it may be a repeat and
        // cost nothing; that is not known before the lookup, and erring early is safe).
        const uint64_t bytes =
            fixed_bytes +
            MemoBytes(CapacityAfterInsert(cache.capacity(), cache.size()), cache.size() + 1, words);
        outcome.peak_memory_bytes = std::max(outcome.peak_memory_bytes, bytes);
        if (bytes > budget.memory_bytes) {
          outcome.exhausted = Exhausted::kMemory;
          return outcome;
        }
        if (cache.insert(CacheKey{linearized, *next_state}).second) {
          stack.push_back({entry, state});
          state = *next_state;
          if (op.output.has_value()) --completed_left;
          lift(entry);
          entry = entries[0].next;
          continue;
        }
        linearized[bit / 64] &= ~(uint64_t{1} << (bit % 64));
      }
      entry = entries[entry].next;
      continue;
    }
    // A return entry (or the end of the list): the operations before it cannot be extended.
    if (stack.empty()) {
      outcome.verdict = Verdict::kNotLinearizable;
      return outcome;
    }
    const Frame frame = stack.back();
    stack.pop_back();
    state = frame.state_before;
    const uint32_t bit = entries[frame.call].op;
    linearized[bit / 64] &= ~(uint64_t{1} << (bit % 64));
    if (ops[bit].output.has_value()) ++completed_left;
    unlift(frame.call);
    entry = entries[frame.call].next;
  }
}

std::vector<WglOperation> ToWglOperations(std::span<const LockOpRecord> ops) {
  std::vector<WglOperation> result;
  result.reserve(ops.size());
  for (const LockOpRecord& op : ops) {
    WglOperation w;
    w.invoke = op.invoke;
    w.ret = op.ret;
    switch (op.op_class) {
      case OpClass::kLockTrue:
        w.input = LockModel::kLockInput;
        w.output = 1;
        break;
      case OpClass::kLockFalse:
        w.input = LockModel::kLockInput;
        w.output = 0;
        break;
      case OpClass::kUnlockTrue:
        w.input = LockModel::kUnlockInput;
        w.output = 1;
        break;
      case OpClass::kUnlockFalse:
        w.input = LockModel::kUnlockInput;
        w.output = 0;
        break;
      case OpClass::kPendingLock:
        w.input = LockModel::kLockInput;
        w.ret = kNeverReturned;
        break;
      case OpClass::kPendingUnlock:
        w.input = LockModel::kUnlockInput;
        w.ret = kNeverReturned;
        break;
    }
    result.push_back(w);
  }
  return result;
}

WglHistoryResult CheckHistoryWithWgl(const History& history, const WglBudget& budget) {
  WglHistoryResult result;
  // The split: a record per operation (and a lock id per operation while splitting).
  const uint64_t split_bytes =
      history.operations.size() * (sizeof(LockOpRecord) + sizeof(uint32_t));
  result.peak_memory_bytes = split_bytes;
  if (split_bytes > budget.memory_bytes) {
    result.verdict = Verdict::kUndecided;
    result.exhausted = Exhausted::kMemory;
    return result;
  }
  const LockModel model;
  for (const LockHistory& lock : SplitByLock(history)) {
    const uint64_t ops_bytes = lock.ops.size() * sizeof(WglOperation);
    WglBudget left = budget;
    left.steps = budget.steps - result.steps;
    left.memory_bytes =
        budget.memory_bytes - std::min(budget.memory_bytes, split_bytes + ops_bytes);
    const std::vector<WglOperation> ops = ToWglOperations(lock.ops);
    const WglOutcome outcome = RunWgl(ops, model, left);
    result.steps += outcome.steps;
    result.peak_memory_bytes =
        std::max(result.peak_memory_bytes, split_bytes + ops_bytes + outcome.peak_memory_bytes);
    if (outcome.verdict != Verdict::kLinearizable) {
      result.verdict = outcome.verdict;
      result.exhausted = outcome.exhausted;
      result.lock = std::string(lock.lock);
      return result;
    }
  }
  return result;
}

}  // namespace locksim::check
