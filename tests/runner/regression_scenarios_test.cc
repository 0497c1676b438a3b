// scenarios/regressions/: shrunk scenarios of the built-in flaws (locksim shrink). Each names its
// flaw in its description ("--flaw NAME"), fails with it on every seed and passes without it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "runner/simulation.h"
#include "scenario/scenario_parser.h"

namespace locksim::runner {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> RegressionFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(LOCKSIM_SCENARIOS_DIR "/regressions")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(RegressionScenarios, EachFailsWithItsFlawOnEverySeedAndPassesWithout) {
  const std::vector<fs::path> files = RegressionFiles();
  ASSERT_GE(files.size(), 3u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    const absl::StatusOr<scenario::Scenario> s = scenario::LoadScenario(file.string());
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ(s->expect, scenario::Expect::kPass) << "CI sweeps it without flaws";
    EXPECT_FALSE(s->steps.empty()) << "a scripted scenario";
    std::smatch match;
    ASSERT_TRUE(std::regex_search(s->description, match, std::regex("--flaw ([a-z-]+)")))
        << "the description names the flaw";
    const std::optional<service::Flaw> flaw = service::FlawByName(match[1].str());
    ASSERT_TRUE(flaw.has_value()) << match[1];
    for (uint64_t seed = 0; seed < 100; ++seed) {
      RunOptions run;
      run.seed = seed;
      run.flaw = *flaw;
      run.keep_history = false;
      EXPECT_FALSE(RunScenario(*s, run).passed)
          << "locksim run " << file.string() << " --seed " << seed << " --flaw " << match[1];
      run.flaw = service::Flaw::kNone;
      EXPECT_TRUE(RunScenario(*s, run).passed)
          << "locksim run " << file.string() << " --seed " << seed;
    }
  }
}

}  // namespace
}  // namespace locksim::runner
