// The workload draws in the order `locksim load` takes them (net/load_driver.cc: a think time,
// then the operation, from scenario/workload_draw.h) give what the simulator's runner issues: for
// the same scenario and seed, each client's operations (kind and lock) and think times are the
// ones `locksim run` issues. The simulator's history shows its think times exactly: a client's next
// call is invoked exactly its think time after the previous one returned (the first, its think time
// after 0).
#include "scenario/workload_draw.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "runner/simulation.h"
#include "scenario/scenario_parser.h"

namespace locksim::net {
namespace {

struct ClientOperation {
  int64_t think_us = 0;
  check::LockOp op = check::LockOp::kLock;
  std::string lock;
  bool operator==(const ClientOperation&) const = default;
};

std::string Describe(const ClientOperation& op) {
  return std::string(check::LockOpName(op.op)) + "(" + op.lock + ") after " +
         std::to_string(op.think_us) + " us";
}

void PrintTo(const ClientOperation& op, std::ostream* out) { *out << Describe(op); }

// Each client's operations as the simulator ran them.
std::vector<std::vector<ClientOperation>> Simulated(const scenario::Scenario& s, uint64_t seed) {
  runner::RunOptions options;
  options.seed = seed;
  const runner::RunResult result = runner::RunScenario(s, options);
  std::vector<std::vector<ClientOperation>> clients(static_cast<size_t>(s.clients));
  std::vector<int64_t> last_return(static_cast<size_t>(s.clients), 0);
  for (const check::HistoryOperation& op : result.history.operations) {
    const size_t c = static_cast<size_t>(op.client);
    clients[c].push_back({op.invoke - last_return[c], op.op, op.lock});
    EXPECT_TRUE(op.ret.has_value()) << "a fault-free run completes every call";
    last_return[c] = op.ret.value_or(0);
  }
  return clients;
}

std::vector<ClientOperation> Drawn(const scenario::Scenario& s, uint64_t seed, int client) {
  std::vector<ClientOperation> ops;
  sim::Prng rng = scenario::WorkloadStream(seed, client);
  for (int64_t i = 0; i < s.workload->ops_per_client; ++i) {
    const sim::Duration think = scenario::DrawThinkTime(*s.workload, rng);
    const scenario::WorkloadOperation op = scenario::DrawOperation(*s.workload, rng);
    ops.push_back({think.micros(),
                   op.op == service::OpKind::kLock ? check::LockOp::kLock : check::LockOp::kUnlock,
                   s.workload->locks[op.lock]});
  }
  return ops;
}

TEST(WorkloadDraw, DrawsWhatTheSimulatorRuns) {
  // Fault-free scenarios, so that every call completes and the simulator's history shows every
  // operation; the draws do not depend on faults (each client has its own stream).
  for (const char* path : {"scenarios/no_faults.json", "scenarios-real/crash_rounds.json"}) {
    absl::StatusOr<scenario::Scenario> s =
        scenario::LoadScenario(std::string(LOCKSIM_SOURCE_DIR) + "/" + path);
    ASSERT_TRUE(s.ok()) << s.status();
    for (uint64_t seed : {1, 2, 99}) {
      const std::vector<std::vector<ClientOperation>> simulated = Simulated(*s, seed);
      for (int c = 0; c < s->clients; ++c) {
        const std::vector<ClientOperation> drawn = Drawn(*s, seed, c);
        ASSERT_EQ(simulated[static_cast<size_t>(c)].size(), drawn.size());
        for (size_t i = 0; i < drawn.size(); ++i) {
          ASSERT_EQ(simulated[static_cast<size_t>(c)][i], drawn[i])
              << path << ", seed " << seed << ", client " << c << ", operation " << i
              << ": the simulator ran " << Describe(simulated[static_cast<size_t>(c)][i])
              << ", the load would run " << Describe(drawn[i]) << " (locksim run " << path
              << " --seed " << seed << ")";
        }
      }
    }
  }
}

// scripts/real_crash_test.sh kills a server at most 1.2 s into a crash_rounds.json load; that
// lands mid-run only if every client's think times alone add up to more.
TEST(WorkloadDraw, CrashRoundsRunLongerThanTheKillWindow) {
  absl::StatusOr<scenario::Scenario> s =
      scenario::LoadScenario(std::string(LOCKSIM_SOURCE_DIR) + "/scenarios-real/crash_rounds.json");
  ASSERT_TRUE(s.ok()) << s.status();
  constexpr int64_t kLatestKillUs = 1'200'000;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    for (int c = 0; c < s->clients; ++c) {
      int64_t thinking_us = 0;
      for (const ClientOperation& op : Drawn(*s, seed, c)) thinking_us += op.think_us;
      EXPECT_GT(thinking_us, kLatestKillUs + 100'000) << "seed " << seed << ", client " << c;
    }
  }
}

}  // namespace
}  // namespace locksim::net
