#include "cli/explore_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/printable.h"
#include "base/terminal_text.h"
#include "cli/junit.h"
#include "runner/simulation.h"
#include "service/flaws.h"

namespace locksim::cli {
namespace {

bool ExpectsViolation(const runner::ExploreResult& result) {
  return result.expect == scenario::Expect::kViolation;
}

std::string Mismatch(const runner::ExploreResult& result) {
  return ExpectsViolation(result) ? "the scenario expects a violation, but every schedule passed"
                                  : absl::StrCat(result.failures.size(), " of ",
                                                 result.schedules_run, " schedules failed");
}

}  // namespace

std::string ExploreSummary(const runner::ExploreResult& r, int jobs, bool color) {
  const bool matches = runner::MatchesExpectation(r);
  const auto painted = [&](const std::string& text) {
    return Paint(color, matches ? kGreen : kRed, text);
  };
  std::string out;
  absl::StrAppend(&out, "locksim explore  ", Printable(r.scenario_path), "\n");
  absl::StrAppend(&out, "  scenario   ", Printable(r.scenario), " (expects ",
                  ExpectsViolation(r) ? "a violation" : "every schedule to pass", ")\n");
  absl::StrAppend(&out, "  strategy   ", runner::StrategyName(r.strategy));
  if (r.strategy != runner::ExploreStrategy::kSwarm) absl::StrAppend(&out, ", depth ", r.depth);
  if (r.strategy == runner::ExploreStrategy::kPct) {
    absl::StrAppend(&out, ", change points among the first ", r.pct_sends, " sends");
  }
  absl::StrAppend(&out, ", budget ", r.budget);
  if (r.shard.count > 1) absl::StrAppend(&out, ", shard ", r.shard.index, "/", r.shard.count);
  absl::StrAppend(&out, "\n");
  if (!r.flaw.empty()) absl::StrAppend(&out, "  flaw       ", r.flaw, "\n");
  absl::StrAppend(&out, "  schedules  ", r.schedules_run, " run");
  if (r.stopped_early) {
    absl::StrAppend(&out, ", stopped after ", r.failures.size(), " failing (--max-failures)");
  }
  absl::StrAppend(&out, "\n  covers     ", r.guarantee, "\n");
  absl::StrAppend(
      &out, "  speed      ",
      absl::StrFormat(
          "%.0f schedules/s (%.2f s wall, %d jobs)",
          r.wall_seconds > 0 ? static_cast<double>(r.schedules_run) / r.wall_seconds : 0.0,
          r.wall_seconds, jobs),
      "\n");
  constexpr size_t kShown = 10;
  for (size_t i = 0; i < r.failures.size() && i < kShown; ++i) {
    const runner::RunFailure& f = r.failures[i];
    const std::string first_line = f.message.substr(0, f.message.find('\n'));
    absl::StrAppend(&out, "  seed ", f.seed, " ", f.schedule, "  [", f.kind, "] ", first_line,
                    "\n      reproduce: ", Printable(f.repro), "\n");
    if (i == 0) {
      const service::Flaw flaw = service::FlawByName(r.flaw).value_or(service::Flaw::kNone);
      absl::StrAppend(&out, "      shrink:    ",
                      Printable(runner::ShrinkCommand(r.scenario_path, f.seed, flaw,
                                                      "--schedule " + f.schedule)),
                      "  (a small scenario that fails the same way)\n");
    }
  }
  if (r.failures.size() > kShown) {
    absl::StrAppend(&out, "  ... and ", r.failures.size() - kShown,
                    " more failing schedules (--json lists them all)\n");
  }
  std::string outcome = runner::OutcomeName(r);
  if (!runner::FoundViolation(r) && r.exhaustive_depth > 0) {
    outcome =
        absl::StrCat("pass — exhaustive: all ", r.exhaustive_schedules, " schedules with at most ",
                     r.exhaustive_depth == 1 ? "one fault" : "two faults", " pass");
    if (r.exhaustive_depth < r.depth) absl::StrAppend(&outcome, " (depth 2 sampled)");
  }
  absl::StrAppend(&out, "  outcome    ",
                  painted(absl::StrCat(outcome, matches ? " (as expected)" : " (NOT as expected)")),
                  "\n");
  return out;
}

std::string ExploreJUnitXml(const runner::ExploreResult& r) {
  JUnitRuns runs;
  runs.suite = absl::StrCat("locksim explore ", runner::StrategyName(r.strategy), " ", r.scenario);
  runs.expects_violation = ExpectsViolation(r);
  runs.matches_expectation = runner::MatchesExpectation(r);
  runs.failures = r.failures;
  for (const runner::RunFailure& f : r.failures) {
    runs.failure_names.push_back(absl::StrCat("seed ", f.seed, " ", f.schedule));
  }
  runs.summary_name = absl::StrCat("summary: ", r.schedules_run, " schedules; ", r.guarantee);
  runs.mismatch = Mismatch(r);
  runs.seconds = r.wall_seconds;
  return JUnitXml(runs);
}

}  // namespace locksim::cli
