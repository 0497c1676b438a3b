// A workload client's draws come from its own stream in a fixed order (think, lock, op), each
// within its range, and a one-value think time draws nothing.
#include "scenario/workload_draw.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "sim/prng.h"

namespace locksim::scenario {
namespace {

Workload ThreeLocks() {
  Workload w;
  w.ops_per_client = 10;
  w.locks = {"a", "b", "c"};
  w.unlock_fraction = sim::Probability::FromDouble(0.25);
  w.think = {sim::Duration::Micros(100), sim::Duration::Micros(900)};
  return w;
}

TEST(WorkloadDraw, ThinkThenLockThenOpFromTheClientsStream) {
  const Workload w = ThreeLocks();
  for (uint64_t seed = 0; seed < 100; ++seed) {
    sim::Prng drawn = sim::Prng(seed).Fork(sim::Stream::kWorkload, 1);
    sim::Prng by_hand = drawn;
    const sim::Duration think = DrawThinkTime(w, drawn);
    const WorkloadOperation op = DrawOperation(w, drawn);
    EXPECT_EQ(think, by_hand.DurationIn(w.think)) << "seed " << seed;
    EXPECT_EQ(op.lock, by_hand.Below(3)) << "seed " << seed;
    EXPECT_EQ(op.op,
              by_hand.Chance(w.unlock_fraction) ? service::OpKind::kUnlock : service::OpKind::kLock)
        << "seed " << seed;
    EXPECT_EQ(drawn.NextU64(), by_hand.NextU64()) << "seed " << seed << ": draws out of step";
  }
}

TEST(WorkloadDraw, DrawsStayInRangeAndCoverIt) {
  const Workload w = ThreeLocks();
  sim::Prng rng(3);
  std::set<size_t> locks;
  int unlocks = 0;
  for (int i = 0; i < 2000; ++i) {
    const sim::Duration think = DrawThinkTime(w, rng);
    EXPECT_TRUE(think >= w.think.min && think <= w.think.max) << think.micros();
    const WorkloadOperation op = DrawOperation(w, rng);
    ASSERT_LT(op.lock, w.locks.size());
    locks.insert(op.lock);
    unlocks += op.op == service::OpKind::kUnlock ? 1 : 0;
  }
  EXPECT_EQ(locks.size(), 3u);
  EXPECT_GT(unlocks, 350);  // about 500 of 2000
  EXPECT_LT(unlocks, 650);
}

TEST(WorkloadDraw, AFixedThinkTimeDrawsNothing) {
  Workload w = ThreeLocks();
  w.think = {sim::Duration::Micros(250), sim::Duration::Micros(250)};
  sim::Prng rng(11);
  sim::Prng untouched = rng;
  EXPECT_EQ(DrawThinkTime(w, rng), sim::Duration::Micros(250));
  EXPECT_EQ(rng.NextU64(), untouched.NextU64());
}

}  // namespace
}  // namespace locksim::scenario
