#include "runner/parallel_runs.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/assert.h"

namespace locksim::runner {

ParallelRunsResult RunInParallel(const ParallelRunsOptions& options,
                                 const std::function<IndexedRun(uint64_t index, int worker)>& run) {
  const uint64_t count = options.count;
  std::vector<IndexedRun> runs(count);
  std::vector<uint8_t> done_flags(count, 0);  // written by one worker, read after the join

  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> failures{0};
  std::atomic<bool> stop{false};
  std::atomic<int> workers_left{0};
  std::mutex mutex;
  std::condition_variable changed;

  const auto worker = [&](int worker_index) {
    while (!stop.load(std::memory_order_relaxed)) {
      const uint64_t i = next.fetch_add(1);
      if (i >= count) break;
      runs[i] = run(i, worker_index);
      if (runs[i].failed && failures.fetch_add(1) + 1 >= options.max_failures &&
          options.max_failures > 0) {
        stop.store(true);
      }
      // The slot is read only after the threads are joined, so no lock is needed here; the
      // progress display polls `done` instead of being woken per run (a wake-up per run costs
      // a system call, which is a fair share of a 200 µs run).
      done_flags[i] = 1;
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
  for (int j = 0; j < jobs; ++j) threads.emplace_back(worker, j);
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (workers_left.load() > 0) {
      changed.wait_for(lock, std::chrono::milliseconds(200));
      if (options.progress) options.progress(done.load(), failures.load());
    }
  }
  for (std::thread& t : threads) t.join();
  ParallelRunsResult result;
  result.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.progress) options.progress(done.load(), failures.load());

  // Report a prefix that does not depend on scheduling: everything when no cap was hit,
  // otherwise the runs up to and including the M-th failing one (all of which ran, because
  // indices are taken in increasing order).
  uint64_t reported = count;
  if (options.max_failures > 0) {
    uint64_t seen = 0;
    for (uint64_t i = 0; i < count; ++i) {
      if (done_flags[i] == 0) break;
      if (runs[i].failed && ++seen == options.max_failures) {
        reported = i + 1;
        break;
      }
    }
    result.stopped_early = reported < count;
  }
  for (uint64_t i = 0; i < reported; ++i) LOCKSIM_ASSERT(done_flags[i] != 0);
  runs.resize(reported);
  result.runs = std::move(runs);
  return result;
}

}  // namespace locksim::runner
