#include "check/greedy_lock_checker.h"

#include <algorithm>

#include "base/assert.h"

namespace locksim::check {

uint32_t GreedyLockAutomaton::MoveHeap::Pop(bool recording) {
  const uint32_t top_position = recording ? positions_.front() : 0;
  const int64_t last = returns_.back();
  const uint32_t last_position = recording ? positions_.back() : 0;
  returns_.pop_back();
  if (recording) positions_.pop_back();
  const size_t size = returns_.size();
  if (size == 0) return top_position;
  // Sift the last element down from the root.
  size_t hole = 0;
  for (size_t child = 1; child < size; child = 2 * hole + 1) {
    // The smaller child, without a branch (which mispredicted often): past the end, compare the
    // left child with itself.
    child += returns_[std::min(child + 1, size - 1)] < returns_[child] ? 1 : 0;
    if (last <= returns_[child]) break;
    Move(child, hole, recording);
    hole = child;
  }
  returns_[hole] = last;
  if (recording) positions_[hole] = last_position;
  return top_position;
}

GreedyLockAutomaton::GreedyLockAutomaton(LockState initial, std::vector<uint32_t>* order)
    : state_(initial), order_(order) {
  if (order_ != nullptr) order_->clear();
}

bool GreedyLockAutomaton::Step() {
  const bool placed = PlaceNext();
  bound_ = Bound();
  return placed;
}

bool GreedyLockAutomaton::PlaceNext() {
  const bool free = state_ == LockState::kFree;
  StayGroup& stays = free ? unlock_false_ : lock_false_;
  if (stays.count > 0) {
    // Stays never change the state, so all of them go now, in any order.
    if (order_ != nullptr) {
      order_->insert(order_->end(), stays.positions.begin(), stays.positions.end());
      stays.positions.clear();
    }
    unplaced_completed_ -= stays.count;
    stays.count = 0;
    stays.min_return = kNeverReturned;
    return true;
  }
  const LockState next = free ? LockState::kHeld : LockState::kFree;
  MoveHeap& moves = free ? lock_true_ : unlock_true_;
  if (!moves.empty()) {
    const uint32_t position = moves.Pop(order_ != nullptr);
    --unplaced_completed_;
    if (order_ != nullptr) order_->push_back(position);
    state_ = next;
    return true;
  }
  PendingGroup& pending = free ? pending_lock_ : pending_unlock_;
  if (pending.count > 0) {
    --pending.count;
    if (order_ != nullptr) {
      order_->push_back(pending.positions.back());
      pending.positions.pop_back();
    }
    state_ = next;
    return true;
  }
  outcome_ = GreedyOutcome{.linearizable = false, .stuck_state = state_, .stuck_bound = Bound()};
  return false;
}

bool GreedyLockAutomaton::Finish() {
  LOCKSIM_ASSERT(outcome_.linearizable);
  // Every step places an operation, so this ends.
  while (unplaced_completed_ > 0) {
    if (!Step()) return false;
  }
  return true;
}

GreedyOutcome RunGreedyLockChecker(std::span<const LockOpRecord> ops, LockState initial,
                                   std::vector<uint32_t>* order) {
  GreedyLockAutomaton automaton(initial, order);
  for (size_t p = 0; p < ops.size(); ++p) {
    const LockOpRecord& op = ops[p];
    LOCKSIM_ASSERT(p == 0 || ops[p - 1].invoke <= op.invoke);
    if (!automaton.Admit(op.invoke, op.ret, op.op_class, static_cast<uint32_t>(p))) {
      return automaton.outcome();
    }
  }
  automaton.Finish();
  return automaton.outcome();
}

}  // namespace locksim::check
