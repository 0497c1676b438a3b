#include "runner/sweep.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "base/assert.h"
#include "runner/simulation.h"
#include "service/node_id.h"
#include "sim/trace.h"

namespace locksim::runner {
namespace {

// Keeps every trace line of a run, to find where two runs of one seed part.
class LinesSink : public sim::TraceSink {
 public:
  explicit LinesSink(std::vector<std::string> names) : inner_(stream_, std::move(names)) {}
  void Write(const sim::TraceRecord& record, std::string_view detail) override {
    inner_.Write(record, detail);
  }
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    std::istringstream in(stream_.str());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

 private:
  std::ostringstream stream_;
  sim::JsonLinesTraceSink inner_;
};

std::string DescribeDivergence(const scenario::Scenario& scenario, const RunOptions& base,
                               const SweepOptions& options) {
  LinesSink first(service::NodeNames(scenario.clients));
  LinesSink second(service::NodeNames(scenario.clients));
  RunOptions a = base;
  a.sinks = {&first};
  RunOptions b = base;
  b.sinks = {&second};
  options.run_scenario(scenario, a);
  options.run_scenario(scenario, b);
  const std::vector<std::string> x = first.Lines();
  const std::vector<std::string> y = second.Lines();
  for (size_t i = 0; i < std::max(x.size(), y.size()); ++i) {
    const std::string left = i < x.size() ? x[i] : "(trace ended)";
    const std::string right = i < y.size() ? y[i] : "(trace ended)";
    if (left != right) {
      return absl::StrCat("the two runs part at trace event #", i + 1, ":\n  first:  ", left,
                          "\n  second: ", right);
    }
  }
  return "the fingerprints differ, but the traces written on a third and fourth run agree: "
         "the nondeterminism is intermittent";
}

}  // namespace

SeedRange ShardSeeds(uint64_t first_seed, uint64_t seeds, Shard shard) {
  LOCKSIM_ASSERT(shard.count > 0 && shard.index < shard.count);
  // 128-bit products: seeds * index may not fit 64 bits for huge ranges.
  const auto boundary = [&](uint64_t i) {
    return absl::Uint128Low64(absl::uint128(seeds) * i / shard.count);
  };
  const uint64_t begin = boundary(shard.index);
  const uint64_t end = boundary(shard.index + 1);
  return SeedRange{first_seed + begin, end - begin};
}

double SeedsPerSecond(const SweepResult& result) {
  return result.wall_seconds > 0 ? static_cast<double>(result.seeds_run) / result.wall_seconds : 0;
}

double FailureRateUpperBound(uint64_t failures, uint64_t runs) {
  if (runs == 0) return 1.0;
  const double z = 1.959963984540054;
  const double n = static_cast<double>(runs);
  const double p = static_cast<double>(failures) / n;
  const double center = p + z * z / (2 * n);
  const double margin = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return std::min(1.0, (center + margin) / (1 + z * z / n));
}

SweepResult RunSweep(const scenario::Scenario& scenario, const SweepOptions& options) {
  SweepResult result;
  result.scenario = scenario.name;
  result.scenario_path = options.scenario_path;
  result.expect = scenario.expect;
  if (options.flaw != service::Flaw::kNone) {
    result.flaw = std::string(service::FlawName(options.flaw));
  }
  result.requested = SeedRange{options.first_seed, options.seeds};
  result.shard = options.shard;
  const SeedRange range = ShardSeeds(options.first_seed, options.seeds, options.shard);
  result.first_seed = range.first;

  ParallelRunsOptions parallel;
  parallel.count = range.count;
  parallel.jobs = options.jobs;
  parallel.max_failures = options.max_failures;
  parallel.progress = options.progress;
  ParallelRunsResult runs = RunInParallel(parallel, [&](uint64_t i, int /*worker*/) {
    RunOptions run;
    run.seed = range.first + i;
    run.flaw = options.flaw;
    run.scenario_path = options.scenario_path;
    run.keep_history = false;
    const RunResult outcome = options.run_scenario(scenario, run);
    IndexedRun slot;
    slot.simulated_micros = outcome.end_time.micros();
    slot.coverage = outcome.coverage;
    if (!outcome.passed) {
      slot.failed = true;
      slot.failure = SeedFailure{run.seed, "", outcome.violations.front().kind,
                                 outcome.violations.front().message, outcome.repro};
    } else if (options.check_determinism &&
               options.run_scenario(scenario, run).fingerprint != outcome.fingerprint) {
      slot.failed = true;
      slot.failure = SeedFailure{run.seed, "", "nondeterminism",
                                 DescribeDivergence(scenario, run, options), outcome.repro};
    }
    return slot;
  });
  result.wall_seconds = runs.wall_seconds;
  result.stopped_early = runs.stopped_early;
  result.seeds_run = runs.runs.size();
  if (options.coverage) result.coverage.emplace();
  for (IndexedRun& run : runs.runs) {
    result.simulated_micros += run.simulated_micros;
    if (result.coverage.has_value()) service::Add(*result.coverage, run.coverage);
    if (run.failed) result.failures.push_back(std::move(run.failure));
  }
  return result;
}

}  // namespace locksim::runner
