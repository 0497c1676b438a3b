// The event queue: a total order of future events by (time, sequence number). Two events at the
// same virtual time fire in the order they were scheduled, so the order never depends on
// pointers, hashing or the heap's internals. Cancellation is lazy: a cancelled event stays in the
// heap and is skipped when it reaches the top, which keeps Schedule and Cancel O(log n) and O(1).
#ifndef LOCKSIM_SIM_EVENT_QUEUE_H_
#define LOCKSIM_SIM_EVENT_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/functional/function_ref.h"
#include "sim/time.h"

namespace locksim::sim {

// What an event is about. The queue does not interpret it; the world dispatches on `kind`.
struct EventPayload {
  uint8_t kind = 0;
  int32_t node = -1;
  uint64_t data = 0;
};

// Identifies a scheduled event for cancellation; it is the event's sequence number.
struct EventId {
  uint64_t sequence = 0;
  bool operator==(const EventId&) const = default;
};

struct QueuedEvent {
  Time at;
  uint64_t sequence = 0;
  EventPayload payload;
};

class EventQueue {
 public:
  // REQUIRES: `at` is not before the time of the last event popped (no scheduling in the past).
  EventId Schedule(Time at, EventPayload payload);
  // Cancels a scheduled event. Returns false (and does nothing) if it already fired or was
  // cancelled before.
  bool Cancel(EventId id);
  // Removes and returns the earliest live event, or nullopt when none is left.
  std::optional<QueuedEvent> PopNext();
  // Like PopNext, but when k > 1 live events share the earliest time, `choose(k)` (< k) picks
  // which of them, counted in (time, sequence) order, fires now; the others stay queued with
  // their sequence numbers. choose is not called when only one event is due.
  std::optional<QueuedEvent> PopNextChoosing(absl::FunctionRef<size_t(size_t)> choose);
  // The time of the earliest live event, or nullopt.
  std::optional<Time> PeekTime();

  bool empty() const { return live_count_ == 0; }
  size_t size() const { return live_count_; }
  Time now() const { return last_popped_; }
  uint64_t scheduled_total() const { return next_sequence_; }

 private:
  enum class State : uint8_t { kPending, kDone };
  void DropCancelledTop();

  std::vector<QueuedEvent> heap_;
  // Per sequence number: whether the event is still to fire. Sequence numbers are dense, so a
  // flat vector beats a set; its size is bounded by the run's event budget.
  std::vector<State> state_;
  std::vector<QueuedEvent> simultaneous_;  // PopNextChoosing's scratch
  uint64_t next_sequence_ = 0;
  size_t live_count_ = 0;
  Time last_popped_;
};

}  // namespace locksim::sim

#endif  // LOCKSIM_SIM_EVENT_QUEUE_H_
