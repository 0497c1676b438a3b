#include "sim/event_queue.h"

#include <gtest/gtest.h>

#include <vector>

#include "sim/prng.h"

namespace locksim::sim {
namespace {

EventPayload Tag(uint64_t data) { return EventPayload{0, -1, data}; }

std::vector<uint64_t> DrainData(EventQueue& queue) {
  std::vector<uint64_t> order;
  while (auto event = queue.PopNext()) order.push_back(event->payload.data);
  return order;
}

TEST(EventQueue, FiresInTimeOrderThenSchedulingOrder) {
  EventQueue queue;
  queue.Schedule(Time::FromMicros(30), Tag(1));
  queue.Schedule(Time::FromMicros(10), Tag(2));
  queue.Schedule(Time::FromMicros(30), Tag(3));
  queue.Schedule(Time::FromMicros(10), Tag(4));
  queue.Schedule(Time::FromMicros(20), Tag(5));
  EXPECT_EQ(DrainData(queue), (std::vector<uint64_t>{2, 4, 5, 1, 3}));
  EXPECT_EQ(queue.now(), Time::FromMicros(30));
}

TEST(EventQueue, CancelledEventsNeverFire) {
  EventQueue queue;
  const EventId a = queue.Schedule(Time::FromMicros(5), Tag(1));
  queue.Schedule(Time::FromMicros(6), Tag(2));
  const EventId c = queue.Schedule(Time::FromMicros(7), Tag(3));
  EXPECT_TRUE(queue.Cancel(a));
  EXPECT_FALSE(queue.Cancel(a)) << "cancelling twice reports that nothing was cancelled";
  EXPECT_TRUE(queue.Cancel(c));
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(DrainData(queue), (std::vector<uint64_t>{2}));
  EXPECT_TRUE(queue.empty());
}

TEST(EventQueue, CancellingAFiredEventDoesNothing) {
  EventQueue queue;
  const EventId a = queue.Schedule(Time::FromMicros(1), Tag(1));
  ASSERT_TRUE(queue.PopNext().has_value());
  EXPECT_FALSE(queue.Cancel(a));
  EXPECT_FALSE(queue.Cancel(EventId{12345})) << "unknown ids are ignored";
}

TEST(EventQueue, PeekSkipsCancelledTop) {
  EventQueue queue;
  const EventId a = queue.Schedule(Time::FromMicros(1), Tag(1));
  queue.Schedule(Time::FromMicros(9), Tag(2));
  queue.Cancel(a);
  EXPECT_EQ(queue.PeekTime(), Time::FromMicros(9));
}

// Against a sorted reference: random schedules and cancels, including events scheduled while
// draining, always come out sorted by (time, sequence).
TEST(EventQueue, MatchesSortedReferenceUnderRandomUse) {
  Prng prng(2024);
  for (int round = 0; round < 50; ++round) {
    EventQueue queue;
    std::vector<std::pair<int64_t, uint64_t>> expected;  // (time, sequence) of live events
    std::vector<EventId> ids;
    for (int i = 0; i < 200; ++i) {
      const int64_t at = prng.Between(0, 50);
      ids.push_back(queue.Schedule(Time::FromMicros(at), Tag(ids.size())));
      expected.emplace_back(at, ids.back().sequence);
    }
    for (int i = 0; i < 60; ++i) {
      const size_t victim = prng.Below(ids.size());
      if (queue.Cancel(ids[victim])) {
        std::erase_if(expected, [&](auto& e) { return e.second == ids[victim].sequence; });
      }
    }
    std::sort(expected.begin(), expected.end());
    std::vector<std::pair<int64_t, uint64_t>> got;
    while (auto event = queue.PopNext()) got.emplace_back(event->at.micros(), event->sequence);
    ASSERT_EQ(got, expected) << "round " << round;
  }
}

}  // namespace
}  // namespace locksim::sim
