// `locksim merge SWEEP.json...`: joins the --json results of the shards of one sweep into one
// result with the same shape, checking that they belong together and do not overlap.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"

namespace locksim::cli {
namespace {

using nlohmann::json;

struct MergeArgs {
  std::vector<std::string> files;
  bool json_output = false;
};

// Reads one shard's result; the error names the file and the JSON path.
absl::StatusOr<json> ReadShard(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot read"));
  std::stringstream text;
  text << in.rdbuf();
  json value = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return absl::InvalidArgumentError(absl::StrCat(path, ": not JSON"));
  if (!value.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": (root): expected an object"));
  }
  const auto need = [&](const char* key, bool (json::*is)() const noexcept,
                        const char* type) -> absl::Status {
    if (!value.contains(key) || !(value[key].*is)()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", key, ": expected ", type,
                                                     " (is this `locksim sweep --json` "
                                                     "output?)"));
    }
    return absl::OkStatus();
  };
  for (const absl::Status& s :
       {need("scenario", &json::is_string, "a string"),
        need("seeds", &json::is_number_unsigned, "a non-negative integer"),
        need("first_seed", &json::is_number_unsigned, "a non-negative integer"),
        need("expect", &json::is_string, "a string"),
        need("failing_seeds", &json::is_array, "an array")}) {
    if (!s.ok()) return s;
  }
  for (size_t i = 0; i < value["failing_seeds"].size(); ++i) {
    if (!value["failing_seeds"][i].is_number_unsigned()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": failing_seeds[", i, "]: expected a seed (integer)"));
    }
  }
  return value;
}

int MergeCommand(const MergeArgs& args) {
  std::vector<json> shards;
  for (const std::string& file : args.files) {
    absl::StatusOr<json> shard = ReadShard(file);
    if (!shard.ok()) {
      std::cerr << "locksim merge: " << shard.status().message() << "\n";
      return kExitBadInput;
    }
    shards.push_back(std::move(*shard));
  }
  const json& first = shards.front();
  std::vector<std::pair<uint64_t, uint64_t>> ranges;  // [begin, end)
  json merged_failing = json::array();
  json merged_failures = json::array();
  uint64_t seeds = 0;
  double wall = 0;
  for (size_t i = 0; i < shards.size(); ++i) {
    const json& s = shards[i];
    for (const char* key : {"scenario", "expect", "flaw"}) {
      if (s.value(key, json()) != first.value(key, json())) {
        std::cerr << "locksim merge: " << args.files[i] << ": " << key << ": "
                  << s.value(key, json()).dump() << " differs from " << args.files[0] << "'s "
                  << first.value(key, json()).dump() << ": not shards of one sweep\n";
        return kExitBadInput;
      }
    }
    const uint64_t begin = s["first_seed"].get<uint64_t>();
    ranges.emplace_back(begin, begin + s["seeds"].get<uint64_t>());
    seeds += s["seeds"].get<uint64_t>();
    wall = std::max(wall, s.value("wall_seconds", 0.0));
    for (const json& seed : s["failing_seeds"]) merged_failing.push_back(seed);
    if (s.contains("failures") && s["failures"].is_array()) {
      for (const json& f : s["failures"]) merged_failures.push_back(f);
    }
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].first < ranges[i - 1].second) {
      std::cerr << "locksim merge: shards overlap: seeds " << ranges[i].first << ".."
                << ranges[i - 1].second - 1 << " appear twice\n";
      return kExitBadInput;
    }
  }
  std::vector<uint64_t> failing = merged_failing.get<std::vector<uint64_t>>();
  std::sort(failing.begin(), failing.end());
  std::sort(merged_failures.begin(), merged_failures.end(),
            [](const json& a, const json& b) { return a.value("seed", 0) < b.value("seed", 0); });
  bool contiguous = true;
  for (size_t i = 1; i < ranges.size(); ++i) contiguous &= ranges[i].first == ranges[i - 1].second;

  const bool expects_violation = first["expect"] == "violation";
  const bool matches = failing.empty() != expects_violation;
  json out = {
      {"scenario", first["scenario"]},
      {"seeds", seeds},
      {"first_seed", ranges.front().first},
      {"contiguous", contiguous},
      {"shards", shards.size()},
      {"flaw", first.value("flaw", json())},
      {"expect", first["expect"]},
      {"failing_seeds", failing},
      {"failures", std::move(merged_failures)},
      {"outcome", failing.empty() ? "pass" : "violation"},
      {"wall_seconds_max", wall},
  };
  if (args.json_output) {
    std::cout << out.dump() << "\n";
  } else {
    std::cout << "locksim merge  " << shards.size() << " shards of "
              << first["scenario"].get<std::string>() << "\n  seeds      " << seeds << " from "
              << ranges.front().first
              << (contiguous ? " (contiguous)" : " (with gaps between shards)") << "\n"
              << "  failing    " << failing.size() << "\n";
    constexpr size_t kShown = 10;
    for (size_t i = 0; i < out["failures"].size() && i < kShown; ++i) {
      const json& f = out["failures"][i];
      std::cout << "  seed " << f.value("seed", 0) << "  [" << f.value("kind", "") << "]  "
                << f.value("repro", "") << "\n";
    }
    if (out["failures"].size() > kShown) {
      std::cout << "  ... and " << out["failures"].size() - kShown
                << " more failing seeds (--json lists them all)\n";
    }
    std::cout << "  outcome    " << out["outcome"].get<std::string>()
              << (matches ? " (as expected)" : " (NOT as expected)") << "\n";
  }
  return matches ? kExitPass : kExitViolation;
}

}  // namespace

void RegisterMergeCommand(CLI::App& root, int* exit_status) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* merge = root.add_subcommand(
      "merge",
      "Join the `sweep --json` results of several shards into one result. Exit like sweep: 0 "
      "when the outcome matches \"expect\", 1 otherwise, 2 bad input.");
  merge->add_option("SWEEP_JSON", args->files, "one file per shard")->required();
  merge->add_flag("--json", args->json_output, "print one JSON object");
  merge->callback([args, exit_status] { *exit_status = MergeCommand(*args); });
}

}  // namespace locksim::cli
