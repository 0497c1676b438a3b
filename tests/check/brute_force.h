// An exhaustive linearizability search, written independently of check/ so that it can serve as
// the reference the fast checkers are property-tested against. It tries every subset of the
// pending operations and every order that respects real time, on all locks at once (it does
// not even assume that locks are independent). Exponential: for histories of a handful of
// operations only.
#ifndef LOCKSIM_TESTS_CHECK_BRUTE_FORCE_H_
#define LOCKSIM_TESTS_CHECK_BRUTE_FORCE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "check/history.h"

namespace locksim::check::testing {

class BruteForce {
 public:
  // `held_at_start`: locks that start held (in a history all locks start free).
  explicit BruteForce(const History& history, std::map<std::string, bool> held_at_start = {})
      : ops_(history.operations), state_(std::move(held_at_start)) {}

  bool Linearizable() {
    const size_t n = ops_.size();
    std::vector<size_t> pending;
    for (size_t i = 0; i < n; ++i) {
      if (ops_[i].pending()) pending.push_back(i);
    }
    // Every subset of the pending operations may have taken effect.
    for (uint32_t mask = 0; mask < (1u << pending.size()); ++mask) {
      included_.assign(n, true);
      for (size_t k = 0; k < pending.size(); ++k) {
        if ((mask >> k & 1u) == 0) included_[pending[k]] = false;
      }
      placed_.assign(n, false);
      if (Search()) return true;
    }
    return false;
  }

 private:
  static bool Before(const HistoryOperation& a, const HistoryOperation& b) {
    return a.ret.has_value() && *a.ret < b.invoke;  // strict: equal times are concurrent
  }

  bool Search() {
    bool all_placed = true;
    for (size_t i = 0; i < ops_.size(); ++i) {
      if (!included_[i] || placed_[i]) continue;
      all_placed = false;
      bool may_go = true;
      for (size_t j = 0; j < ops_.size() && may_go; ++j) {
        if (j != i && included_[j] && !placed_[j] && Before(ops_[j], ops_[i])) may_go = false;
      }
      if (!may_go) continue;
      const HistoryOperation& op = ops_[i];
      bool& held = state_[op.lock];
      const bool before = held;
      const bool result = op.op == LockOp::kLock ? !held : held;
      if (op.result.has_value() && *op.result != result) continue;
      held = op.op == LockOp::kLock;
      placed_[i] = true;
      if (Search()) return true;
      placed_[i] = false;
      state_[op.lock] = before;
    }
    return all_placed;
  }

  const std::vector<HistoryOperation>& ops_;
  std::map<std::string, bool> state_;
  std::vector<bool> included_;
  std::vector<bool> placed_;
};

inline bool BruteForceLinearizable(const History& history,
                                   std::map<std::string, bool> held_at_start = {}) {
  return BruteForce(history, std::move(held_at_start)).Linearizable();
}

}  // namespace locksim::check::testing

#endif  // LOCKSIM_TESTS_CHECK_BRUTE_FORCE_H_
