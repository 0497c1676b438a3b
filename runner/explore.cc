#include "runner/explore.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>
#include <variant>

#include "absl/container/btree_set.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/assert.h"
#include "runner/fault_plan.h"
#include "runner/fault_schedule.h"
#include "sim/prng.h"

namespace locksim::runner {
namespace {

constexpr size_t kNoParent = SIZE_MAX;

// One schedule of the list: the seed it runs and how. A faults schedule with a parent (the
// schedule of the previous phase it adds its last placement to) may run from a fork of the
// parent's run, paused before `fork_event`, the event where that placement falls (0: before the
// first event, so it runs from the start).
struct Planned {
  uint64_t seed = 0;
  Schedule schedule;
  size_t parent = kNoParent;  // into the previous phase's list
  uint64_t fork_event = 0;
};

// What an exploration phase keeps of each run besides the engine's IndexedRun.
struct PhaseRun {
  std::vector<FaultPlacement> points_after;  // faults, when the next depth needs them
  std::vector<uint64_t> point_events;        // the event each of points_after fell in
};

// One worker's paused run of a parent schedule: its children fork from it in the order of their
// fork events, so one run of the parent serves all the children the worker takes.
struct ParentRun {
  size_t parent = kNoParent;
  RunOptions options;
  ScheduledRun prepared;  // the parent's decision source, which logs its points
  std::optional<ForkableRun> run;
};

// "1,412".
std::string Thousands(uint64_t n) {
  std::string digits = absl::StrCat(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// `count` distinct indices of [0, n), uniformly, in increasing order (Floyd's algorithm), drawn
// from `seed`: a sample that is the same on every machine and in every shard.
std::vector<uint64_t> Sample(uint64_t n, uint64_t count, uint64_t seed) {
  LOCKSIM_ASSERT(count <= n);
  sim::Prng rng = sim::Prng(seed).Fork(sim::Stream::kSchedule, 1);
  absl::btree_set<uint64_t> chosen;
  for (uint64_t j = n - count; j < n; ++j) {
    const uint64_t t = rng.Below(j + 1);
    if (!chosen.insert(t).second) chosen.insert(j);
  }
  return {chosen.begin(), chosen.end()};
}

// The servers a placement may fail in this seed's run: at most one server fails, so a server
// fault goes only where the scenario's own faults may strike (anywhere when they strike none).
bool Allowed(const FaultPlacement& p, const std::vector<service::NodeId>& scenario_fails) {
  if (!p.is_server_fault()) return true;
  if (scenario_fails.size() >= 2) return false;
  return scenario_fails.empty() || scenario_fails.front() == p.server;
}

class Explorer {
 public:
  Explorer(const scenario::Scenario& scenario, const ExploreOptions& options)
      : scenario_(scenario), options_(options) {
    result_.scenario = scenario.name;
    result_.scenario_path = options.scenario_path;
    result_.expect = scenario.expect;
    if (options.flaw != service::Flaw::kNone) {
      result_.flaw = std::string(service::FlawName(options.flaw));
    }
    result_.strategy = options.strategy;
    result_.depth = options.depth;
    result_.budget = options.budget;
    result_.first_seed = options.first_seed;
    result_.seeds = options.seeds;
    result_.shard = options.shard;
  }

  ExploreResult Run() {
    switch (options_.strategy) {
      case ExploreStrategy::kFaults:
        ExploreFaults();
        break;
      case ExploreStrategy::kPct:
        ExplorePct();
        break;
      case ExploreStrategy::kSwarm:
        ExploreSwarm();
        break;
    }
    return std::move(result_);
  }

 private:
  // Runs `list` (reporting it when `report`), keeping what `keep_points` asks of each run; the
  // schedules with a parent fork from a run of theirs in `parents`. Returns false when
  // --max-failures stopped it.
  bool RunPhase(const std::vector<Planned>& list, bool report, bool keep_points,
                std::vector<PhaseRun>* kept, const std::vector<Planned>* parents = nullptr) {
    if (report && !list.empty() && CapReached()) return false;  // nothing more may run
    if (kept != nullptr) kept->assign(list.size(), PhaseRun{});
    ParallelRunsOptions parallel;
    parallel.count = list.size();
    parallel.jobs = options_.jobs;
    if (report && options_.max_failures > 0) {
      parallel.max_failures = options_.max_failures - result_.failures.size();
    }
    const uint64_t done_before = result_.schedules_run;
    const uint64_t failing_before = result_.failures.size();
    if (options_.progress && report) {
      parallel.progress = [&](uint64_t done, uint64_t failures) {
        options_.progress(done_before + done, known_, failing_before + failures);
      };
    }
    std::vector<ParentRun> parent_runs(static_cast<size_t>(std::max(options_.jobs, 1)));
    ParallelRunsResult runs = RunInParallel(parallel, [&](uint64_t i, int worker) {
      const Planned& planned = list[i];
      RunOptions run = PhaseRunOptions(planned.seed);
      ScheduledRunResult outcome =
          parents != nullptr && planned.parent != kNoParent && planned.fork_event > 0 &&
                  options_.fork_runs
              ? RunForked(planned, (*parents)[planned.parent],
                          parent_runs[static_cast<size_t>(worker)], run, keep_points)
              : RunScheduled(scenario_, planned.schedule, run, keep_points);
      if (kept != nullptr) {
        (*kept)[i].points_after = std::move(outcome.points_after_last_placement);
        (*kept)[i].point_events = std::move(outcome.point_events);
      }
      IndexedRun slot;
      slot.simulated_micros = outcome.result.end_time.micros();
      slot.coverage = outcome.result.coverage;
      if (!outcome.result.passed) {
        slot.failed = true;
        const Violation& first = outcome.result.violations.front();
        slot.failure = RunFailure{run.seed, ScheduleToken(list[i].schedule), first.kind,
                                  first.message, outcome.result.repro};
      }
      return slot;
    });
    result_.wall_seconds += runs.wall_seconds;
    if (!report) return true;
    result_.schedules_run += runs.runs.size();
    if (options_.coverage && !result_.coverage.has_value()) result_.coverage.emplace();
    for (IndexedRun& run : runs.runs) {
      result_.simulated_micros += run.simulated_micros;
      if (result_.coverage.has_value()) service::Add(*result_.coverage, run.coverage);
      if (run.failed) result_.failures.push_back(std::move(run.failure));
    }
    if (kept != nullptr) kept->resize(runs.runs.size());
    return !runs.stopped_early;
  }

  RunOptions PhaseRunOptions(uint64_t seed) const {
    RunOptions run;
    run.seed = seed;
    run.flaw = options_.flaw;
    run.scenario_path = options_.scenario_path;
    run.keep_history = false;
    return run;
  }

  // `planned` from a fork of its parent's run, which `parent_run` holds paused at or before the
  // fork event (else it starts the parent's run anew).
  ScheduledRunResult RunForked(const Planned& planned, const Planned& parent, ParentRun& parent_run,
                               const RunOptions& run, bool keep_points) {
    const uint64_t before = planned.fork_event - 1;  // events the fork starts after
    if (parent_run.parent != planned.parent || !parent_run.run.has_value() ||
        parent_run.run->events() > before) {
      parent_run.run.reset();
      parent_run.parent = planned.parent;
      parent_run.prepared =
          PrepareSchedule(parent.schedule, scenario_, parent.seed, /*log_points=*/true);
      parent_run.options = PhaseRunOptions(parent.seed);
      parent_run.options.decision_source = parent_run.prepared.source.get();
      parent_run.run.emplace(scenario_, parent_run.options);
    }
    // The parent's own run reached this event, so the same run pauses before it.
    const bool paused = parent_run.run->RunUntil(before);
    LOCKSIM_ASSERT(paused);
    return RunScheduledFrom(*parent_run.run, *parent_run.prepared.faults, scenario_,
                            planned.schedule, run, keep_points);
  }

  // --max-failures failing schedules are known: nothing more runs.
  bool CapReached() const {
    return options_.max_failures > 0 && result_.failures.size() >= options_.max_failures;
  }

  // The cap stopped the exploration before the end of its list.
  void Stopped() {
    result_.stopped_early = true;
    result_.exhaustive = false;
    result_.guarantee = absl::StrCat("stopped after ", result_.failures.size(),
                                     " failing schedules (--max-failures): not exhaustive");
  }

  // --- faults ---

  void ExploreFaults() {
    // Phase 0: each seed's own run, which lists the injection points of depth 1.
    std::vector<Planned> bases;
    std::vector<std::vector<service::NodeId>> fails;
    for (uint64_t s = 0; s < options_.seeds; ++s) {
      const uint64_t seed = options_.first_seed + s;
      bases.push_back(Planned{seed, FaultsSchedule{}});
      fails.push_back(ServersFailedByScenario(
          scenario_, DrawFaultPlan(scenario_, sim::Prng(seed).Fork(sim::Stream::kFaults))));
    }
    known_ = bases.size();
    std::vector<PhaseRun> base_points;
    const bool report_bases = options_.shard.index == 0;
    if (!RunPhase(bases, report_bases, /*keep_points=*/true, &base_points)) return Stopped();

    // Phase 1: one placement.
    std::vector<Planned> singles;  // each one's parent: its seed's own run in `bases`
    for (size_t b = 0; b < bases.size(); ++b) {
      const PhaseRun& base = base_points[b];
      for (size_t p = 0; p < base.points_after.size(); ++p) {
        const FaultPlacement& point = base.points_after[p];
        if (!Allowed(point, fails[b])) continue;
        singles.push_back(Planned{bases[b].seed, FaultsSchedule{{point}}, b, base.point_events[p]});
      }
    }
    const uint64_t space1 = bases.size() + singles.size();
    bool exhaustive1 = true;
    if (space1 > options_.budget) {
      exhaustive1 = false;
      const std::vector<uint64_t> keep =
          Sample(singles.size(), options_.budget - std::min(options_.budget, bases.size()),
                 options_.first_seed);
      std::vector<Planned> sampled;
      for (uint64_t i : keep) sampled.push_back(singles[i]);
      singles = std::move(sampled);
    }
    // This shard's block of the singles (the seeds' own runs are shard 0's).
    const SeedRange block = ShardSeeds(0, singles.size(), options_.shard);
    singles = {singles.begin() + static_cast<ptrdiff_t>(block.first),
               singles.begin() + static_cast<ptrdiff_t>(block.first + block.count)};
    known_ = (report_bases ? bases.size() : 0) + singles.size();
    const bool deeper = options_.depth >= 2 && exhaustive1;
    std::vector<PhaseRun> single_points;
    const bool finished1 = RunPhase(singles, true, deeper, &single_points, &bases);
    const uint64_t covered1 = (report_bases ? bases.size() : 0) + singles.size();
    if (!finished1) return Stopped();
    if (!exhaustive1) {
      result_.guarantee =
          absl::StrCat("sampled: ", Thousands(covered1), " of the ", Thousands(space1),
                       " schedules with at most one fault (raise --budget to run them all)");
      result_.space = space1;
      return;
    }
    result_.exhaustive = true;
    result_.exhaustive_depth = 1;
    result_.exhaustive_schedules = covered1;
    result_.space = covered1;
    result_.guarantee = ExhaustiveSentence(covered1, 1, fails);
    if (options_.depth < 2) return;

    // Phase 2: a second placement after the first, never a second server fault.
    std::vector<Planned> pairs;
    for (size_t i = 0; i < singles.size(); ++i) {
      const FaultPlacement& first = std::get<FaultsSchedule>(singles[i].schedule).placements[0];
      const PhaseRun& single = single_points[i];
      for (size_t p = 0; p < single.points_after.size(); ++p) {
        const FaultPlacement& point = single.points_after[p];
        if (!Allowed(point, fails[singles[i].parent])) continue;
        if (first.is_server_fault() && point.is_server_fault()) continue;
        pairs.push_back(
            Planned{singles[i].seed, FaultsSchedule{{first, point}}, i, single.point_events[p]});
      }
    }
    const uint64_t room = options_.budget > covered1 ? options_.budget - covered1 : 0;
    const uint64_t space2 = covered1 + pairs.size();
    result_.space = space2;
    if (pairs.size() > room) {
      const std::vector<uint64_t> keep = Sample(pairs.size(), room, options_.first_seed + 1);
      std::vector<Planned> sampled;
      for (uint64_t i : keep) sampled.push_back(pairs[i]);
      pairs = std::move(sampled);
      result_.exhaustive = false;
      result_.guarantee =
          absl::StrCat(result_.guarantee, "; depth 2 sampled: ", Thousands(pairs.size()), " of ",
                       Thousands(space2 - covered1),
                       " schedules with two faults (raise --budget to run them all)");
    }
    known_ += pairs.size();
    if (!RunPhase(pairs, true, false, nullptr, &singles)) return Stopped();
    if (result_.exhaustive) {
      result_.exhaustive_depth = 2;
      result_.exhaustive_schedules = space2;
      result_.guarantee = ExhaustiveSentence(space2, 2, fails);
    }
  }

  // "exhaustive over seed 0: all 1,412 schedules with at most one fault (...)"
  std::string ExhaustiveSentence(uint64_t schedules, int depth,
                                 const std::vector<std::vector<service::NodeId>>& fails) const {
    std::vector<std::string> kinds;
    bool primary = false;
    bool backup = false;
    for (const auto& f : fails) {
      primary |= f.size() < 2 && (f.empty() || f[0] == service::kPrimaryNode);
      backup |= f.size() < 2 && (f.empty() || f[0] == service::kBackupNode);
    }
    if (primary) kinds.push_back("a primary crash after any message it handles");
    if (primary) kinds.push_back("the primary deaf at any client request");
    if (backup) kinds.push_back("a backup crash after any message it handles");
    kinds.push_back("any lost reply");
    kinds.push_back("any duplicated client request");
    std::string seeds = options_.seeds == 1
                            ? absl::StrCat("seed ", options_.first_seed)
                            : absl::StrCat("seeds ", options_.first_seed, "..",
                                           options_.first_seed + options_.seeds - 1);
    std::string shard;
    if (options_.shard.count > 1) {
      shard = absl::StrCat(" (shard ", options_.shard.index, "/", options_.shard.count, "'s part)");
    }
    return absl::StrCat("exhaustive over ", seeds, shard, ": all ", Thousands(schedules),
                        " schedules with at most ", depth == 1 ? "one fault" : "two faults",
                        depth == 1 ? "" : " (one server fault at most)", " — ",
                        absl::StrJoin(kinds, ", "), " — on top of the scenario's own");
  }

  // --- pct and swarm: one schedule per seed ---

  std::vector<Planned> SeedSchedules(const Schedule& schedule) {
    const SeedRange block = ShardSeeds(options_.first_seed, options_.budget, options_.shard);
    std::vector<Planned> list;
    for (uint64_t i = 0; i < block.count; ++i) list.push_back(Planned{block.first + i, schedule});
    result_.first_seed = block.first;
    result_.seeds = block.count;
    result_.space = block.count;
    known_ = block.count;
    return list;
  }

  void ExplorePct() {
    // n: the messages the first seed's own run sends (its change points fall among them).
    RunOptions calibration;
    calibration.seed = options_.first_seed;
    calibration.flaw = options_.flaw;
    calibration.keep_history = false;
    const RunResult base = RunScenario(scenario_, calibration);
    const uint64_t sends = std::max<uint64_t>(1, base.network.sent + base.network.calls_refused);
    result_.pct_sends = sends;
    const PctSchedule pct{options_.depth, sends};
    const std::vector<Planned> list = SeedSchedules(pct);
    result_.guarantee = PctGuarantee(pct, list.size());
    if (!RunPhase(list, true, false, nullptr)) Stopped();
  }

  std::string PctGuarantee(const PctSchedule& pct, uint64_t schedules) const {
    const int w = scenario_.clients;
    const int d = pct.depth;
    const double n = static_cast<double>(pct.sends);
    const double p = 1.0 / (w * std::pow(n, d - 1));
    const int levels = w + d - 1;
    const int64_t span = (scenario_.network.latency.max - scenario_.network.latency.min).micros();
    const std::string overtake =
        span == 0 || levels < 2
            ? "the scenario's latency is one value, so priorities only order events due at the "
              "same instant"
            : absl::StrCat("a higher-priority message overtakes a lower-priority one sent up to ",
                           sim::FormatSimTime(sim::Time::FromMicros(span / (levels - 1))),
                           " before it; orderings that need a longer overtake are not produced "
                           "by priorities alone");
    return absl::StrFormat(
        "pct with d=%d over w=%d chains (clients) and the first n=%s sends: a schedule puts any "
        "given chain on top and lowers priorities at any given %d sends (in order) with "
        "probability >= 1/(w*n^(d-1)) = %.3g, so a bug that shows whenever that pattern holds "
        "is found by one of the %s schedules with probability >= %.3g (when every seed's run "
        "has it); %s",
        d, w, Thousands(pct.sends), d - 1, p, Thousands(schedules),
        1.0 - std::pow(1.0 - p, static_cast<double>(schedules)), overtake);
  }

  void ExploreSwarm() {
    const std::vector<Planned> list = SeedSchedules(SwarmSchedule{});
    if (!RunPhase(list, true, false, nullptr)) return Stopped();
    result_.guarantee = absl::StrCat(
        "swarm: ", Thousands(list.size()),
        " seeds, each with its own configuration within the failure model (clients, locks, "
        "latency range, duplicates, lost replies, at most one server fault); no coverage "
        "guarantee beyond that");
  }

  const scenario::Scenario& scenario_;
  const ExploreOptions& options_;
  ExploreResult result_;
  uint64_t known_ = 0;  // schedules known so far, for progress
};

}  // namespace

const char* StrategyName(ExploreStrategy strategy) {
  switch (strategy) {
    case ExploreStrategy::kFaults:
      return "faults";
    case ExploreStrategy::kPct:
      return "pct";
    case ExploreStrategy::kSwarm:
      return "swarm";
  }
  LOCKSIM_UNREACHABLE("unknown strategy");
}

std::optional<ExploreStrategy> StrategyByName(std::string_view name) {
  for (ExploreStrategy s :
       {ExploreStrategy::kFaults, ExploreStrategy::kPct, ExploreStrategy::kSwarm}) {
    if (name == StrategyName(s)) return s;
  }
  return std::nullopt;
}

ExploreStrategy DefaultStrategy(const scenario::Scenario& scenario) {
  return scenario.workload.has_value() ? ExploreStrategy::kSwarm : ExploreStrategy::kFaults;
}

std::string ExploreMisfit(const scenario::Scenario& scenario, const ExploreOptions& options) {
  if (options.strategy == ExploreStrategy::kSwarm && !scenario.workload.has_value()) {
    return "--strategy swarm draws a workload's configuration, and this scenario is a script "
           "(use --strategy faults or pct)";
  }
  if (options.strategy == ExploreStrategy::kFaults && (options.depth < 1 || options.depth > 2)) {
    return "--depth: faults places 1 or 2 faults per schedule";
  }
  if (options.strategy == ExploreStrategy::kPct && (options.depth < 1 || options.depth > 64)) {
    return "--depth: pct's depth is 1 to 64";
  }
  if (options.strategy == ExploreStrategy::kSwarm && options.depth != 1) {
    return "--depth does not apply to swarm";
  }
  if (options.budget == 0) return "--budget must be at least 1";
  if (options.strategy == ExploreStrategy::kFaults) {
    if (options.seeds == 0) return "--seeds must be at least 1";
    if (options.budget < options.seeds) {
      return "--budget must cover at least the seeds' own runs (one schedule per seed)";
    }
  }
  if (options.first_seed > UINT64_MAX - std::max(options.seeds, options.budget)) {
    return "--first-seed is too large: the seeds would overflow 64 bits";
  }
  return "";
}

ExploreResult RunExplore(const scenario::Scenario& scenario, const ExploreOptions& options) {
  LOCKSIM_ASSERT(ExploreMisfit(scenario, options).empty());
  return Explorer(scenario, options).Run();
}

namespace {

// RunScheduled's and RunScheduledFrom's common part: `run` runs the scenario with the options.
ScheduledRunResult RunPrepared(const ScheduledRun& prepared, RunOptions options, bool keep_points,
                               absl::FunctionRef<RunResult(const RunOptions&)> run) {
  options.decision_source = prepared.source.get();
  options.repro_decisions = "--schedule " + prepared.token;
  options.schedule = prepared.description;
  ScheduledRunResult out;
  out.result = run(options);
  if (keep_points) {
    if (const FaultsSource* faults = prepared.faults) {
      const std::vector<FaultPlacement>& points = faults->points();
      const size_t last = faults->points_before_last_placement();
      const auto from = static_cast<ptrdiff_t>(last >= points.size() ? 0 : last + 1);
      out.points_after_last_placement.assign(points.begin() + from, points.end());
      out.point_events.assign(faults->point_events().begin() + from, faults->point_events().end());
    }
  }
  return out;
}

}  // namespace

ScheduledRunResult RunScheduled(const scenario::Scenario& scenario, const Schedule& schedule,
                                RunOptions options, bool keep_points) {
  LOCKSIM_ASSERT(options.decision_source == nullptr);
  LOCKSIM_ASSERT(ScheduleMisfit(schedule, scenario).empty());
  const ScheduledRun prepared = PrepareSchedule(schedule, scenario, options.seed, keep_points);
  return RunPrepared(prepared, std::move(options), keep_points, [&](const RunOptions& run) {
    return RunScenario(prepared.scenario.has_value() ? *prepared.scenario : scenario, run);
  });
}

ScheduledRunResult RunScheduledFrom(const ForkableRun& parent, const FaultsSource& parent_source,
                                    const scenario::Scenario& scenario, const Schedule& schedule,
                                    RunOptions options, bool keep_points) {
  LOCKSIM_ASSERT(options.decision_source == nullptr);
  LOCKSIM_ASSERT(std::holds_alternative<FaultsSchedule>(schedule));
  const ScheduledRun prepared = PrepareSchedule(schedule, scenario, options.seed, keep_points);
  LOCKSIM_ASSERT(!prepared.scenario.has_value() && prepared.faults != nullptr);
  prepared.faults->ResumeFrom(parent_source);
  return RunPrepared(prepared, std::move(options), keep_points,
                     [&](const RunOptions& run) { return parent.Fork(run).Finish(); });
}

}  // namespace locksim::runner
