// The properties of the decision list (docs/architecture.md, "Decisions") over every shipped
// scenario, many seeds and every flaw: recording does not change a run, replaying the record
// gives the same run, an exhausted list means zeros, and editing one stream shifts only that
// stream. A failure prints the command that reproduces the run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "runner/simulation.h"
#include "scenario/scenario_parser.h"
#include "service/flaws.h"
#include "sim/decisions.h"

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

std::string ShortName(const std::string& path) {
  std::string relative = fs::relative(path, LOCKSIM_SCENARIOS_DIR).string();
  std::replace(relative.begin(), relative.end(), '/', '_');
  return relative.substr(0, relative.size() - 5);
}

// LOCKSIM_TEST_SEEDS raises the seed count for a deeper local run.
uint64_t Seeds() {
  const char* env = std::getenv("LOCKSIM_TEST_SEEDS");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 12;
}

std::vector<service::Flaw> FlawsAndNone() {
  std::vector<service::Flaw> flaws = {service::Flaw::kNone};
  for (const service::FlawInfo& info : service::AllFlaws()) flaws.push_back(info.flaw);
  return flaws;
}

struct Recorded {
  RunResult result;
  std::vector<sim::DecisionRecord> records;
};

Recorded RunOnce(const scenario::Scenario& scenario, const std::string& path, uint64_t seed,
                 service::Flaw flaw, sim::DecisionSource* source, bool record) {
  Recorded out;
  RunOptions options;
  options.seed = seed;
  options.flaw = flaw;
  options.scenario_path = path;
  options.keep_history = false;
  options.decision_source = source;
  if (record) options.record_decisions = &out.records;
  out.result = RunScenario(scenario, options);
  return out;
}

class ShippedScenarioDecisions : public testing::TestWithParam<std::string> {
 protected:
  scenario::Scenario Load() {
    absl::StatusOr<scenario::Scenario> scenario = scenario::LoadScenario(GetParam());
    EXPECT_TRUE(scenario.ok()) << scenario.status();
    return *scenario;
  }
};

TEST_P(ShippedScenarioDecisions, RecordingChangesNothingAndTheRecordReplaysTheRun) {
  const scenario::Scenario scenario = Load();
  for (service::Flaw flaw : FlawsAndNone()) {
    for (uint64_t seed = 0; seed < Seeds(); ++seed) {
      const Recorded plain = RunOnce(scenario, GetParam(), seed, flaw, nullptr, false);
      const Recorded recorded = RunOnce(scenario, GetParam(), seed, flaw, nullptr, true);
      ASSERT_EQ(plain.result.fingerprint, recorded.result.fingerprint)
          << "recording changed the run: " << plain.result.repro;
      const sim::DecisionList list = sim::DecisionList::FromRecords(recorded.records);
      sim::ReplaySource replay(list);
      // The replay's PRNG seed is another one: nothing may come from it.
      const Recorded replayed = RunOnce(scenario, GetParam(), seed + 1000, flaw, &replay, true);
      ASSERT_EQ(replayed.result.fingerprint, plain.result.fingerprint)
          << "the replay differs from " << plain.result.repro;
      ASSERT_EQ(replayed.result.passed, plain.result.passed) << plain.result.repro;
      ASSERT_EQ(replayed.records, recorded.records)
          << "the replay took other decisions than " << plain.result.repro;
    }
  }
}

TEST_P(ShippedScenarioDecisions, AnExhaustedListMeansZeros) {
  const scenario::Scenario scenario = Load();
  const sim::DecisionList empty;
  sim::ReplaySource from_empty(empty);
  const Recorded simplest =
      RunOnce(scenario, GetParam(), 1, service::Flaw::kNone, &from_empty, true);
  for (const sim::DecisionRecord& record : simplest.records) {
    ASSERT_EQ(record.value, 0u) << sim::DecisionKindName(record.kind) << " on "
                                << record.stream.Name();
  }
  // The same decisions written out as zeros give the same run.
  sim::DecisionList zeros = sim::DecisionList::FromRecords(simplest.records);
  sim::ReplaySource from_zeros(zeros);
  EXPECT_EQ(
      RunOnce(scenario, GetParam(), 2, service::Flaw::kNone, &from_zeros, false).result.fingerprint,
      simplest.result.fingerprint);
  EXPECT_TRUE(simplest.result.passed || scenario.expect == scenario::Expect::kViolation)
      << "the simplest run of a pass scenario fails";
}

// Changing one decision may change what the run does, but every other stream still reads its
// own list from its own start: the values it takes are its list's values, in order.
TEST_P(ShippedScenarioDecisions, EditingOneStreamLeavesTheOthersInPlace) {
  const scenario::Scenario scenario = Load();
  for (uint64_t seed = 0; seed < Seeds(); ++seed) {
    const Recorded original =
        RunOnce(scenario, GetParam(), seed, service::Flaw::kNone, nullptr, true);
    sim::DecisionList list = sim::DecisionList::FromRecords(original.records);
    if (list.streams().empty()) continue;
    // Flip the middle decision of the longest stream.
    const auto longest = std::max_element(list.streams().begin(), list.streams().end(),
                                          [](const auto& a, const auto& b) {
                                            return a.second.second.size() < b.second.second.size();
                                          });
    const sim::DecisionStream edited = longest->second.first;
    sim::DecisionList changed;
    for (const auto& [key, stream] : list.streams()) {
      for (size_t i = 0; i < stream.second.size(); ++i) {
        sim::DecisionList::Entry entry = stream.second[i];
        if (stream.first == edited && i == stream.second.size() / 2) {
          entry.value = entry.value == 0 ? entry.bound - 1 : 0;
        }
        changed.Append(stream.first, entry);
      }
    }
    sim::ReplaySource replay(changed);
    const Recorded run = RunOnce(scenario, GetParam(), seed, service::Flaw::kNone, &replay, true);
    const sim::DecisionList taken = sim::DecisionList::FromRecords(run.records);
    for (const auto& [key, stream] : taken.streams()) {
      if (stream.first == edited) continue;
      const std::vector<sim::DecisionList::Entry>* given = changed.Find(stream.first);
      for (size_t i = 0; i < stream.second.size(); ++i) {
        const uint64_t expected = given != nullptr && i < given->size()
                                      ? std::min((*given)[i].value, stream.second[i].bound - 1)
                                      : 0;
        ASSERT_EQ(stream.second[i].value, expected)
            << stream.first.Name() << " decision " << i << " after editing " << edited.Name()
            << " of " << original.result.repro;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shipped, ShippedScenarioDecisions, testing::ValuesIn(ShippedScenarios()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return ShortName(info.param);
                         });

}  // namespace
}  // namespace locksim::runner
