// Schedules (runner/schedule.h) and their sources: tokens read back as written and bad ones say
// why; the faults source places exactly its placements and logs every injection point; pct's
// priorities, change points and latencies follow its definition; swarm configurations stay in
// the failure model.
#include "runner/schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "runner/fault_schedule.h"
#include "runner/pct_schedule.h"
#include "runner/swarm.h"
#include "scenario/scenario_parser.h"

namespace locksim::runner {
namespace {

using service::kBackupNode;
using service::kPrimaryNode;
using sim::DecisionKind;
using sim::DecisionStream;

TEST(ScheduleToken, TokensReadBackAsWritten) {
  for (const char* token :
       {"faults:none", "faults:crash-primary@0", "faults:crash-backup@12", "faults:deaf@5",
        "faults:lose-reply@primary-to-client1:3", "faults:deaf@5+lose-reply@backup-to-client0:2",
        "faults:dup-request@client1-to-primary:4",
        "faults:crash-primary@9+dup-request@client0-to-backup:1", "pct:d3:n420", "pct:d1:n1",
        "swarm"}) {
    absl::StatusOr<Schedule> schedule = ParseScheduleToken(token, 2);
    ASSERT_TRUE(schedule.ok()) << token << ": " << schedule.status();
    EXPECT_EQ(ScheduleToken(*schedule), token);
  }
  const Schedule two =
      *ParseScheduleToken("faults:crash-backup@3+lose-reply@primary-to-client0:1", 1);
  const auto& placements = std::get<FaultsSchedule>(two).placements;
  ASSERT_EQ(placements.size(), 2u);
  EXPECT_EQ(placements[0], (FaultPlacement{FaultPlacement::Kind::kCrash, kBackupNode, -1, 3}));
  EXPECT_EQ(placements[1], (FaultPlacement{FaultPlacement::Kind::kLoseReply, kPrimaryNode,
                                           service::ClientNode(0), 1}));
}

TEST(ScheduleToken, BadTokensSayWhy) {
  const auto why = [](const char* token) {
    absl::StatusOr<Schedule> schedule = ParseScheduleToken(token, 2);
    EXPECT_FALSE(schedule.ok()) << token;
    return std::string(schedule.status().message());
  };
  EXPECT_NE(why("random").find("--schedule random: unknown strategy"), std::string::npos);
  EXPECT_NE(why("faults:").find("has no @"), std::string::npos);
  EXPECT_NE(why("faults:explode@3").find("\"explode\" is not a fault"), std::string::npos);
  EXPECT_NE(why("faults:crash-primary@x").find("expected a count"), std::string::npos);
  EXPECT_NE(why("faults:crash-primary@-1").find("expected a count"), std::string::npos);
  EXPECT_NE(why("faults:deaf@0").find("count from 1"), std::string::npos);
  EXPECT_NE(why("faults:lose-reply@primary-to-client5:1").find("client 5 does not exist"),
            std::string::npos);
  EXPECT_NE(why("faults:lose-reply@client0-to-primary:1").find("from a server to a client"),
            std::string::npos);
  EXPECT_NE(why("faults:lose-reply@primary:1").find("expected lose-reply@SERVER-to-clientN:K"),
            std::string::npos);
  EXPECT_NE(why("faults:dup-request@primary-to-client0:1").find("from a client to a server"),
            std::string::npos);
  EXPECT_NE(why("faults:dup-request@client0:1").find("expected dup-request@clientN-to-SERVER:K"),
            std::string::npos);
  EXPECT_NE(why("faults:dup-request@client0-to-primary:0").find("count from 1"), std::string::npos);
  EXPECT_NE(why("pct:d0:n5").find("expected pct:dD:nN"), std::string::npos);
  EXPECT_NE(why("pct:d3").find("expected pct:dD:nN"), std::string::npos);
  EXPECT_NE(why("pct:d3:n0").find("expected pct:dD:nN"), std::string::npos);
  EXPECT_NE(why("swarm:1").find("unknown strategy"), std::string::npos);
}

uint64_t Natural(uint64_t value) { return value; }

TEST(FaultsSource, PlacesExactlyItsPlacementsAndLogsEveryPoint) {
  FaultsSource source({{FaultPlacement::Kind::kCrash, kPrimaryNode, -1, 2},
                       {FaultPlacement::Kind::kLoseReply, kBackupNode, service::ClientNode(1), 2}},
                      /*log_points=*/true);
  const auto decide = [&](DecisionStream stream, DecisionKind kind, uint64_t natural = 0) {
    return source.Choose(stream, kind, 2, [&] { return Natural(natural); });
  };
  const DecisionStream primary = DecisionStream::Injection(kPrimaryNode);
  const DecisionStream reply = DecisionStream::Link(kBackupNode, service::ClientNode(1));
  EXPECT_EQ(decide(primary, DecisionKind::kCrashAfterHandling), 0u);  // @0, the start
  EXPECT_EQ(decide(reply, DecisionKind::kDrop), 0u);                  // reply #1
  EXPECT_EQ(decide(primary, DecisionKind::kCrashAfterHandling), 0u);  // @1
  // Not injection points: the natural value, not logged.
  EXPECT_EQ(
      decide(DecisionStream::Link(service::ClientNode(0), kPrimaryNode), DecisionKind::kDrop, 1),
      1u);
  EXPECT_EQ(decide(DecisionStream::Injection(kBackupNode), DecisionKind::kDeafAtRequest), 0u);
  EXPECT_EQ(decide(primary, DecisionKind::kCrashAfterForward), 0u);
  EXPECT_FALSE(source.all_placed());
  EXPECT_EQ(decide(primary, DecisionKind::kCrashAfterHandling), 1u);  // @2: placed
  EXPECT_EQ(source.points_before_last_placement(), 3u);
  EXPECT_EQ(decide(primary, DecisionKind::kDeafAtRequest), 0u);  // deaf #1
  EXPECT_EQ(decide(reply, DecisionKind::kDrop), 1u);             // reply #2: placed
  EXPECT_TRUE(source.all_placed());
  EXPECT_EQ(source.points_before_last_placement(), 5u);
  const std::vector<FaultPlacement> expected = {
      {FaultPlacement::Kind::kCrash, kPrimaryNode, -1, 0},
      {FaultPlacement::Kind::kLoseReply, kBackupNode, service::ClientNode(1), 1},
      {FaultPlacement::Kind::kCrash, kPrimaryNode, -1, 1},
      {FaultPlacement::Kind::kCrash, kPrimaryNode, -1, 2},
      {FaultPlacement::Kind::kDeaf, kPrimaryNode, -1, 1},
      {FaultPlacement::Kind::kLoseReply, kBackupNode, service::ClientNode(1), 2}};
  EXPECT_EQ(source.points(), expected);
}

TEST(FaultsSource, DuplicatesTheNthDeliveredRequestOfItsLinkOnly) {
  FaultsSource source(
      {{FaultPlacement::Kind::kDuplicateRequest, kPrimaryNode, service::ClientNode(0), 2}},
      /*log_points=*/true);
  const DecisionStream request = DecisionStream::Link(service::ClientNode(0), kPrimaryNode);
  const DecisionStream other = DecisionStream::Link(service::ClientNode(1), kPrimaryNode);
  const auto decide = [&](DecisionStream stream, DecisionKind kind) {
    return source.Choose(stream, kind, 2, [] { return Natural(0); });
  };
  EXPECT_EQ(decide(request, DecisionKind::kDuplicate), 0u);  // request #1
  EXPECT_EQ(decide(other, DecisionKind::kDuplicate), 0u);    // client 1's #1
  // A server's duplicate decisions and drops are not duplicate-request points.
  EXPECT_EQ(decide(DecisionStream::Link(kPrimaryNode, kBackupNode), DecisionKind::kDuplicate), 0u);
  EXPECT_EQ(decide(request, DecisionKind::kDrop), 0u);
  EXPECT_FALSE(source.all_placed());
  EXPECT_EQ(decide(request, DecisionKind::kDuplicate), 1u);  // request #2: placed
  EXPECT_TRUE(source.all_placed());
  EXPECT_EQ(decide(request, DecisionKind::kDuplicate), 0u);  // request #3
  const std::vector<FaultPlacement> expected = {
      {FaultPlacement::Kind::kDuplicateRequest, kPrimaryNode, service::ClientNode(0), 1},
      {FaultPlacement::Kind::kDuplicateRequest, kPrimaryNode, service::ClientNode(1), 1},
      {FaultPlacement::Kind::kDuplicateRequest, kPrimaryNode, service::ClientNode(0), 2},
      {FaultPlacement::Kind::kDuplicateRequest, kPrimaryNode, service::ClientNode(0), 3}};
  EXPECT_EQ(source.points(), expected);
}

TEST(FaultsSource, WithoutPlacementsItIsTheSeedsOwnRun) {
  FaultsSource source({}, /*log_points=*/true);
  int draws = 0;
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(source.Choose(DecisionStream::Link(kPrimaryNode, service::ClientNode(0)),
                            DecisionKind::kLatency, 100,
                            [&] {
                              ++draws;
                              return uint64_t{42};
                            }),
              42u);
  }
  EXPECT_EQ(draws, 10);
  EXPECT_EQ(source.points_before_last_placement(), source.points().size());
}

// The last depth of an exploration keeps no points: its placements still fire, and once they have
// the rest of the run is the seed's own. Only injection points are the source's to choose.
TEST(FaultsSource, WithoutLoggingItPlacesTheSameAndKeepsNoPoints) {
  FaultsSource source({{FaultPlacement::Kind::kCrash, kPrimaryNode, -1, 1}}, /*log_points=*/false);
  const DecisionStream primary = DecisionStream::Injection(kPrimaryNode);
  const auto crash = [&] {
    return source.Choose(primary, DecisionKind::kCrashAfterHandling, 2, [] { return Natural(0); });
  };
  EXPECT_EQ(crash(), 0u);  // @0
  EXPECT_EQ(crash(), 1u);  // @1: placed
  EXPECT_TRUE(source.all_placed());
  EXPECT_EQ(crash(), 0u);
  EXPECT_TRUE(source.points().empty());
  EXPECT_TRUE(source.Chooses(DecisionKind::kCrashAfterHandling));
  EXPECT_TRUE(source.Chooses(DecisionKind::kDeafAtRequest));
  EXPECT_TRUE(source.Chooses(DecisionKind::kDrop));
  EXPECT_TRUE(source.Chooses(DecisionKind::kDuplicate));
  EXPECT_FALSE(source.Chooses(DecisionKind::kLatency));
  EXPECT_FALSE(source.Chooses(DecisionKind::kLockChoice));
  EXPECT_FALSE(source.Chooses(DecisionKind::kSimultaneousOrder));
}

TEST(PctSource, PrioritiesAreAPermutationAndChangePointsAreDistinct) {
  std::set<std::vector<int64_t>> orders;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    PctSource pct(seed, 3, 4, 10, {sim::Duration::Micros(0), sim::Duration::Micros(0)});
    std::vector<int64_t> priorities = {pct.priority(0), pct.priority(1), pct.priority(2)};
    orders.insert(priorities);
    std::sort(priorities.begin(), priorities.end());
    EXPECT_EQ(priorities, (std::vector<int64_t>{4, 5, 6})) << "d = 4: initial priorities d..d+w-1";
    const std::vector<uint64_t>& points = pct.change_points();
    ASSERT_EQ(points.size(), 3u);
    EXPECT_EQ(std::set<uint64_t>(points.begin(), points.end()).size(), 3u);
    for (uint64_t p : points) EXPECT_TRUE(p >= 1 && p <= 10) << p;
  }
  EXPECT_EQ(orders.size(), 6u) << "every order of three chains is drawn";
}

TEST(PctSource, ChangePointsLowerTheSendingChainBelowEveryInitialPriority) {
  PctSource pct(7, 2, 3, 5, {sim::Duration::Micros(1000), sim::Duration::Micros(5000)});
  const std::vector<uint64_t> points = pct.change_points();
  for (uint64_t send = 1; send <= 5; ++send) {
    const int32_t chain = static_cast<int32_t>(send % 2);
    pct.OnMessage(service::ClientNode(chain), kPrimaryNode, chain);
    const auto it = std::find(points.begin(), points.end(), send);
    if (it != points.end()) {
      EXPECT_EQ(pct.priority(chain), 3 - 1 - (it - points.begin())) << "send " << send;
    }
  }
}

TEST(PctSource, HigherPriorityMeansLowerLatencyAndGoesFirst) {
  const sim::DurationRange latency{sim::Duration::Micros(1000), sim::Duration::Micros(9000)};
  PctSource pct(3, 3, 1, 100, latency);
  int32_t top = 0;
  int32_t bottom = 0;
  for (int32_t c = 0; c < 3; ++c) {
    if (pct.priority(c) > pct.priority(top)) top = c;
    if (pct.priority(c) < pct.priority(bottom)) bottom = c;
  }
  const auto latency_of = [&](int32_t chain) {
    pct.OnMessage(kPrimaryNode, kBackupNode, chain);
    return pct.Choose(DecisionStream::Link(kPrimaryNode, kBackupNode), DecisionKind::kLatency, 8001,
                      [] { return uint64_t{0}; });
  };
  EXPECT_EQ(latency_of(top), 0u);
  EXPECT_EQ(latency_of(bottom), 8000u);
  EXPECT_EQ(latency_of(-1), 0u) << "no chain: the minimum";
  const std::vector<int32_t> due = {bottom, -1, top};
  pct.OnSimultaneousEvents(due);
  EXPECT_EQ(pct.Choose(DecisionStream::Order(), DecisionKind::kSimultaneousOrder, 3,
                       [] { return uint64_t{0}; }),
            1u)
      << "no chain ranks above every chain";
  // Other decisions take their natural value.
  EXPECT_EQ(pct.Choose(DecisionStream::Workload(0), DecisionKind::kThinkTime, 10,
                       [] { return uint64_t{7}; }),
            7u);
}

scenario::Scenario Load(const std::string& name) {
  absl::StatusOr<scenario::Scenario> s =
      scenario::LoadScenario(std::string(LOCKSIM_SCENARIOS_DIR) + "/" + name);
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

TEST(Swarm, ConfigurationsStayInTheFailureModel) {
  for (const char* name : {"primary_crash.json", "lost_replies.json", "single_lock_contention.json",
                           "lab1/many.json"}) {
    const scenario::Scenario base = Load(name);
    std::set<std::string> descriptions;
    for (uint64_t seed = 0; seed < 300; ++seed) {
      const SwarmConfiguration c = DrawSwarmConfiguration(base, seed);
      const scenario::Scenario& s = c.scenario;
      descriptions.insert(c.description);
      EXPECT_EQ(c.description, DrawSwarmConfiguration(base, seed).description) << "pure";
      EXPECT_GE(s.clients, 1);
      EXPECT_LE(s.clients, std::max(2, 2 * base.clients));
      EXPECT_GE(s.network.latency.min, base.network.latency.min);
      EXPECT_LE(s.network.latency.max, base.network.latency.max);
      EXPECT_LE(s.network.latency.min, s.network.latency.max);
      EXPECT_TRUE(s.network.drop.request.is_zero() && s.network.drop.forward.is_zero() &&
                  s.network.drop.forward_reply.is_zero());
      EXPECT_LE(s.network.drop.reply.numerator(), 50'000'000u);
      EXPECT_LE(s.faults.size(), 1u) << c.description;
      EXPECT_FALSE(HasFaultsOutsideTheModel(s)) << c.description;
      if (!s.faults.empty()) {
        EXPECT_LE(s.network.drop.reply.numerator(), 20'000'000u);
      }
    }
    EXPECT_GT(descriptions.size(), 250u) << name << ": seeds draw different configurations";
  }
}

TEST(Swarm, KeepsWhatAViolationScenarioHasOutsideTheModel) {
  const scenario::Scenario lost = Load("violation_lost_forwards.json");
  EXPECT_TRUE(HasFaultsOutsideTheModel(lost));
  for (uint64_t seed = 0; seed < 50; ++seed) {
    const scenario::Scenario s = DrawSwarmConfiguration(lost, seed).scenario;
    EXPECT_EQ(s.network.drop.forward, lost.network.drop.forward);
    EXPECT_EQ(s.network.drop.reply, lost.network.drop.reply);
  }
  const scenario::Scenario both = Load("violation_both_servers_down.json");
  EXPECT_TRUE(HasFaultsOutsideTheModel(both));
  EXPECT_EQ(DrawSwarmConfiguration(both, 3).scenario.faults.size(), 2u);
  EXPECT_FALSE(HasFaultsOutsideTheModel(Load("single_lock_contention.json")))
      << "\"either\" fails one server per run";
}

}  // namespace
}  // namespace locksim::runner
