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

}  // namespace

WglOutcome RunWgl(std::span<const WglOperation> ops, const SequentialModel& model,
                  uint64_t step_budget) {
  WglOutcome outcome;
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

  std::vector<uint64_t> linearized((ops.size() + 63) / 64, 0);
  absl::flat_hash_set<CacheKey> cache;
  struct Frame {
    uint32_t call;
    uint64_t state_before;
  };
  std::vector<Frame> stack;
  uint64_t state = model.InitialState();
  uint32_t entry = entries[0].next;

  while (true) {
    if (completed_left == 0) {
      outcome.verdict = Verdict::kLinearizable;
      for (const Frame& frame : stack) outcome.order.push_back(entries[frame.call].op);
      return outcome;
    }
    if (outcome.steps++ >= step_budget) {
      outcome.verdict = Verdict::kGaveUp;
      return outcome;
    }
    if (entry != kNone && entries[entry].is_call) {
      const WglOperation& op = ops[entries[entry].op];
      const std::optional<uint64_t> next_state = model.Step(state, op.input, op.output);
      if (next_state.has_value()) {
        const uint32_t bit = entries[entry].op;
        linearized[bit / 64] |= uint64_t{1} << (bit % 64);
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

WglHistoryResult CheckHistoryWithWgl(const History& history, uint64_t step_budget) {
  WglHistoryResult result;
  const LockModel model;
  for (const LockHistory& lock : SplitByLock(history)) {
    const std::vector<WglOperation> ops = ToWglOperations(lock.ops);
    const WglOutcome outcome = RunWgl(ops, model, step_budget - result.steps);
    result.steps += outcome.steps;
    if (outcome.verdict != Verdict::kLinearizable) {
      result.verdict = outcome.verdict;
      result.lock = std::string(lock.lock);
      return result;
    }
  }
  return result;
}

}  // namespace locksim::check
