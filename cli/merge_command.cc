// `locksim merge SWEEP.json...`: joins the --json results of the shards of one sweep into one
// result with the same shape, checking that they belong together and do not overlap.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/printable.h"
#include "cli/command.h"
#include "runner/sweep.h"
#include "runner/sweep_json.h"

namespace locksim::cli {
namespace {

using nlohmann::json;

struct MergeArgs {
  std::vector<std::string> files;
  bool json_output = false;
};

// Reads one shard's result; the error names the file and the JSON path.
absl::StatusOr<runner::SweepResult> ReadShard(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(Printable(path), ": cannot read"));
  std::stringstream text;
  text << in.rdbuf();
  const json value = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return absl::InvalidArgumentError(absl::StrCat(Printable(path), ": not JSON"));
  }
  return runner::SweepResultFromJson(value, path);
}

int MergeCommand(const MergeArgs& args) {
  std::vector<runner::SweepResult> shards;
  for (const std::string& file : args.files) {
    absl::StatusOr<runner::SweepResult> shard = ReadShard(file);
    if (!shard.ok()) {
      std::cerr << "locksim merge: " << shard.status().message() << "\n";
      return kExitBadInput;
    }
    shards.push_back(std::move(*shard));
  }
  const runner::SweepResult& first = shards.front();
  const json first_json = runner::SweepResultJson(first);
  runner::SweepResult merged;
  merged.scenario = first.scenario;
  merged.scenario_path = first.scenario_path;
  merged.expect = first.expect;
  merged.flaw = first.flaw;
  std::vector<std::pair<uint64_t, uint64_t>> ranges;  // [begin, end)
  for (size_t i = 0; i < shards.size(); ++i) {
    const runner::SweepResult& s = shards[i];
    const json s_json = runner::SweepResultJson(s);
    for (const char* key : {"scenario", "expect", "flaw"}) {
      if (s_json[key] != first_json[key]) {
        std::cerr << "locksim merge: " << Printable(args.files[i]) << ": " << key << ": "
                  << s_json[key].dump() << " differs from " << Printable(args.files[0]) << "'s "
                  << first_json[key].dump() << ": not shards of one sweep\n";
        return kExitBadInput;
      }
    }
    ranges.emplace_back(s.first_seed, s.first_seed + s.seeds_run);
    merged.seeds_run += s.seeds_run;
    merged.failures.insert(merged.failures.end(), s.failures.begin(), s.failures.end());
    merged.stopped_early |= s.stopped_early;
    // Shards run side by side: the merged sweep took as long as the slowest.
    merged.wall_seconds = std::max(merged.wall_seconds, s.wall_seconds);
    merged.simulated_micros += s.simulated_micros;
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].first < ranges[i - 1].second) {
      std::cerr << "locksim merge: shards overlap: seeds " << ranges[i].first << ".."
                << ranges[i - 1].second - 1 << " appear twice\n";
      return kExitBadInput;
    }
  }
  std::stable_sort(
      merged.failures.begin(), merged.failures.end(),
      [](const runner::SeedFailure& a, const runner::SeedFailure& b) { return a.seed < b.seed; });
  bool contiguous = true;
  for (size_t i = 1; i < ranges.size(); ++i) contiguous &= ranges[i].first == ranges[i - 1].second;
  uint64_t end = 0;
  for (const auto& range : ranges) end = std::max(end, range.second);
  merged.first_seed = ranges.front().first;
  // The merged result is one whole sweep of the seeds its shards span.
  merged.requested = runner::SeedRange{merged.first_seed, end - merged.first_seed};
  merged.shard = runner::Shard{};

  const bool matches = runner::MatchesExpectation(merged);
  if (args.json_output) {
    json out = runner::SweepResultJson(merged);
    out["contiguous"] = contiguous;
    out["shards"] = shards.size();
    out["wall_seconds_max"] = merged.wall_seconds;
    std::cout << out.dump() << "\n";
  } else {
    std::cout << "locksim merge  " << shards.size() << " shards of " << Printable(merged.scenario)
              << "\n  seeds      " << merged.seeds_run << " from " << merged.first_seed
              << (contiguous ? " (contiguous)" : " (with gaps between shards)") << "\n"
              << "  failing    " << merged.failures.size() << "\n";
    constexpr size_t kShown = 10;
    for (size_t i = 0; i < merged.failures.size() && i < kShown; ++i) {
      const runner::SeedFailure& f = merged.failures[i];
      std::cout << "  seed " << f.seed << "  [" << Printable(f.kind) << "]  " << Printable(f.repro)
                << "\n";
    }
    if (merged.failures.size() > kShown) {
      std::cout << "  ... and " << merged.failures.size() - kShown
                << " more failing seeds (--json lists them all)\n";
    }
    std::cout << "  outcome    " << runner::OutcomeName(merged)
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
