// Lock linearizability checker throughput: operations checked per second, JSON parsing not
// counted (the history is built in memory; BM_Parse* time parsing, and
// scripts/bench_check_file.sh times the whole command). docs/benchmarks.md has the figures.
// Target (checker issue): at least 20 million operations per second on 1-million-operation
// histories at 16 clients x 64 locks and at 64 clients x 1 lock, 1% of operations pending.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/splitmix64.h"
#include "check/history.h"
#include "check/history_json.h"
#include "check/history_json_precise.h"
#include "check/lock_linearizability.h"
#include "check/wgl_linearizability.h"

namespace locksim::check {
namespace {

// splitmix64 (base/splitmix64.h), so the histories are the same everywhere.
class BenchRng {
 public:
  explicit BenchRng(uint64_t seed) : bits_(seed) {}
  uint64_t Next() { return bits_.Next(); }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }

 private:
  SplitMix64 bits_;
};

// A history of `ops` operations that really ran against a correct lock per name: each client
// issues operations one after another (a think time, then an interval); each takes effect at a
// point inside its interval, and results follow from the order of those points. A pending
// operation (one in `pending_per_10000` / 10000) took effect or not, at random; its client goes
// on (it gave up on the call). Recorded in invoke order, as the simulator records histories.
History GenerateHistory(int64_t ops, int clients, int locks, int pending_per_10000, uint64_t seed) {
  struct Planned {
    HistoryOperation op;
    int64_t point;
    bool takes_effect;
  };
  BenchRng rng(seed);
  std::vector<std::string> names;
  for (int l = 0; l < locks; ++l) names.push_back("l" + std::to_string(l));
  std::vector<int64_t> client_time(static_cast<size_t>(clients), 0);
  std::vector<Planned> planned;
  planned.reserve(static_cast<size_t>(ops));
  for (int64_t i = 0; i < ops; ++i) {
    const int client = static_cast<int>(i % clients);
    int64_t& now = client_time[static_cast<size_t>(client)];
    Planned p;
    p.op.client = client;
    p.op.op = rng.Below(2) == 0 ? LockOp::kLock : LockOp::kUnlock;
    p.op.lock = names[static_cast<size_t>(rng.Below(locks))];
    p.op.invoke = now + rng.Below(20);
    p.point = p.op.invoke + rng.Below(50);
    const int64_t ret = p.point + rng.Below(50);
    const bool pending = rng.Below(10'000) < pending_per_10000;
    p.takes_effect = !pending || rng.Below(2) == 0;
    if (!pending) p.op.ret = ret;
    now = ret;
    planned.push_back(std::move(p));
  }
  std::vector<uint32_t> order(planned.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return planned[a].point != planned[b].point ? planned[a].point < planned[b].point : a < b;
  });
  std::vector<bool> held(static_cast<size_t>(locks), false);
  for (uint32_t i : order) {
    Planned& p = planned[i];
    if (!p.takes_effect) continue;
    const size_t lock = static_cast<size_t>(std::stoi(p.op.lock.substr(1)));
    const bool result = p.op.op == LockOp::kLock ? !held[lock] : held[lock];
    held[lock] = p.op.op == LockOp::kLock;
    if (p.op.ret.has_value()) p.op.result = result;
  }
  std::stable_sort(planned.begin(), planned.end(),
                   [](const Planned& a, const Planned& b) { return a.op.invoke < b.op.invoke; });
  History history;
  history.operations.reserve(planned.size());
  for (Planned& p : planned) history.operations.push_back(std::move(p.op));
  return history;
}

constexpr int64_t kMillion = 1'000'000;

void RunVerdict(benchmark::State& state, const History& history) {
  // One untimed run first: glibc raises its mmap threshold after the first large free, so later
  // runs reuse heap memory instead of faulting in fresh pages (the steady state of a sweep).
  benchmark::DoNotOptimize(IsLockHistoryLinearizable(history));
  for (auto _ : state) {
    const bool linearizable = IsLockHistoryLinearizable(history);
    if (!linearizable) state.SkipWithError("a generated history must be linearizable");
    benchmark::DoNotOptimize(linearizable);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(history.operations.size()));
}

// The two target points: args are clients, locks; 1% pending.
void BM_CheckVerdict(benchmark::State& state) {
  const History history =
      GenerateHistory(kMillion, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)),
                      /*pending_per_10000=*/100, /*seed=*/1);
  RunVerdict(state, history);
}
BENCHMARK(BM_CheckVerdict)
    ->ArgNames({"clients", "locks"})
    ->Args({16, 64})
    ->Args({64, 1})
    ->Unit(benchmark::kMillisecond);

// The same with the explanation machinery on (what `locksim check` runs): on a linearizable
// history it costs nothing more than the verdict.
void BM_CheckWithExplanation(benchmark::State& state) {
  const History history =
      GenerateHistory(kMillion, static_cast<int>(state.range(0)), static_cast<int>(state.range(1)),
                      /*pending_per_10000=*/100, /*seed=*/1);
  benchmark::DoNotOptimize(CheckLockLinearizability(history).linearizable);  // as above
  for (auto _ : state) {
    const LockCheckResult result = CheckLockLinearizability(history);
    if (!result.linearizable) state.SkipWithError("a generated history must be linearizable");
    benchmark::DoNotOptimize(result.linearizable);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(history.operations.size()));
}
BENCHMARK(BM_CheckWithExplanation)
    ->ArgNames({"clients", "locks"})
    ->Args({16, 64})
    ->Args({64, 1})
    ->Unit(benchmark::kMillisecond);

// The cost curve on one lock (all concurrency on one automaton): clients x pending (per 10,000).
void BM_CheckCurve(benchmark::State& state) {
  const History history = GenerateHistory(kMillion, static_cast<int>(state.range(0)), 1,
                                          static_cast<int>(state.range(1)), /*seed=*/2);
  RunVerdict(state, history);
}
BENCHMARK(BM_CheckCurve)
    ->ArgNames({"clients", "pending_per_10000"})
    ->ArgsProduct({{1, 4, 16, 64, 256}, {0, 100, 500, 2000}})
    ->Unit(benchmark::kMillisecond);

// Non-linearizable histories of 1,000,000 operations on one lock, without pending operations:
// the verdict plus the explanation (certificate, sentence, key operations). Both fail by a count
// that spans the history, so the certificate holds a large share of its operations and is found
// by FindCountCertificate, not by shrinking.
//  - BM_CheckExplainTrailingLocks: two successful Locks appended after the end (every Lock of the
//    history is in the certificate).
//  - BM_CheckExplainFlippedResult: the result of the completed Lock in the middle flipped.
History FailingHistory(int clients, bool flip) {
  History history = GenerateHistory(kMillion, clients, 1, 0, 3);
  if (flip) {
    for (size_t i = history.operations.size() / 2; i < history.operations.size(); ++i) {
      HistoryOperation& op = history.operations[i];
      if (op.op == LockOp::kLock && op.result.has_value()) {
        op.result = !*op.result;
        break;
      }
    }
    return history;
  }
  int64_t end = 0;
  for (const HistoryOperation& op : history.operations) end = std::max(end, op.ret.value_or(0));
  for (int64_t k = 0; k < 2; ++k) {
    history.operations.push_back(
        {1000 + k, LockOp::kLock, "l0", end + 1 + 2 * k, end + 2 + 2 * k, true});
  }
  return history;
}

void RunExplain(benchmark::State& state, const History& history) {
  size_t certificate = 0;
  for (auto _ : state) {
    const LockCheckResult result = CheckLockLinearizability(history);
    if (result.linearizable || !result.minimal) state.SkipWithError("must fail, explained");
    certificate = result.unorderable.size();
    benchmark::DoNotOptimize(result.key_operations.size());
  }
  state.counters["certificate"] = static_cast<double>(certificate);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(history.operations.size()));
}

void BM_CheckExplainTrailingLocks(benchmark::State& state) {
  RunExplain(state, FailingHistory(static_cast<int>(state.range(0)), /*flip=*/false));
}
void BM_CheckExplainFlippedResult(benchmark::State& state) {
  RunExplain(state, FailingHistory(static_cast<int>(state.range(0)), /*flip=*/true));
}
BENCHMARK(BM_CheckExplainTrailingLocks)
    ->ArgNames({"clients"})
    ->Arg(4)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CheckExplainFlippedResult)
    ->ArgNames({"clients"})
    ->Arg(16)
    ->Unit(benchmark::kMillisecond);

// Parsing a history file's text (docs/history-format.md) as recorders write it: simdjson, which
// reads every file, against the precise parser, which words the errors of the files simdjson
// refuses. 200,000 operations, 16 clients x 64 locks, 1% pending (about 19 MB as
// WriteHistoryJson writes it). Bytes per second as well as operations. ParseHistoryJson copies
// the text once into a padded buffer (LoadHistoryJsonFile does not need to); that copy is timed.
void RunParse(benchmark::State& state, bool precise) {
  const History history = GenerateHistory(200'000, 16, 64, /*pending_per_10000=*/100, 5);
  const std::string text = WriteHistoryJson(history);
  for (auto _ : state) {
    absl::StatusOr<History> parsed = precise ? ParseHistoryJsonPrecise(text, "bench.json")
                                             : ParseHistoryJson(text, "bench.json");
    if (!parsed.ok() || parsed->operations.size() != history.operations.size()) {
      state.SkipWithError("the history must parse back");
    }
    benchmark::DoNotOptimize(parsed);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(history.operations.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
void BM_ParseSimdjson(benchmark::State& state) { RunParse(state, /*precise=*/false); }
void BM_ParsePrecise(benchmark::State& state) { RunParse(state, /*precise=*/true); }
BENCHMARK(BM_ParseSimdjson)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParsePrecise)->Unit(benchmark::kMillisecond);

// The general Wing-Gong-Lowe search on the same kind of history, for comparison (small: it is
// exponential in concurrency, and memoises a bitset of the history per state).
void BM_WglReference(benchmark::State& state) {
  const History history = GenerateHistory(state.range(1), static_cast<int>(state.range(0)), 1,
                                          /*pending_per_10000=*/100, /*seed=*/4);
  for (auto _ : state) {
    const WglHistoryResult result = CheckHistoryWithWgl(
        history, WglBudget{.steps = 1'000'000'000, .memory_bytes = uint64_t{4} << 30});
    if (result.verdict != Verdict::kLinearizable) state.SkipWithError("WGL: not linearizable");
    benchmark::DoNotOptimize(result.steps);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(history.operations.size()));
}
BENCHMARK(BM_WglReference)
    ->ArgNames({"clients", "ops"})
    ->Args({4, 2000})
    ->Args({16, 2000})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace locksim::check

BENCHMARK_MAIN();
