// The lab's twelve tests (/work/shared/reference/lab1-tests.md) at the state-machine level.
// kill: the node crashes and calls to it are refused. dying ("deaf"): the primary executes the
// request, forward included, its reply is thrown away, it halts, and the caller times out.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "gtest/gtest.h"
#include "tests/service/fake_environment.h"

namespace locksim::service::testing {
namespace {

// primary_fail1's first half, shared with backup_fail.
void FillLocks(FakeNetwork& n) {
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
  EXPECT_EQ(n.Unlock(0, "b"), "unlock(b)=true");
  EXPECT_EQ(n.Lock(0, "c"), "lock(c)=true");
  EXPECT_EQ(n.Lock(0, "c"), "lock(c)=false");
  EXPECT_EQ(n.Lock(0, "d"), "lock(d)=true");
  EXPECT_EQ(n.Unlock(0, "d"), "unlock(d)=true");
  EXPECT_EQ(n.Lock(0, "d"), "lock(d)=true");
}

void CheckAfterKill(FakeNetwork& n) {
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=false");
  EXPECT_EQ(n.Unlock(0, "a"), "unlock(a)=true");
  EXPECT_EQ(n.Unlock(0, "b"), "unlock(b)=false");
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
  EXPECT_EQ(n.Unlock(0, "c"), "unlock(c)=true");
  EXPECT_EQ(n.Unlock(0, "d"), "unlock(d)=true");
}

TEST(Lab1Test, Basic) {
  FakeNetwork n(1);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Unlock(0, "a"), "unlock(a)=true");
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
  EXPECT_EQ(n.Unlock(0, "a"), "unlock(a)=true");
  EXPECT_EQ(n.Unlock(0, "b"), "unlock(b)=true");
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=false");
  EXPECT_EQ(n.Unlock(0, "a"), "unlock(a)=true");
  EXPECT_EQ(n.Unlock(0, "a"), "unlock(a)=false");
  EXPECT_EQ(n.primary().LockTableSorted(), n.backup().LockTableSorted());
  EXPECT_EQ(n.clerk(0).calls_made(), 10u);  // no re-sends without faults
}

TEST(Lab1Test, PrimaryFail1) {
  FakeNetwork n(1);
  FillLocks(n);
  n.Kill(kPrimaryNode);
  CheckAfterKill(n);
  EXPECT_TRUE(n.backup().acting_primary());
}

TEST(Lab1Test, BackupFail) {
  FakeNetwork n(1);
  FillLocks(n);
  n.Kill(kBackupNode);
  CheckAfterKill(n);
  EXPECT_FALSE(n.primary().forwarding());
  EXPECT_FALSE(n.backup().acting_primary());
}

TEST(Lab1Test, PrimaryFail2) {
  FakeNetwork n(2);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
  n.MakeDeaf(kPrimaryNode);
  EXPECT_EQ(n.Lock(1, "c"), "lock(c)=true");
  EXPECT_TRUE(n.crashed(kPrimaryNode));
  EXPECT_EQ(n.Lock(0, "c"), "lock(c)=false");
  EXPECT_EQ(n.Unlock(1, "c"), "unlock(c)=true");
  EXPECT_EQ(n.Lock(0, "c"), "lock(c)=true");
}

TEST(Lab1Test, PrimaryFail3) {
  FakeNetwork n(1);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
  n.MakeDeaf(kPrimaryNode);
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=false");
  EXPECT_EQ(n.backup().stats().answered_from_table, 1u);
}

TEST(Lab1Test, PrimaryFail4) {
  FakeNetwork n(2);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
  n.MakeDeaf(kPrimaryNode);
  EXPECT_EQ(n.Lock(1, "b"), "lock(b)=false");
}

TEST(Lab1Test, PrimaryFail5) {
  FakeNetwork n(2);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
  EXPECT_EQ(n.Unlock(0, "b"), "unlock(b)=true");
  n.MakeDeaf(kPrimaryNode);
  EXPECT_EQ(n.Unlock(0, "b"), "unlock(b)=false");
  EXPECT_EQ(n.Lock(1, "b"), "lock(b)=true");
}

TEST(Lab1Test, PrimaryFail6) {
  FakeNetwork n(2);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Unlock(0, "a"), "unlock(a)=true");
  EXPECT_EQ(n.Unlock(1, "a"), "unlock(a)=false");
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
  n.MakeDeaf(kPrimaryNode);
  EXPECT_EQ(n.Unlock(1, "b"), "unlock(b)=true");
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
}

TEST(Lab1Test, PrimaryFail7) {
  FakeNetwork n(2);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Unlock(0, "a"), "unlock(a)=true");
  EXPECT_EQ(n.Unlock(1, "a"), "unlock(a)=false");
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
  n.MakeDeaf(kPrimaryNode);
  n.StartUnlock(1, "b");
  n.DeliverAll();  // executed and forwarded; the reply is thrown away; the primary halts
  EXPECT_TRUE(n.crashed(kPrimaryNode));
  EXPECT_TRUE(n.clerk(1).busy()) << "client 1 waits for its timeout";
  // "After 1 s": client 0 is refused by the primary and the backup takes over.
  EXPECT_EQ(n.Lock(0, "b"), "lock(b)=true");
  // Client 1's call timed out inside that run; its re-send got the recorded result.
  EXPECT_EQ(n.Completed(1), (std::vector<std::string>{"unlock(a)=false", "unlock(b)=true"}));
  EXPECT_EQ(n.Unlock(0, "b"), "unlock(b)=true");
}

TEST(Lab1Test, PrimaryFail8) {
  FakeNetwork n(2);
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  EXPECT_EQ(n.Unlock(0, "a"), "unlock(a)=true");
  n.MakeDeaf(kPrimaryNode);
  n.StartUnlock(1, "a");
  n.DeliverAll();
  EXPECT_TRUE(n.clerk(1).busy());
  EXPECT_EQ(n.Lock(0, "a"), "lock(a)=true");
  // Must not execute again and free client 0's lock.
  EXPECT_EQ(n.LastCompleted(1), "unlock(a)=false");
  EXPECT_EQ(n.Unlock(0, "a"), "unlock(a)=true");
}

// Both clients run `ops` random operations each; messages are delivered in a seeded random
// order, some client requests duplicated; the primary is killed after `kill_after` deliveries.
template <typename PickLock>
void RandomRun(FakeNetwork& n, TestRng& rng, int ops, int kill_after, PickLock pick_lock) {
  std::vector<int> started(2, 0);
  int deliveries = 0;
  for (int guard = 0; guard < 1'000'000; ++guard) {
    for (ClientId client = 0; client < 2; ++client) {
      if (n.clerk(client).busy() || started[client] == ops) continue;
      ++started[client];
      const std::string lock = pick_lock(client, rng);
      if (rng.Below(2) == 0) {
        n.StartLock(client, lock);
      } else {
        n.StartUnlock(client, lock);
      }
    }
    const size_t pending = n.calls().size() + n.replies().size();
    if (pending == 0) {
      if (n.TimeOutOneStuckCall()) continue;
      if (started[0] == ops && started[1] == ops) return;
      continue;
    }
    const size_t pick = rng.Below(pending);
    if (pick < n.calls().size()) {
      if (std::holds_alternative<ClientRequest>(n.calls()[pick].message) &&
          !n.crashed(n.calls()[pick].to) && rng.Below(10) == 0) {
        n.DuplicateCall(pick);
      }
      if (n.crashed(n.calls()[pick].to)) {
        n.FailCall(pick, CallFailure::kRefused);
      } else {
        n.DeliverCall(pick);
      }
    } else {
      n.DeliverReply(pick - n.calls().size());
    }
    if (++deliveries == kill_after) n.Kill(kPrimaryNode);
  }
  FAIL() << "random run did not finish";
}

TEST(Lab1Test, Many) {
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    FakeNetwork n(2);
    TestRng rng(seed);
    const int kill_after = 100 + static_cast<int>(rng.Below(200));
    // Each client uses its own ten locks, so it knows what every result must be.
    RandomRun(n, rng, 60, kill_after, [](ClientId client, TestRng& r) {
      return "c" + std::to_string(client) + "-l" + std::to_string(r.Below(10));
    });
    std::vector<std::string> expected_held;
    for (ClientId client = 0; client < 2; ++client) {
      std::map<std::string, bool> held;
      const auto& ops = n.CompletedOperations(client);
      ASSERT_EQ(ops.size(), 60u) << "seed " << seed;
      for (const CompletedOperation& op : ops) {
        bool& h = held[op.lock];
        const bool expected = op.op == OpKind::kLock ? !h : h;
        EXPECT_EQ(op.result, std::optional<bool>(expected))
            << "seed " << seed << " client " << client << " " << CompletedText(op);
        h = op.op == OpKind::kLock;
      }
      for (const auto& [name, h] : held) {
        if (h) expected_held.push_back(name);
      }
    }
    std::sort(expected_held.begin(), expected_held.end());
    EXPECT_TRUE(n.crashed(kPrimaryNode)) << "seed " << seed;
    EXPECT_TRUE(n.backup().acting_primary()) << "seed " << seed;
    EXPECT_EQ(n.backup().HeldLocks(), expected_held) << "seed " << seed;
  }
}

TEST(Lab1Test, ConcurrentCounts) {
  for (uint64_t seed = 1; seed <= 25; ++seed) {
    FakeNetwork n(2);
    TestRng rng(seed);
    const int kill_after = 150 + static_cast<int>(rng.Below(200));
    RandomRun(n, rng, 80, kill_after, [](ClientId, TestRng&) { return std::string("x"); });
    int true_locks = 0;
    int true_unlocks = 0;
    for (ClientId client = 0; client < 2; ++client) {
      ASSERT_EQ(n.CompletedOperations(client).size(), 80u) << "seed " << seed;
      for (const CompletedOperation& op : n.CompletedOperations(client)) {
        ASSERT_TRUE(op.result.has_value()) << "seed " << seed << " " << CompletedText(op);
        if (*op.result) ++(op.op == OpKind::kLock ? true_locks : true_unlocks);
      }
    }
    EXPECT_TRUE(true_locks == true_unlocks || true_locks == true_unlocks + 1)
        << "seed " << seed << ": " << true_locks << " locks, " << true_unlocks << " unlocks";
    const bool held = true_locks == true_unlocks + 1;
    EXPECT_EQ(n.backup().HeldLocks(),
              held ? std::vector<std::string>{"x"} : std::vector<std::string>{})
        << "seed " << seed;
    EXPECT_TRUE(n.crashed(kPrimaryNode)) << "seed " << seed;
  }
}

}  // namespace
}  // namespace locksim::service::testing
