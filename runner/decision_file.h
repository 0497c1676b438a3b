// The JSON form of a run's decisions (sim/decisions.h), as `locksim run --record-decisions FILE`
// writes it and `locksim run --decisions FILE` (and the shrinker) reads it:
//
//   {"format": "locksim-decisions", "version": 1,
//    "scenario": "primary_crash", "seed": 5, "flaw": null, "schedule": null,
//    "decisions": 2817,
//    "streams": {
//      "inject primary": [["crash_after_handling", 2, 0], ...],
//      "link client0>primary": [["drop", 2, 0], ["duplicate", 2, 0], ["latency", 4001, 1890], ...],
//      "plan": [["fault_count", 481, 17], ...],
//      "workload client0": [["more_operations", 2, 1], ["think_time", 5001, 433], ...], ...}}
//
// Each stream (named as sim::DecisionStream::Name writes it) lists its decisions in the order the
// run took them, each as [kind, bound, value] (0 <= value < bound; kind as DecisionKindName).
// Replay uses only the values: the kinds and bounds say what the recording run decided, for
// people and for the shrinker. "seed", "flaw" and "schedule" say which run was recorded; `run
// --decisions` uses the seed and flaw unless --seed or --flaw says otherwise, and applies the
// schedule only when it changes the scenario (swarm). docs/reproducing.md documents the format.
#ifndef LOCKSIM_RUNNER_DECISION_FILE_H_
#define LOCKSIM_RUNNER_DECISION_FILE_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "sim/decisions.h"

namespace locksim::runner {

inline constexpr const char* kDecisionFileFormat = "locksim-decisions";
inline constexpr int kDecisionFileVersion = 1;

struct DecisionFile {
  std::string scenario;  // the scenario's name
  uint64_t seed = 0;
  std::string flaw;      // "" when none
  std::string schedule;  // the schedule token the run had, "" when none
  sim::DecisionList decisions;
  bool operator==(const DecisionFile&) const = default;
};

// The file's text: one stream per line, so that two files diff well. Ends with a newline.
std::string DecisionFileText(const DecisionFile& file);

// Reads a decision file's JSON for a scenario with `clients` clients (stream names name its
// nodes). Each error names `path` and the JSON path, e.g.
// `run.json: streams["link primary>client7"]: client 7 does not exist (clients: 3)`.
absl::StatusOr<DecisionFile> DecisionFileFromJson(const nlohmann::json& value,
                                                  const std::string& path, int clients);
// Reads and parses `path`.
absl::StatusOr<DecisionFile> LoadDecisionFile(const std::string& path, int clients);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_DECISION_FILE_H_
