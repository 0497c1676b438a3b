#include "runner/explore_json.h"

#include "runner/coverage_report.h"

namespace locksim::runner {

using nlohmann::json;

json ExploreResultJson(const ExploreResult& r) {
  json failures = json::array();
  for (const RunFailure& f : r.failures) {
    failures.push_back({{"seed", f.seed},
                        {"schedule", f.schedule},
                        {"kind", f.kind},
                        {"message", f.message},
                        {"repro", f.repro}});
  }
  json out = {
      {"scenario", r.scenario},
      {"scenario_path", r.scenario_path},
      {"strategy", StrategyName(r.strategy)},
      {"depth", r.depth},
      {"budget", r.budget},
      {"flaw", r.flaw.empty() ? json(nullptr) : json(r.flaw)},
      {"expect", scenario::ExpectName(r.expect)},
      {"first_seed", r.first_seed},
      {"seeds", r.seeds},
      {"shard", {{"index", r.shard.index}, {"count", r.shard.count}}},
      {"schedules", r.schedules_run},
      {"space", r.space.has_value() ? json(*r.space) : json(nullptr)},
      {"exhaustive", r.exhaustive},
      {"exhaustive_depth", r.exhaustive_depth},
      {"exhaustive_schedules", r.exhaustive_schedules},
      {"outcome", OutcomeName(r)},
      {"stopped_early", r.stopped_early},
      {"guarantee", r.guarantee},
      {"failing", failures},
      {"failures", failures},
      {"wall_seconds", r.wall_seconds},
      {"schedules_per_second",
       r.wall_seconds > 0 ? static_cast<double>(r.schedules_run) / r.wall_seconds : 0.0},
      {"simulated_seconds", static_cast<double>(r.simulated_micros) / 1e6},
  };
  if (r.coverage.has_value()) out["coverage"] = CoverageJson(*r.coverage);
  return out;
}

}  // namespace locksim::runner
