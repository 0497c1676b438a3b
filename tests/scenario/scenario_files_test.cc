// Every file under scenarios/ must parse: a scenario that does not load is a broken test.
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "scenario/scenario_parser.h"

namespace locksim::scenario {
namespace {

TEST(ScenarioFilesTest, EveryShippedScenarioParses) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(LOCKSIM_SCENARIOS_DIR)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path().string());
    }
  }
  EXPECT_GE(files.size(), 22u);
  for (const std::string& file : files) {
    absl::StatusOr<Scenario> scenario = LoadScenario(file);
    EXPECT_TRUE(scenario.ok()) << scenario.status();
    if (scenario.ok()) {
      EXPECT_FALSE(scenario->description.empty()) << file;
    }
  }
}

}  // namespace
}  // namespace locksim::scenario
