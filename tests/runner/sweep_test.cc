// Sweeps: sharding covers a range exactly once, results do not depend on the number of jobs,
// and --max-failures reports a schedule-independent prefix.
#include "runner/sweep.h"

#include <gtest/gtest.h>

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

scenario::Scenario Load(const std::string& name) {
  absl::StatusOr<scenario::Scenario> s =
      scenario::LoadScenario(std::string(LOCKSIM_SCENARIOS_DIR) + "/" + name);
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

std::vector<uint64_t> FailingSeeds(const SweepResult& result) {
  std::vector<uint64_t> seeds;
  for (const SeedFailure& f : result.failures) seeds.push_back(f.seed);
  return seeds;
}

TEST(RunSweep, ResultsDoNotDependOnJobs) {
  const scenario::Scenario scenario = Load("violation_lost_forwards.json");
  SweepOptions options;
  options.seeds = 60;
  options.jobs = 1;
  const SweepResult one = RunSweep(scenario, options);
  options.jobs = 3;
  const SweepResult three = RunSweep(scenario, options);
  EXPECT_EQ(one.seeds_run, 60u);
  EXPECT_EQ(FailingSeeds(one), FailingSeeds(three));
  EXPECT_EQ(one.simulated_micros, three.simulated_micros);
  EXPECT_FALSE(one.failures.empty()) << "lost forwards should break some seed in 0..59";
}

TEST(RunSweep, MaxFailuresReportsThePrefixUpToTheMthFailure) {
  const scenario::Scenario scenario = Load("violation_lost_forwards.json");
  SweepOptions all;
  all.seeds = 200;
  all.jobs = 2;
  const std::vector<uint64_t> every = FailingSeeds(RunSweep(scenario, all));
  ASSERT_GE(every.size(), 2u);
  SweepOptions capped = all;
  capped.max_failures = 2;
  const SweepResult result = RunSweep(scenario, capped);
  EXPECT_EQ(FailingSeeds(result), (std::vector<uint64_t>{every[0], every[1]}));
  EXPECT_EQ(result.seeds_run, every[1] + 1);
}

TEST(RunSweep, CheckDeterminismPassesForADeterministicScenario) {
  const scenario::Scenario scenario = Load("primary_crash.json");
  SweepOptions options;
  options.seeds = 20;
  options.jobs = 2;
  options.check_determinism = true;
  EXPECT_TRUE(RunSweep(scenario, options).failures.empty());
}

}  // namespace
}  // namespace locksim::runner
