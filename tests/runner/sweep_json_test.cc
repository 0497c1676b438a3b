// The sweep result's JSON: what SweepResultJson writes, SweepResultFromJson reads back to the
// same value, and every malformed result is an error naming the file and the JSON path.
#include "runner/sweep_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "scenario/scenario_parser.h"

namespace locksim::runner {
namespace {

using nlohmann::json;

scenario::Scenario Load(const std::string& name) {
  absl::StatusOr<scenario::Scenario> s =
      scenario::LoadScenario(std::string(LOCKSIM_SCENARIOS_DIR) + "/" + name);
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

// One shard of a sweep that finds violations.
SweepResult ShardWithFailures() {
  SweepOptions options;
  options.scenario_path = "scenarios/violation_lost_forwards.json";
  options.first_seed = 100;
  options.seeds = 60;
  options.shard = Shard{1, 3};
  options.flaw = service::Flaw::kClerkGivesUp;
  return RunSweep(Load("violation_lost_forwards.json"), options);
}

std::string ErrorOf(const json& value) {
  const absl::StatusOr<SweepResult> r = SweepResultFromJson(value, "shard.json");
  return r.ok() ? "(read)" : std::string(r.status().message());
}

// The smallest result with a failure that merge accepts: the keys scripts rely on, and
// "failures".
json Minimal() {
  return json::parse(R"({"scenario": "s", "seeds": 10, "first_seed": 5, "expect": "pass",
      "failing_seeds": [7], "failures": [{"seed": 7, "kind": "liveness", "message": "m",
      "repro": "locksim run s.json --seed 7"}], "outcome": "violation"})");
}

TEST(SweepJson, RoundTripsASweepResult) {
  const SweepResult result = ShardWithFailures();
  ASSERT_FALSE(result.failures.empty()) << "lost forwards should break some seed in 120..139";
  EXPECT_EQ(result.first_seed, 120u);
  EXPECT_EQ(result.flaw, "clerk-gives-up");
  const json written = SweepResultJson(result);
  EXPECT_EQ(written["outcome"], "violation");
  EXPECT_EQ(written["failing_seeds"].size(), result.failures.size());
  const absl::StatusOr<SweepResult> read = SweepResultFromJson(written, "shard.json");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, result);
  // Through text too, as merge reads a file.
  const absl::StatusOr<SweepResult> reread =
      SweepResultFromJson(json::parse(written.dump()), "shard.json");
  ASSERT_TRUE(reread.ok()) << reread.status();
  EXPECT_EQ(*reread, result);
}

TEST(SweepJson, TheContractKeysAndFailuresAreEnough) {
  const absl::StatusOr<SweepResult> r = SweepResultFromJson(Minimal(), "shard.json");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->scenario, "s");
  EXPECT_EQ(r->first_seed, 5u);
  EXPECT_EQ(r->seeds_run, 10u);
  EXPECT_EQ(r->requested, (SeedRange{5, 10}));
  EXPECT_EQ(r->shard, (Shard{0, 1}));
  EXPECT_EQ(r->flaw, "");
  EXPECT_EQ(r->expect, scenario::Expect::kPass);
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_EQ(r->failures[0].repro, "locksim run s.json --seed 7");
  EXPECT_FALSE(MatchesExpectation(*r));
}

// Integers are built unsigned below, as a parser reads a non-negative JSON integer.
TEST(SweepJson, EveryMalformedResultNamesFileAndPath) {
  constexpr char kHint[] = " (is this `locksim sweep --json` output?)";
  EXPECT_EQ(ErrorOf(json::array()), "shard.json: (root): expected an object");
  json j = Minimal();
  j.erase("scenario");
  EXPECT_EQ(ErrorOf(j), std::string("shard.json: scenario: expected a string") + kHint);
  j = Minimal();
  j["seeds"] = -1;
  EXPECT_EQ(ErrorOf(j), std::string("shard.json: seeds: expected a non-negative integer") + kHint);
  j = Minimal();
  j["expect"] = "maybe";
  EXPECT_EQ(ErrorOf(j), "shard.json: expect: expected \"pass\" or \"violation\"");
  j = Minimal();
  j["failing_seeds"] = json::array({7u, "8"});
  EXPECT_EQ(ErrorOf(j), "shard.json: failing_seeds[1]: expected a seed (integer)");
  j = Minimal();
  j["failing_seeds"] = json::array({15u});
  EXPECT_EQ(ErrorOf(j),
            "shard.json: failing_seeds[0]: seed 15 is not among the seeds run (10 from 5)");
  j = Minimal();
  j["failing_seeds"] = json::array({7u, 7u});
  EXPECT_EQ(ErrorOf(j),
            "shard.json: failing_seeds[1]: the failing seeds are not in increasing order");
  j = Minimal();
  j.erase("failures");
  EXPECT_EQ(ErrorOf(j), std::string("shard.json: failures: expected an array") + kHint);
  j = Minimal();
  j["failures"] = json::array();
  EXPECT_EQ(ErrorOf(j), "shard.json: failures: 0 failures for 1 failing seeds");
  j = Minimal();
  j["failures"][0]["seed"] = 8u;
  EXPECT_EQ(ErrorOf(j), "shard.json: failures[0].seed: seed 8 differs from failing_seeds[0] (7)");
  j = Minimal();
  j["failures"][0].erase("kind");
  EXPECT_EQ(ErrorOf(j), std::string("shard.json: failures[0].kind: expected a string") + kHint);
  j = Minimal();
  j["outcome"] = "pass";
  EXPECT_EQ(ErrorOf(j), "shard.json: outcome: \"pass\" disagrees with failing_seeds (1 failing)");
  j = Minimal();
  j["shard"] = {{"index", 3u}, {"count", 3u}};
  EXPECT_EQ(ErrorOf(j), "shard.json: shard: expected 0 <= index < count");
  j = Minimal();
  j["requested"] = {{"first_seed", 0u}};
  EXPECT_EQ(ErrorOf(j),
            std::string("shard.json: requested.seeds: expected a non-negative integer") + kHint);
  j = Minimal();
  j["simulated_seconds"] = -2.5;
  EXPECT_EQ(ErrorOf(j), "shard.json: simulated_seconds: -2.5 seconds is out of range");
  j = Minimal();
  j["flaw"] = 3;
  EXPECT_EQ(ErrorOf(j), std::string("shard.json: flaw: expected a string") + kHint);
  j = Minimal();
  j["first_seed"] = UINT64_MAX;
  EXPECT_EQ(ErrorOf(j), "shard.json: seeds: first_seed + seeds overflows 64 bits");
}

}  // namespace
}  // namespace locksim::runner
