// Every shipped scenario under many seeds: "pass" scenarios never fail, "violation" scenarios
// find their violation, every run is deterministic, and every built-in flaw is caught by some
// shipped scenario. A failure prints the seed and the command that reproduces it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "runner/simulation.h"
#include "scenario/scenario_parser.h"
#include "service/flaws.h"

namespace locksim::runner {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> ShippedScenarios() {
  std::vector<std::string> paths;
  for (const auto& entry : fs::recursive_directory_iterator(LOCKSIM_SCENARIOS_DIR)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// The test name part of a path: "lab1/primary_fail7".
std::string ShortName(const std::string& path) {
  std::string relative = fs::relative(path, LOCKSIM_SCENARIOS_DIR).string();
  return relative.substr(0, relative.size() - 5);
}

// LOCKSIM_TEST_SEEDS raises the seed count for a deeper local run.
uint64_t SeedsPerScenario() {
  const char* env = std::getenv("LOCKSIM_TEST_SEEDS");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 200;
}

scenario::Scenario Load(const std::string& path) {
  absl::StatusOr<scenario::Scenario> scenario = scenario::LoadScenario(path);
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return *scenario;
}

std::string Describe(const RunResult& result) {
  std::string text =
      "seed " + std::to_string(result.seed) + " failed; reproduce with:\n  " + result.repro + "\n";
  for (const Violation& v : result.violations) text += "  [" + v.kind + "] " + v.message + "\n";
  return text;
}

class ShippedScenario : public testing::TestWithParam<std::string> {};

TEST_P(ShippedScenario, OutcomeMatchesExpectOverManySeeds) {
  const scenario::Scenario scenario = Load(GetParam());
  const bool expects_violation = scenario.expect == scenario::Expect::kViolation;
  const uint64_t seeds = SeedsPerScenario();
  uint64_t failing = 0;
  for (uint64_t seed = 0; seed < seeds; ++seed) {
    RunOptions options;
    options.seed = seed;
    options.scenario_path = GetParam();
    options.keep_history = false;
    const RunResult result = RunScenario(scenario, options);
    if (!result.passed) {
      ++failing;
      if (!expects_violation) {
        ADD_FAILURE() << Describe(result);
        return;
      }
    }
  }
  if (expects_violation) {
    EXPECT_GT(failing, 0u) << "no seed in 0.." << seeds - 1 << " showed the violation that "
                           << GetParam() << " expects; try: locksim sweep " << GetParam()
                           << " --seeds " << seeds * 10;
  }
}

TEST_P(ShippedScenario, SameSeedGivesSameFingerprint) {
  const scenario::Scenario scenario = Load(GetParam());
  for (uint64_t seed : {0ull, 1ull, 7ull, 123456789ull}) {
    RunOptions options;
    options.seed = seed;
    options.scenario_path = GetParam();
    const RunResult first = RunScenario(scenario, options);
    const RunResult second = RunScenario(scenario, options);
    ASSERT_EQ(first.fingerprint, second.fingerprint)
        << "nondeterminism in seed " << seed << "; find where the runs part with:\n  locksim "
        << "sweep " << GetParam() << " --first-seed " << seed << " --seeds 1 "
        << "--check-determinism";
    ASSERT_EQ(first.events, second.events);
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ShippedScenario, testing::ValuesIn(ShippedScenarios()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = ShortName(info.param);
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return name;
                         });

TEST(ShippedScenarios, RandomScenariosDependOnTheSeed) {
  const scenario::Scenario scenario =
      Load(std::string(LOCKSIM_SCENARIOS_DIR) + "/primary_crash.json");
  RunOptions a;
  a.seed = 1;
  RunOptions b;
  b.seed = 2;
  EXPECT_NE(RunScenario(scenario, a).fingerprint, RunScenario(scenario, b).fingerprint);
}

// Each flaw must be caught: some shipped scenario, within a bounded sweep, reports a violation
// with the flaw on (the same scenario passes without it, by the test above).
class FlawIsCaught : public testing::TestWithParam<service::Flaw> {};

TEST_P(FlawIsCaught, BySomeShippedScenario) {
  const service::Flaw flaw = GetParam();
  std::vector<std::string> tried;
  for (const std::string& path : ShippedScenarios()) {
    const scenario::Scenario scenario = Load(path);
    if (scenario.expect == scenario::Expect::kViolation) continue;
    tried.push_back(ShortName(path));
    for (uint64_t seed = 0; seed < 100; ++seed) {
      RunOptions options;
      options.seed = seed;
      options.flaw = flaw;
      options.scenario_path = path;
      options.keep_history = false;
      const RunResult result = RunScenario(scenario, options);
      if (!result.passed) {
        SUCCEED() << "caught by " << result.repro;
        return;
      }
    }
  }
  std::string names;
  for (const std::string& n : tried) names += " " + n;
  ADD_FAILURE() << "flaw " << service::FlawName(flaw)
                << " was not caught by any pass scenario in seeds 0..99:" << names;
}

std::vector<service::Flaw> AllFlawValues() {
  std::vector<service::Flaw> flaws;
  for (const service::FlawInfo& info : service::AllFlaws()) flaws.push_back(info.flaw);
  return flaws;
}

INSTANTIATE_TEST_SUITE_P(Flaws, FlawIsCaught, testing::ValuesIn(AllFlawValues()),
                         [](const testing::TestParamInfo<service::Flaw>& info) {
                           std::string name(service::FlawName(info.param));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace locksim::runner
