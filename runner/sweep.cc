#include "runner/sweep.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

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

struct SeedResult {
  bool done = false;
  bool failed = false;
  SeedFailure failure;
  int64_t simulated_micros = 0;
};

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
  const uint64_t count = range.count;
  std::vector<SeedResult> seeds(count);

  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> failures{0};
  std::atomic<bool> stop{false};
  std::atomic<int> workers_left{0};
  std::mutex mutex;
  std::condition_variable changed;

  const auto worker = [&] {
    while (!stop.load(std::memory_order_relaxed)) {
      const uint64_t i = next.fetch_add(1);
      if (i >= count) break;
      RunOptions run;
      run.seed = range.first + i;
      run.flaw = options.flaw;
      run.scenario_path = options.scenario_path;
      run.keep_history = false;
      const RunResult outcome = options.run_scenario(scenario, run);
      SeedResult& slot = seeds[i];
      slot.simulated_micros = outcome.end_time.micros();
      if (!outcome.passed) {
        slot.failed = true;
        slot.failure = SeedFailure{run.seed, outcome.violations.front().kind,
                                   outcome.violations.front().message, outcome.repro};
      } else if (options.check_determinism &&
                 options.run_scenario(scenario, run).fingerprint != outcome.fingerprint) {
        slot.failed = true;
        slot.failure = SeedFailure{run.seed, "nondeterminism",
                                   DescribeDivergence(scenario, run, options), outcome.repro};
      }
      if (slot.failed && failures.fetch_add(1) + 1 >= options.max_failures &&
          options.max_failures > 0) {
        stop.store(true);
      }
      // The slot is read only after the threads are joined, so no lock is needed here; the
      // progress display polls `done` instead of being woken per seed (a wake-up per seed costs
      // a system call, which is a fair share of a 200 µs run).
      slot.done = true;
      done.fetch_add(1, std::memory_order_relaxed);
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      workers_left.fetch_sub(1);
    }
    changed.notify_one();
  };

  const auto start = std::chrono::steady_clock::now();
  const int jobs = static_cast<int>(
      std::clamp<uint64_t>(count, 1, static_cast<uint64_t>(std::max(options.jobs, 1))));
  workers_left.store(jobs);
  std::vector<std::thread> threads;
  for (int j = 0; j < jobs; ++j) threads.emplace_back(worker);
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (workers_left.load() > 0) {
      changed.wait_for(lock, std::chrono::milliseconds(200));
      if (options.progress) options.progress(done.load(), failures.load());
    }
  }
  for (std::thread& t : threads) t.join();
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.progress) options.progress(done.load(), failures.load());

  // Report a prefix of the seeds that does not depend on scheduling: everything when no cap was
  // hit, otherwise the seeds up to and including the M-th failing one (all of which ran,
  // because seeds are taken in increasing order).
  uint64_t reported = count;
  if (options.max_failures > 0) {
    uint64_t seen = 0;
    for (uint64_t i = 0; i < count; ++i) {
      if (!seeds[i].done) break;
      if (seeds[i].failed && ++seen == options.max_failures) {
        reported = i + 1;
        break;
      }
    }
    result.stopped_early = reported < count;
  }
  for (uint64_t i = 0; i < reported; ++i) {
    LOCKSIM_ASSERT(seeds[i].done);
    result.simulated_micros += seeds[i].simulated_micros;
    if (seeds[i].failed) result.failures.push_back(std::move(seeds[i].failure));
  }
  result.seeds_run = reported;
  return result;
}

}  // namespace locksim::runner
