#include "sim/event_queue.h"

#include <algorithm>

#include "base/assert.h"

namespace locksim::sim {
namespace {

// std::push_heap builds a max-heap; "greater" puts the earliest (time, sequence) on top.
struct Later {
  bool operator()(const QueuedEvent& a, const QueuedEvent& b) const {
    if (a.at != b.at) return a.at > b.at;
    return a.sequence > b.sequence;
  }
};

}  // namespace

EventId EventQueue::Schedule(Time at, EventPayload payload) {
  LOCKSIM_ASSERT(at >= last_popped_);
  const uint64_t sequence = next_sequence_++;
  heap_.push_back(QueuedEvent{at, sequence, payload});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  state_.push_back(State::kPending);
  ++live_count_;
  return EventId{sequence};
}

bool EventQueue::Cancel(EventId id) {
  if (id.sequence >= state_.size() || state_[id.sequence] != State::kPending) return false;
  state_[id.sequence] = State::kDone;
  --live_count_;
  return true;
}

void EventQueue::DropCancelledTop() {
  while (!heap_.empty() && state_[heap_.front().sequence] == State::kDone) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    heap_.pop_back();
  }
}

std::optional<QueuedEvent> EventQueue::PopNext() {
  DropCancelledTop();
  if (heap_.empty()) return std::nullopt;
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  QueuedEvent event = heap_.back();
  heap_.pop_back();
  state_[event.sequence] = State::kDone;
  --live_count_;
  LOCKSIM_ASSERT(event.at >= last_popped_);
  last_popped_ = event.at;
  return event;
}

std::optional<QueuedEvent> EventQueue::PopNextChoosing(absl::FunctionRef<size_t(size_t)> choose) {
  DropCancelledTop();
  if (heap_.empty()) return std::nullopt;
  const Time at = heap_.front().at;
  simultaneous_.clear();
  while (!heap_.empty() && heap_.front().at == at) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    if (state_[heap_.back().sequence] == State::kPending) simultaneous_.push_back(heap_.back());
    heap_.pop_back();
  }
  const size_t chosen = simultaneous_.size() > 1 ? choose(simultaneous_.size()) : 0;
  LOCKSIM_ASSERT(chosen < simultaneous_.size());
  for (size_t i = 0; i < simultaneous_.size(); ++i) {
    if (i == chosen) continue;
    heap_.push_back(simultaneous_[i]);
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }
  const QueuedEvent event = simultaneous_[chosen];
  state_[event.sequence] = State::kDone;
  --live_count_;
  LOCKSIM_ASSERT(event.at >= last_popped_);
  last_popped_ = event.at;
  return event;
}

std::optional<Time> EventQueue::PeekTime() {
  DropCancelledTop();
  if (heap_.empty()) return std::nullopt;
  return heap_.front().at;
}

}  // namespace locksim::sim
