// The lab's twelve tests (docs: /work/shared/reference/lab1-tests.md), at the state-machine level.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/service/fake_cluster.h"

namespace locksim::service::testing {
namespace {

// primary_fail1's first half, shared with backup_fail.
void FillLocks(FakeCluster& c) {
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Lock(0, "b"), "true");
  EXPECT_EQ(c.Unlock(0, "b"), "true");
  EXPECT_EQ(c.Lock(0, "c"), "true");
  EXPECT_EQ(c.Lock(0, "c"), "false");
  EXPECT_EQ(c.Lock(0, "d"), "true");
  EXPECT_EQ(c.Unlock(0, "d"), "true");
  EXPECT_EQ(c.Lock(0, "d"), "true");
}
void CheckAfterKill(FakeCluster& c) {
  EXPECT_EQ(c.Lock(0, "a"), "false");
  EXPECT_EQ(c.Unlock(0, "a"), "true");
  EXPECT_EQ(c.Unlock(0, "b"), "false");
  EXPECT_EQ(c.Lock(0, "b"), "true");
  EXPECT_EQ(c.Unlock(0, "c"), "true");
  EXPECT_EQ(c.Unlock(0, "d"), "true");
}

TEST(LabTest, Basic) {
  FakeCluster c(1);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Unlock(0, "a"), "true");
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Lock(0, "b"), "true");
  EXPECT_EQ(c.Unlock(0, "a"), "true");
  EXPECT_EQ(c.Unlock(0, "b"), "true");
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Lock(0, "a"), "false");
  EXPECT_EQ(c.Unlock(0, "a"), "true");
  EXPECT_EQ(c.Unlock(0, "a"), "false");
  EXPECT_EQ(c.primary().LockTableSorted(), c.backup().LockTableSorted());
}

TEST(LabTest, PrimaryFail1) {
  FakeCluster c(1);
  FillLocks(c);
  c.Crash(kPrimaryNode);
  CheckAfterKill(c);
  EXPECT_TRUE(c.backup().acting_primary());
}

TEST(LabTest, BackupFail) {
  FakeCluster c(1);
  FillLocks(c);
  c.Crash(kBackupNode);
  CheckAfterKill(c);
  EXPECT_FALSE(c.primary().forwarding());
}

TEST(LabTest, PrimaryFail2) {
  FakeCluster c(2);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Lock(0, "b"), "true");
  c.MakeDeaf(kPrimaryNode);
  EXPECT_EQ(c.Lock(1, "c"), "true");
  EXPECT_TRUE(c.IsCrashed(kPrimaryNode));
  EXPECT_EQ(c.Lock(0, "c"), "false");
  EXPECT_EQ(c.Unlock(1, "c"), "true");
  EXPECT_EQ(c.Lock(0, "c"), "true");
}

TEST(LabTest, PrimaryFail3) {
  FakeCluster c(1);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Lock(0, "b"), "true");
  c.MakeDeaf(kPrimaryNode);
  EXPECT_EQ(c.Lock(0, "b"), "false");
}

TEST(LabTest, PrimaryFail4) {
  FakeCluster c(2);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Lock(0, "b"), "true");
  c.MakeDeaf(kPrimaryNode);
  EXPECT_EQ(c.Lock(1, "b"), "false");
}

TEST(LabTest, PrimaryFail5) {
  FakeCluster c(2);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Lock(0, "b"), "true");
  EXPECT_EQ(c.Unlock(0, "b"), "true");
  c.MakeDeaf(kPrimaryNode);
  EXPECT_EQ(c.Unlock(0, "b"), "false");
  EXPECT_EQ(c.Lock(1, "b"), "true");
}

TEST(LabTest, PrimaryFail6) {
  FakeCluster c(2);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Unlock(0, "a"), "true");
  EXPECT_EQ(c.Unlock(1, "a"), "false");
  EXPECT_EQ(c.Lock(0, "b"), "true");
  c.MakeDeaf(kPrimaryNode);
  EXPECT_EQ(c.Unlock(1, "b"), "true");
  EXPECT_EQ(c.Lock(0, "b"), "true");
}

TEST(LabTest, PrimaryFail7) {
  FakeCluster c(2);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Unlock(0, "a"), "true");
  EXPECT_EQ(c.Unlock(1, "a"), "false");
  EXPECT_EQ(c.Lock(0, "b"), "true");
  c.MakeDeaf(kPrimaryNode);
  c.StartUnlock(1, "b");
  c.DeliverAll();  // executed and forwarded; the reply is lost; the primary halts
  EXPECT_EQ(c.Result(1), "pending");
  EXPECT_EQ(c.Lock(0, "b"), "true");  // backup takes over before client 1's re-send
  c.Settle();
  EXPECT_EQ(c.Result(1), "true");  // the recorded result, not a fresh Unlock of a held lock
  EXPECT_EQ(c.Unlock(0, "b"), "true");
}

TEST(LabTest, PrimaryFail8) {
  FakeCluster c(2);
  EXPECT_EQ(c.Lock(0, "a"), "true");
  EXPECT_EQ(c.Unlock(0, "a"), "true");
  c.MakeDeaf(kPrimaryNode);
  c.StartUnlock(1, "a");
  c.DeliverAll();
  EXPECT_EQ(c.Lock(0, "a"), "true");
  c.Settle();
  EXPECT_EQ(c.Result(1), "false");  // must not execute again and free client 0's lock
  EXPECT_EQ(c.Unlock(0, "a"), "true");
}

// A trivial deterministic generator (not std::random: the same on every library).
struct Lcg {
  uint64_t state;
  uint64_t Next(uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  }
};

// Runs both clients in random interleavings with random message order and duplicates; crashes
// the primary after `crash_after` deliveries. Each client's ops come from `pick_lock`.
template <typename PickLock, typename OnResult>
void RandomRun(FakeCluster& c, Lcg& rng, int ops_per_client, int crash_after, PickLock pick_lock,
               OnResult on_result) {
  std::vector<int> done(2, 0);
  std::vector<bool> is_lock(2);
  std::vector<std::string> lock(2);
  int deliveries = 0;
  for (int guard = 0; guard < 1'000'000; ++guard) {
    for (ClientId client = 0; client < 2; ++client) {
      if (c.clerk(client).busy()) continue;
      if (done[client] > 0 || c.Result(client) != "pending") {
        if (!lock[client].empty())
          on_result(client, is_lock[client], lock[client], c.Result(client));
      }
      if (done[client] == ops_per_client) {
        lock[client].clear();
        continue;
      }
      ++done[client];
      is_lock[client] = rng.Next(2) == 0;
      lock[client] = pick_lock(client, rng);
      if (is_lock[client]) {
        c.StartLock(client, lock[client]);
      } else {
        c.StartUnlock(client, lock[client]);
      }
    }
    if (c.queued() == 0) {
      c.Settle();
      if (!c.clerk(0).busy() && !c.clerk(1).busy() && done[0] == ops_per_client &&
          done[1] == ops_per_client) {
        for (ClientId client = 0; client < 2; ++client) {
          if (!lock[client].empty())
            on_result(client, is_lock[client], lock[client], c.Result(client));
        }
        return;
      }
      continue;
    }
    c.DeliverAt(rng.Next(c.queued()), rng.Next(10) == 0);
    if (++deliveries == crash_after) c.Crash(kPrimaryNode);
  }
  FAIL() << "random run did not finish";
}

TEST(LabTest, Many) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    FakeCluster c(2);
    Lcg rng{seed};
    // Each client uses its own ten locks, so it knows exactly what every result must be.
    std::vector<std::map<std::string, bool>> model(2);
    RandomRun(
        c, rng, 60, 100 + static_cast<int>(rng.Next(200)),
        [](ClientId client, Lcg& r) {
          return "c" + std::to_string(client) + "-l" + std::to_string(r.Next(10));
        },
        [&](ClientId client, bool is_lock, const std::string& lock, const std::string& result) {
          bool& held = model[client][lock];
          const std::string expected =
              is_lock ? (held ? "false" : "true") : (held ? "true" : "false");
          EXPECT_EQ(result, expected)
              << "seed " << seed << " client " << client << " lock " << lock;
          held = is_lock;
        });
    std::vector<std::string> expected_held;
    for (const auto& locks : model) {
      for (const auto& [name, held] : locks) {
        if (held) expected_held.push_back(name);
      }
    }
    std::sort(expected_held.begin(), expected_held.end());
    EXPECT_EQ(c.backup().HeldLocks(), expected_held) << "seed " << seed;
    EXPECT_EQ(c.completed().size(), 120u) << "seed " << seed;
    EXPECT_TRUE(c.IsCrashed(kPrimaryNode)) << "seed " << seed;
    EXPECT_TRUE(c.backup().acting_primary()) << "seed " << seed;
  }
}

TEST(LabTest, ConcurrentCounts) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    FakeCluster c(2);
    Lcg rng{seed};
    int true_locks = 0;
    int true_unlocks = 0;
    RandomRun(
        c, rng, 80, 150 + static_cast<int>(rng.Next(200)),
        [](ClientId, Lcg&) { return std::string("x"); },
        [&](ClientId, bool is_lock, const std::string&, const std::string& result) {
          EXPECT_NE(result, "failed") << "seed " << seed;
          if (result == "true") ++(is_lock ? true_locks : true_unlocks);
        });
    // Successful Locks and Unlocks alternate (checked at the end: replies may overtake).
    EXPECT_TRUE(true_locks == true_unlocks || true_locks == true_unlocks + 1)
        << "seed " << seed << ": " << true_locks << " locks, " << true_unlocks << " unlocks";
    const bool held = true_locks == true_unlocks + 1;
    EXPECT_EQ(c.backup().HeldLocks(),
              held ? std::vector<std::string>{"x"} : std::vector<std::string>{})
        << "seed " << seed;
    EXPECT_EQ(c.completed().size(), 160u) << "seed " << seed;
    EXPECT_TRUE(c.IsCrashed(kPrimaryNode)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace locksim::service::testing
