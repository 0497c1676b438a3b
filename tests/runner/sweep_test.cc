// Sweeps: sharding covers a range exactly once, results do not depend on the number of jobs,
// --max-failures reports a schedule-independent prefix, and --check-determinism catches a run
// that is not a pure function of its seed.
#include "runner/sweep.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "scenario/scenario_parser.h"

namespace locksim::runner {
namespace {

TEST(ShardSeeds, ShardsCoverTheRangeExactlyOnce) {
  for (uint64_t seeds : {1ull, 7ull, 1000ull, 1001ull}) {
    for (uint64_t k : {1ull, 2ull, 3ull, 8ull}) {
      uint64_t next = 5;
      for (uint64_t i = 0; i < k; ++i) {
        const SeedRange range = ShardSeeds(5, seeds, Shard{i, k});
        EXPECT_EQ(range.first, next) << "shard " << i << "/" << k << " of " << seeds;
        next = range.first + range.count;
      }
      EXPECT_EQ(next, 5 + seeds);
    }
  }
}

TEST(FailureRateUpperBound, BehavesLikeAWilsonBound) {
  EXPECT_NEAR(FailureRateUpperBound(0, 1000), 0.0038, 0.0002);  // about 3.84/n for 0 failures
  EXPECT_GT(FailureRateUpperBound(10, 1000), 0.01);
  EXPECT_LT(FailureRateUpperBound(10, 1000), 0.02);
  EXPECT_DOUBLE_EQ(FailureRateUpperBound(0, 0), 1.0);
}

// A shipped scenario; a bad name fails the test that asked (ASSERT_TRUE(s.ok())), not the binary.
absl::StatusOr<scenario::Scenario> Load(const std::string& name) {
  return scenario::LoadScenario(std::string(LOCKSIM_SCENARIOS_DIR) + "/" + name);
}

std::vector<uint64_t> FailingSeeds(const SweepResult& result) {
  std::vector<uint64_t> seeds;
  for (const SeedFailure& f : result.failures) seeds.push_back(f.seed);
  return seeds;
}

TEST(RunSweep, ResultsDoNotDependOnJobs) {
  const absl::StatusOr<scenario::Scenario> scenario = Load("violation_lost_forwards.json");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  SweepOptions options;
  options.seeds = 60;
  options.jobs = 1;
  const SweepResult one = RunSweep(*scenario, options);
  options.jobs = 3;
  const SweepResult three = RunSweep(*scenario, options);
  EXPECT_EQ(one.seeds_run, 60u);
  EXPECT_EQ(FailingSeeds(one), FailingSeeds(three));
  EXPECT_EQ(one.simulated_micros, three.simulated_micros);
  EXPECT_FALSE(one.failures.empty()) << "lost forwards should break some seed in 0..59";
}

TEST(RunSweep, MaxFailuresReportsThePrefixUpToTheMthFailure) {
  const absl::StatusOr<scenario::Scenario> scenario = Load("violation_lost_forwards.json");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  SweepOptions all;
  all.seeds = 200;
  all.jobs = 2;
  const std::vector<uint64_t> every = FailingSeeds(RunSweep(*scenario, all));
  ASSERT_GE(every.size(), 2u);
  SweepOptions capped = all;
  capped.max_failures = 2;
  const SweepResult result = RunSweep(*scenario, capped);
  EXPECT_EQ(FailingSeeds(result), (std::vector<uint64_t>{every[0], every[1]}));
  EXPECT_EQ(result.seeds_run, every[1] + 1);
}

TEST(RunSweep, CheckDeterminismPassesForADeterministicScenario) {
  const absl::StatusOr<scenario::Scenario> scenario = Load("primary_crash.json");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  SweepOptions options;
  options.seeds = 20;
  options.jobs = 2;
  options.check_determinism = true;
  const SweepResult result = RunSweep(*scenario, options);
  EXPECT_TRUE(result.failures.empty()) << result.failures.front().message;
  EXPECT_EQ(result.seeds_run, 20u);
}

// A run that is not a pure function of its seed: every second call runs with a shorter network
// latency than the scenario says, as a run reading some state outside it would.
class FlipFlopRun {
 public:
  explicit FlipFlopRun(const scenario::Scenario& scenario) : altered_(scenario) {
    altered_.network.latency.max = altered_.network.latency.min;
  }
  RunResult operator()(const scenario::Scenario& scenario, const RunOptions& options) {
    return RunScenario(calls_++ % 2 == 0 ? scenario : altered_, options);
  }

 private:
  scenario::Scenario altered_;
  int calls_ = 0;
};

TEST(RunSweep, CheckDeterminismNamesWhereTwoRunsOfOneSeedPart) {
  const absl::StatusOr<scenario::Scenario> scenario = Load("primary_crash.json");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  ASSERT_LT(scenario->network.latency.min, scenario->network.latency.max);
  FlipFlopRun flip_flop(*scenario);
  SweepOptions options;
  options.scenario_path = "scenarios/primary_crash.json";
  options.first_seed = 7;
  options.seeds = 3;
  options.jobs = 1;  // FlipFlopRun counts its calls: one thread
  options.run_scenario = [&](const scenario::Scenario& s, const RunOptions& run) {
    return flip_flop(s, run);
  };

  // Without the check, each seed runs once and passes: nothing to see.
  EXPECT_TRUE(RunSweep(*scenario, options).failures.empty());

  options.check_determinism = true;
  const SweepResult result = RunSweep(*scenario, options);
  ASSERT_EQ(result.failures.size(), 3u);
  for (uint64_t i = 0; i < 3; ++i) {
    const SeedFailure& failure = result.failures[i];
    EXPECT_EQ(failure.seed, 7 + i);
    EXPECT_EQ(failure.kind, "nondeterminism");
    EXPECT_EQ(failure.repro,
              "locksim run scenarios/primary_crash.json --seed " + std::to_string(7 + i));
    // The two traced runs part at a delivery time: a trace line for each.
    EXPECT_NE(failure.message.find("the two runs part at trace event #"), std::string::npos)
        << failure.message;
    EXPECT_NE(failure.message.find("\n  first:  {\"t_us\":"), std::string::npos) << failure.message;
    EXPECT_NE(failure.message.find("\n  second: {\"t_us\":"), std::string::npos) << failure.message;
  }
}

}  // namespace
}  // namespace locksim::runner
