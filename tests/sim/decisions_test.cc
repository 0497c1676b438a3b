// The decision layer (sim/decisions.h): random mode takes the natural value, recording keeps
// every decision with a choice, a source's value is clamped, replay follows each stream's own
// cursor and gives 0 once a stream runs out, and same-instant order picks among the due events.
#include "sim/decisions.h"

#include <gtest/gtest.h>

#include <vector>

#include "service/node_id.h"
#include "sim/event_queue.h"
#include "sim/network.h"

namespace locksim::sim {
namespace {

using service::kBackupNode;
using service::kPrimaryNode;

TEST(DecisionKind, NamesRoundTrip) {
  for (int i = 0; i < kDecisionKindCount; ++i) {
    const auto kind = static_cast<DecisionKind>(i);
    EXPECT_EQ(DecisionKindByName(DecisionKindName(kind)), kind) << DecisionKindName(kind);
  }
  EXPECT_FALSE(DecisionKindByName("teleport").has_value());
}

TEST(DecisionStream, NamesRoundTrip) {
  const std::vector<DecisionStream> streams = {
      DecisionStream::Link(kPrimaryNode, service::ClientNode(2)),
      DecisionStream::Link(service::ClientNode(0), kBackupNode),
      DecisionStream::Workload(2),
      DecisionStream::Plan(),
      DecisionStream::Injection(kPrimaryNode),
      DecisionStream::Injection(kBackupNode),
      DecisionStream::Order()};
  for (const DecisionStream& stream : streams) {
    EXPECT_EQ(DecisionStream::Parse(stream.Name(), 3), stream) << stream.Name();
  }
  EXPECT_EQ(DecisionStream::Link(kPrimaryNode, service::ClientNode(2)).Name(),
            "link primary>client2");
  EXPECT_EQ(DecisionStream::Workload(1).Name(), "workload client1");
  EXPECT_EQ(DecisionStream::Injection(kBackupNode).Name(), "inject backup");
  for (const char* bad :
       {"", "link", "link primary", "link primary>primary", "link primary>client3",
        "workload primary", "workload client9", "inject client0", "plan x", "orders"}) {
    EXPECT_FALSE(DecisionStream::Parse(bad, 3).has_value()) << bad;
  }
}

TEST(DecisionStream, KeysOrderByKindThenNodes) {
  EXPECT_LT(DecisionStream::Link(0, 1).key(), DecisionStream::Link(0, 2).key());
  EXPECT_LT(DecisionStream::Link(0, 2).key(), DecisionStream::Link(1, 0).key());
  EXPECT_LT(DecisionStream::Link(5, 4).key(), DecisionStream::Workload(0).key());
  EXPECT_NE(DecisionStream::Injection(0).key(), DecisionStream::Injection(1).key());
}

// A source that answers a fixed value and counts the natural values it was offered.
class FixedSource : public DecisionSource {
 public:
  explicit FixedSource(uint64_t value) : value_(value) {}
  uint64_t Choose(DecisionStream, DecisionKind, uint64_t,
                  absl::FunctionRef<uint64_t()> natural) override {
    naturals_.push_back(natural());
    return value_;
  }
  const std::vector<uint64_t>& naturals() const { return naturals_; }

 private:
  uint64_t value_;
  std::vector<uint64_t> naturals_;
};

TEST(Decisions, RandomModeTakesTheNaturalValueAndRecordsOnlyChoices) {
  std::vector<DecisionRecord> records;
  const Decisions recording(nullptr, &records);
  EXPECT_EQ(recording.Decide(DecisionStream::Plan(), DecisionKind::kFaultCount, 10,
                             [] { return uint64_t{7}; }),
            7u);
  // One possible value: nothing to record.
  EXPECT_EQ(recording.Decide(DecisionStream::Plan(), DecisionKind::kFaultTime, 1,
                             [] { return uint64_t{0}; }),
            0u);
  EXPECT_TRUE(
      recording.DecideYes(DecisionStream::Plan(), DecisionKind::kFireFault, [] { return true; }));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], (DecisionRecord{DecisionStream::Plan(), DecisionKind::kFaultCount, 10, 7}));
  EXPECT_EQ(records[1], (DecisionRecord{DecisionStream::Plan(), DecisionKind::kFireFault, 2, 1}));

  const Decisions plain;
  EXPECT_TRUE(plain.plain());
  EXPECT_FALSE(recording.plain());
  EXPECT_FALSE(plain.wants_order_decisions());
  EXPECT_EQ(
      plain.Decide(DecisionStream::Order(), DecisionKind::kLatency, 5, [] { return uint64_t{4}; }),
      4u);
}

TEST(Decisions, ASourcesValueIsClampedAndRecorded) {
  FixedSource source(99);
  std::vector<DecisionRecord> records;
  const Decisions decisions(&source, &records);
  EXPECT_EQ(decisions.Decide(DecisionStream::Workload(0), DecisionKind::kLockChoice, 3,
                             [] { return uint64_t{1}; }),
            2u);
  // A one-value decision is not offered to the source, but its natural draw happens.
  int draws = 0;
  EXPECT_EQ(decisions.Decide(DecisionStream::Workload(0), DecisionKind::kLockChoice, 1,
                             [&] {
                               ++draws;
                               return uint64_t{0};
                             }),
            0u);
  EXPECT_EQ(draws, 1);
  EXPECT_EQ(source.naturals(), std::vector<uint64_t>{1});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].value, 2u);
}

// A source that chooses only drops.
class DropsOnlySource : public FixedSource {
 public:
  DropsOnlySource() : FixedSource(1) {}
  bool Chooses(DecisionKind kind) const override { return kind == DecisionKind::kDrop; }
};

TEST(Decisions, KindsTheSourceDoesNotChooseTakeTheirNaturalValueWithoutAsking) {
  DropsOnlySource source;
  const Decisions decisions(&source, nullptr);
  Prng rng(5);
  Prng same(5);
  const DurationRange range{Duration::Micros(10), Duration::Micros(90)};
  EXPECT_EQ(DecideDuration(decisions, DecisionStream::Link(kPrimaryNode, kBackupNode),
                           DecisionKind::kLatency, range, rng),
            same.DurationIn(range))
      << "the natural draw, from the same stream";
  EXPECT_EQ(decisions.Decide(DecisionStream::Workload(0), DecisionKind::kLockChoice, 3,
                             [] { return uint64_t{2}; }),
            2u);
  EXPECT_TRUE(source.naturals().empty()) << "the source was never asked";
  EXPECT_EQ(decisions.Decide(DecisionStream::Link(kPrimaryNode, kBackupNode), DecisionKind::kDrop,
                             2, [] { return uint64_t{0}; }),
            1u);
  EXPECT_EQ(source.naturals(), std::vector<uint64_t>{0});

  // Recording sees every kind, whatever the source chooses.
  std::vector<DecisionRecord> records;
  const Decisions recording(&source, &records);
  recording.Decide(DecisionStream::Workload(0), DecisionKind::kLockChoice, 3,
                   [] { return uint64_t{2}; });
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].kind, DecisionKind::kLockChoice);
}

TEST(DecisionList, GroupsRecordsByStreamInOrder) {
  const std::vector<DecisionRecord> records = {
      {DecisionStream::Workload(1), DecisionKind::kThinkTime, 10, 3},
      {DecisionStream::Plan(), DecisionKind::kFaultCount, 5, 4},
      {DecisionStream::Workload(1), DecisionKind::kLockChoice, 2, 1},
  };
  const DecisionList list = DecisionList::FromRecords(records);
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(list.streams().size(), 2u);
  const std::vector<DecisionList::Entry>* client1 = list.Find(DecisionStream::Workload(1));
  ASSERT_NE(client1, nullptr);
  EXPECT_EQ(*client1, (std::vector<DecisionList::Entry>{{DecisionKind::kThinkTime, 10, 3},
                                                        {DecisionKind::kLockChoice, 2, 1}}));
  EXPECT_EQ(list.Find(DecisionStream::Workload(0)), nullptr);
}

TEST(ReplaySource, EachStreamHasItsOwnCursorClampsAndRunsOutToZero) {
  DecisionList list;
  list.Append(DecisionStream::Workload(0), {DecisionKind::kThinkTime, 100, 40});
  list.Append(DecisionStream::Workload(0), {DecisionKind::kLockChoice, 8, 7});
  list.Append(DecisionStream::Workload(1), {DecisionKind::kThinkTime, 100, 11});
  ReplaySource replay(list);
  const Decisions decisions(&replay, nullptr);
  EXPECT_FALSE(decisions.wants_order_decisions()) << "the list has no order decisions";
  const auto never = []() -> uint64_t {
    ADD_FAILURE() << "replay must not draw";
    return 0;
  };
  // Interleaving the streams does not matter: each keeps its own place.
  EXPECT_EQ(decisions.Decide(DecisionStream::Workload(1), DecisionKind::kThinkTime, 100, never),
            11u);
  EXPECT_EQ(decisions.Decide(DecisionStream::Workload(0), DecisionKind::kThinkTime, 100, never),
            40u);
  // Clamped to this run's bound.
  EXPECT_EQ(decisions.Decide(DecisionStream::Workload(0), DecisionKind::kLockChoice, 3, never), 2u);
  // Used up, or never recorded: zero.
  EXPECT_EQ(decisions.Decide(DecisionStream::Workload(0), DecisionKind::kUnlockChoice, 2, never),
            0u);
  EXPECT_EQ(decisions.Decide(DecisionStream::Workload(1), DecisionKind::kLockChoice, 3, never), 0u);
  EXPECT_EQ(decisions.Decide(DecisionStream::Plan(), DecisionKind::kFaultCount, 9, never), 0u);
}

TEST(ReplaySource, AsksForOrderDecisionsWhenTheListHasThem) {
  DecisionList list;
  list.Append(DecisionStream::Order(), {DecisionKind::kSimultaneousOrder, 3, 1});
  ReplaySource replay(list);
  EXPECT_TRUE(Decisions(&replay, nullptr).wants_order_decisions());
}

TEST(EventQueue, PopNextChoosingPicksAmongSimultaneousEventsAndKeepsTheRest) {
  EventQueue queue;
  const Time t = Time::FromMicros(10);
  queue.Schedule(Time::FromMicros(20), EventPayload{0, -1, 99});
  for (uint64_t i = 0; i < 4; ++i) queue.Schedule(t, EventPayload{0, -1, i});
  queue.Cancel(EventId{2});  // the event with data 1
  size_t offered = 0;
  const std::optional<QueuedEvent> chosen =
      queue.PopNextChoosing([&](std::span<const QueuedEvent> due) {
        offered = due.size();
        EXPECT_EQ(due[1].payload.data, 2u);
        return size_t{1};
      });
  ASSERT_TRUE(chosen.has_value());
  EXPECT_EQ(offered, 3u) << "the cancelled event is not offered";
  EXPECT_EQ(chosen->payload.data, 2u);  // live events in order: 0, 2, 3
  EXPECT_EQ(queue.PopNext()->payload.data, 0u);
  EXPECT_EQ(queue.PopNext()->payload.data, 3u);
  // One event due: no choice to make.
  const std::optional<QueuedEvent> last =
      queue.PopNextChoosing([](std::span<const QueuedEvent>) -> size_t {
        ADD_FAILURE() << "nothing to choose";
        return 0;
      });
  EXPECT_EQ(last->payload.data, 99u);
  EXPECT_FALSE(
      queue.PopNextChoosing([](std::span<const QueuedEvent>) { return size_t{0}; }).has_value());
}

NetworkConfig Lossy() {
  NetworkConfig config;
  config.latency = {Duration::Millis(1), Duration::Millis(10)};
  for (ChannelFaults& faults : config.channels) {
    faults.drop = Probability::FromDouble(0.2);
    faults.duplicate = Probability::FromDouble(0.2);
  }
  return config;
}

// Random mode takes the network's draws directly; recording goes through the decisions. Both
// must give the same fates, and the record must replay to them.
TEST(NetworkDecisions, RecordingAndReplayGiveThePlainFates) {
  std::vector<DecisionRecord> records;
  Network plain(Lossy(), 3, Prng(11));
  Network recording(Lossy(), 3, Prng(11), Decisions(nullptr, &records));
  std::vector<MessageFate> fates;
  for (int i = 0; i < 500; ++i) {
    const int from = i % 3;
    const int to = (i + 1) % 3;
    const MessageFate a = plain.Decide(from, to, Channel::kReply);
    const MessageFate b = recording.Decide(from, to, Channel::kReply);
    ASSERT_EQ(a.outcome, b.outcome) << i;
    ASSERT_EQ(a.copies, b.copies) << i;
    ASSERT_EQ(a.latency, b.latency) << i;
    ASSERT_EQ(plain.RefusalLatency(to, from), recording.RefusalLatency(to, from)) << i;
    fates.push_back(a);
  }
  const DecisionList list = DecisionList::FromRecords(records);
  ReplaySource replay(list);
  Network replayed(Lossy(), 3, Prng(12345), Decisions(&replay, nullptr));
  for (int i = 0; i < 500; ++i) {
    const int from = i % 3;
    const int to = (i + 1) % 3;
    const MessageFate c = replayed.Decide(from, to, Channel::kReply);
    ASSERT_EQ(fates[static_cast<size_t>(i)].outcome, c.outcome) << i;
    ASSERT_EQ(fates[static_cast<size_t>(i)].latency, c.latency) << i;
    replayed.RefusalLatency(to, from);
  }
}

TEST(NetworkDecisions, AnEmptyListIsTheSimplestNetwork) {
  const DecisionList empty;
  ReplaySource replay(empty);
  Network network(Lossy(), 2, Prng(1), Decisions(&replay, nullptr));
  for (int i = 0; i < 50; ++i) {
    const MessageFate fate = network.Decide(0, 1, Channel::kRequest);
    EXPECT_EQ(fate.outcome, MessageFate::Outcome::kDelivered);
    EXPECT_EQ(fate.copies, 1);
    EXPECT_EQ(fate.latency[0], Duration::Millis(1));
  }
}

}  // namespace
}  // namespace locksim::sim
