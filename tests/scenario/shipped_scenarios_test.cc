// Every scenario shipped under scenarios/ parses and describes itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/scenario_parser.h"

namespace locksim::scenario {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> ScenarioFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ShippedScenarios, EveryFileParsesAndHasADescription) {
  const std::vector<fs::path> files = ScenarioFiles(LOCKSIM_SCENARIOS_DIR);
  ASSERT_GE(files.size(), 12u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    const absl::StatusOr<Scenario> s = LoadScenario(file.string());
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_FALSE(s->description.empty());
    EXPECT_FALSE(s->name.empty());
    EXPECT_NE(s->steps.empty(), !s->workload.has_value());
  }
}

TEST(ShippedScenarios, Lab1HasTheTwelveLabTests) {
  std::vector<std::string> stems;
  for (const fs::path& file : ScenarioFiles(fs::path(LOCKSIM_SCENARIOS_DIR) / "lab1")) {
    stems.push_back(file.stem().string());
  }
  EXPECT_EQ(stems, (std::vector<std::string>{"backup_fail", "basic", "concurrent_counts", "many",
                                             "primary_fail1", "primary_fail2", "primary_fail3",
                                             "primary_fail4", "primary_fail5", "primary_fail6",
                                             "primary_fail7", "primary_fail8"}));
}

}  // namespace
}  // namespace locksim::scenario
