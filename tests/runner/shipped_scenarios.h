// The shipped scenario files, for runner tests: their paths and their parsed form.
#ifndef LOCKSIM_TESTS_RUNNER_SHIPPED_SCENARIOS_H_
#define LOCKSIM_TESTS_RUNNER_SHIPPED_SCENARIOS_H_

#include <gtest/gtest.h>

#include <string>

#include "absl/status/statusor.h"
#include "scenario/scenario.h"
#include "scenario/scenario_parser.h"

namespace locksim::runner {

// `name` relative to scenarios/ ("lab1/many.json").
inline std::string Path(const std::string& name) {
  return std::string(LOCKSIM_SCENARIOS_DIR) + "/" + name;
}

inline scenario::Scenario Load(const std::string& name) {
  absl::StatusOr<scenario::Scenario> s = scenario::LoadScenario(Path(name));
  EXPECT_TRUE(s.ok()) << s.status();
  return *s;
}

}  // namespace locksim::runner

#endif  // LOCKSIM_TESTS_RUNNER_SHIPPED_SCENARIOS_H_
