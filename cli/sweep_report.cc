#include "cli/sweep_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/printable.h"
#include "base/terminal_text.h"
#include "cli/junit.h"
#include "runner/simulation.h"
#include "service/flaws.h"

namespace locksim::cli {
namespace {

bool ExpectsViolation(const runner::SweepResult& result) {
  return result.expect == scenario::Expect::kViolation;
}

}  // namespace

std::string SweepSummary(const runner::SweepResult& result, int jobs, bool color) {
  const bool matches = runner::MatchesExpectation(result);
  const auto painted = [&](const std::string& text) {
    return Paint(color, matches ? kGreen : kRed, text);
  };
  std::string out;
  absl::StrAppend(&out, "locksim sweep  ", Printable(result.scenario_path), "\n");
  absl::StrAppend(&out, "  scenario   ", Printable(result.scenario), " (expects ",
                  ExpectsViolation(result) ? "a violation" : "every seed to pass", ")\n");
  if (!result.flaw.empty()) absl::StrAppend(&out, "  flaw       ", result.flaw, "\n");
  absl::StrAppend(&out, "  seeds      ", result.seeds_run, " run: ", result.first_seed, "..",
                  result.first_seed + result.seeds_run - (result.seeds_run > 0 ? 1 : 0));
  if (result.shard.count > 1) {
    absl::StrAppend(&out, " (shard ", result.shard.index, "/", result.shard.count, ")");
  }
  if (result.stopped_early) {
    absl::StrAppend(&out, ", stopped after ", result.failures.size(), " failures");
  }
  absl::StrAppend(&out, "\n");
  const uint64_t failing = result.failures.size();
  absl::StrAppend(&out, "  failing    ", failing,
                  absl::StrFormat(" (%.2f%%; 95%% upper bound %.2f%%)",
                                  result.seeds_run == 0 ? 0.0
                                                        : 100.0 * static_cast<double>(failing) /
                                                              static_cast<double>(result.seeds_run),
                                  100.0 * runner::FailureRateUpperBound(failing, result.seeds_run)),
                  "\n");
  absl::StrAppend(
      &out, "  speed      ",
      absl::StrFormat("%.0f seeds/s (%.2f s wall, %d jobs), %.0f simulated s per "
                      "wall s",
                      runner::SeedsPerSecond(result), result.wall_seconds, jobs,
                      result.wall_seconds > 0
                          ? static_cast<double>(result.simulated_micros) / 1e6 / result.wall_seconds
                          : 0.0),
      "\n");
  constexpr size_t kShown = 10;
  for (size_t i = 0; i < result.failures.size() && i < kShown; ++i) {
    const runner::SeedFailure& f = result.failures[i];
    const std::string first_line = f.message.substr(0, f.message.find('\n'));
    // The message is printable already (the checks escape the names they quote).
    absl::StrAppend(&out, "  seed ", f.seed, "  [", f.kind, "] ", first_line, "\n",
                    "      reproduce: ", Printable(f.repro), "\n");
    if (i == 0) {
      absl::StrAppend(&out, "      shrink:    ",
                      Printable(runner::ShrinkCommand(
                          result.scenario_path, f.seed,
                          service::FlawByName(result.flaw).value_or(service::Flaw::kNone))),
                      "  (a small scenario that fails the same way)\n");
    }
  }
  if (result.failures.size() > kShown) {
    absl::StrAppend(&out, "  ... and ", result.failures.size() - kShown,
                    " more failing seeds (--json lists them all)\n");
  }
  absl::StrAppend(&out, "  outcome    ",
                  painted(absl::StrCat(runner::OutcomeName(result),
                                       matches ? " (as expected)" : " (NOT as expected)")),
                  "\n");
  return out;
}

std::string SweepJUnitXml(const runner::SweepResult& result) {
  JUnitRuns runs;
  runs.suite = absl::StrCat("locksim sweep ", result.scenario);
  runs.expects_violation = ExpectsViolation(result);
  runs.matches_expectation = runner::MatchesExpectation(result);
  runs.failures = result.failures;
  for (const runner::SeedFailure& f : result.failures) {
    runs.failure_names.push_back(absl::StrCat("seed ", f.seed));
  }
  runs.summary_name =
      absl::StrCat("summary: ", result.seeds_run, " seeds from ", result.first_seed);
  runs.mismatch =
      ExpectsViolation(result)
          ? "the scenario expects a violation, but every seed passed"
          : absl::StrCat(result.failures.size(), " of ", result.seeds_run, " seeds failed");
  runs.seconds = result.wall_seconds;
  return JUnitXml(runs);
}

}  // namespace locksim::cli
