// Random small histories for property tests, from splitmix64 (base/splitmix64.h; never
// std::random, whose output differs between standard libraries).
#ifndef LOCKSIM_TESTS_CHECK_HISTORY_GENERATOR_H_
#define LOCKSIM_TESTS_CHECK_HISTORY_GENERATOR_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/splitmix64.h"
#include "check/history.h"

namespace locksim::check::testing {

class TestRng {
 public:
  explicit TestRng(uint64_t seed) : bits_(seed) {}
  uint64_t Next() { return bits_.Next(); }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }
  bool OneIn(int64_t n) { return Below(n) == 0; }

 private:
  SplitMix64 bits_;
};

struct GeneratorOptions {
  int max_ops = 7;
  int locks = 1;
  int clients = 3;
  int64_t time_span = 12;  // small: equal timestamps are common
  int pending_one_in = 4;  // about one operation in four is pending
};

// Operations with arbitrary intervals and arbitrary results: mostly not linearizable.
inline History ArbitraryHistory(TestRng& rng, const GeneratorOptions& o) {
  History h;
  const int n = 1 + static_cast<int>(rng.Below(o.max_ops));
  for (int i = 0; i < n; ++i) {
    HistoryOperation op;
    op.client = rng.Below(o.clients);
    op.op = rng.OneIn(2) ? LockOp::kLock : LockOp::kUnlock;
    op.lock = std::string(1, static_cast<char>('a' + rng.Below(o.locks)));
    op.invoke = rng.Below(o.time_span);
    if (!rng.OneIn(o.pending_one_in)) {
      op.ret = op.invoke + rng.Below(o.time_span / 2 + 1);
      op.result = rng.OneIn(2);
    }
    h.operations.push_back(op);
  }
  return h;
}

// Operations that really ran against one correct lock per name, each taking effect at a point
// inside its interval (pending ones took effect or not): always linearizable. Often perturbed
// afterwards (one result flipped, one interval moved) to produce near misses.
inline History CorrectLockHistory(TestRng& rng, const GeneratorOptions& o, bool perturb = true) {
  struct Planned {
    HistoryOperation op;
    int64_t point;
    bool takes_effect;
  };
  std::vector<Planned> planned;
  const int n = 1 + static_cast<int>(rng.Below(o.max_ops));
  for (int i = 0; i < n; ++i) {
    Planned p;
    p.op.client = rng.Below(o.clients);
    p.op.op = rng.OneIn(2) ? LockOp::kLock : LockOp::kUnlock;
    p.op.lock = std::string(1, static_cast<char>('a' + rng.Below(o.locks)));
    p.op.invoke = rng.Below(o.time_span);
    const int64_t ret = p.op.invoke + rng.Below(o.time_span / 2 + 1);
    p.point = p.op.invoke + rng.Below(ret - p.op.invoke + 1);
    const bool pending = rng.OneIn(o.pending_one_in);
    p.takes_effect = !pending || rng.OneIn(2);
    if (!pending) p.op.ret = ret;
    planned.push_back(p);
  }
  // Apply in linearization-point order (ties: generation order, a valid choice among equals).
  std::vector<size_t> order(planned.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return planned[a].point < planned[b].point; });
  std::map<std::string, bool> held;
  for (size_t i : order) {
    Planned& p = planned[i];
    if (!p.takes_effect) continue;
    bool& h = held[p.op.lock];
    const bool result = p.op.op == LockOp::kLock ? !h : h;
    h = p.op.op == LockOp::kLock;
    if (p.op.ret.has_value()) p.op.result = result;
  }
  History history;
  for (Planned& p : planned) history.operations.push_back(p.op);
  if (perturb && rng.OneIn(3)) {
    // Near miss: flip one result or stretch one interval.
    HistoryOperation& victim = history.operations[static_cast<size_t>(rng.Below(n))];
    if (victim.result.has_value() && rng.OneIn(2)) {
      victim.result = !*victim.result;
    } else if (victim.ret.has_value()) {
      victim.ret = *victim.ret + rng.Below(o.time_span);
    }
  }
  return history;
}

}  // namespace locksim::check::testing

#endif  // LOCKSIM_TESTS_CHECK_HISTORY_GENERATOR_H_
