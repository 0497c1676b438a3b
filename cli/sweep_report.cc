#include "cli/sweep_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "runner/simulation.h"
#include "service/flaws.h"

namespace locksim::cli {
namespace {

bool ExpectsViolation(const runner::SweepResult& result) {
  return result.expect == scenario::Expect::kViolation;
}

std::string XmlEscape(const std::string& text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&apos;"}});
}

}  // namespace

std::string SweepSummary(const runner::SweepResult& result, int jobs, bool color) {
  const bool matches = runner::MatchesExpectation(result);
  const char* paint = matches ? "\033[32m" : "\033[31m";
  const auto painted = [&](const std::string& text) {
    return color ? absl::StrCat(paint, text, "\033[0m") : std::string(text);
  };
  std::string out;
  absl::StrAppend(&out, "locksim sweep  ", result.scenario_path, "\n");
  absl::StrAppend(&out, "  scenario   ", result.scenario, " (expects ",
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
    absl::StrAppend(&out, "  seed ", f.seed, "  [", f.kind, "] ", first_line, "\n",
                    "      reproduce: ", f.repro, "\n");
    if (i == 0) {
      absl::StrAppend(
          &out, "      shrink:    ",
          runner::ShrinkCommand(result.scenario_path, f.seed,
                                service::FlawByName(result.flaw).value_or(service::Flaw::kNone)),
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
  const bool matches = runner::MatchesExpectation(result);
  // For a "pass" scenario each failing seed is a failed test case. For a "violation" scenario
  // failing seeds are what it exists to show, so only the summary case can fail.
  const bool seeds_fail = !ExpectsViolation(result);
  const size_t failed_cases = (seeds_fail ? result.failures.size() : 0) + (matches ? 0 : 1);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  const std::string suite = XmlEscape(absl::StrCat("locksim sweep ", result.scenario));
  absl::StrAppend(&out, "<testsuites>\n<testsuite name=\"", suite, "\" tests=\"",
                  result.failures.size() + 1, "\" failures=\"", failed_cases, "\" time=\"",
                  absl::StrFormat("%.3f", result.wall_seconds), "\">\n");
  for (const runner::SeedFailure& f : result.failures) {
    absl::StrAppend(&out, "  <testcase classname=\"", suite, "\" name=\"seed ", f.seed, "\">\n");
    const std::string body = XmlEscape(absl::StrCat(f.message, "\n\nreproduce: ", f.repro));
    if (seeds_fail) {
      absl::StrAppend(&out, "    <failure type=\"", XmlEscape(f.kind), "\" message=\"",
                      XmlEscape(f.repro), "\">", body, "</failure>\n");
    } else {
      absl::StrAppend(&out, "    <system-out>expected violation: ", body, "</system-out>\n");
    }
    absl::StrAppend(&out, "  </testcase>\n");
  }
  absl::StrAppend(&out, "  <testcase classname=\"", suite, "\" name=\"summary: ", result.seeds_run,
                  " seeds from ", result.first_seed, "\">\n");
  if (!matches) {
    const std::string why =
        ExpectsViolation(result)
            ? "the scenario expects a violation, but every seed passed"
            : absl::StrCat(result.failures.size(), " of ", result.seeds_run, " seeds failed");
    absl::StrAppend(&out, "    <failure type=\"outcome\" message=\"", XmlEscape(why), "\">",
                    XmlEscape(why), "</failure>\n");
  }
  absl::StrAppend(&out, "  </testcase>\n</testsuite>\n</testsuites>\n");
  return out;
}

}  // namespace locksim::cli
