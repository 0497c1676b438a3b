#include "cli/sweep_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "service/flaws.h"

namespace locksim::cli {
namespace {

bool ExpectsViolation(const SweepReport& r) {
  return r.scenario.expect == scenario::Expect::kViolation;
}

std::string XmlEscape(const std::string& text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&apos;"}});
}

double SeedsPerSecond(const runner::SweepResult& result) {
  return result.wall_seconds > 0 ? static_cast<double>(result.seeds_run) / result.wall_seconds : 0;
}

}  // namespace

bool SweepMatchesExpectation(const SweepReport& r) {
  return r.result.failures.empty() != ExpectsViolation(r);
}

std::string SweepSummary(const SweepReport& r, bool color) {
  const runner::SweepResult& result = r.result;
  const bool matches = SweepMatchesExpectation(r);
  const char* paint = matches ? "\033[32m" : "\033[31m";
  const auto painted = [&](const std::string& text) {
    return color ? absl::StrCat(paint, text, "\033[0m") : std::string(text);
  };
  std::string out;
  absl::StrAppend(&out, "locksim sweep  ", r.options.scenario_path, "\n");
  absl::StrAppend(&out, "  scenario   ", result.scenario, " (expects ",
                  ExpectsViolation(r) ? "a violation" : "every seed to pass", ")\n");
  if (r.options.flaw != service::Flaw::kNone) {
    absl::StrAppend(&out, "  flaw       ", std::string(service::FlawName(r.options.flaw)), "\n");
  }
  absl::StrAppend(&out, "  seeds      ", result.seeds_run, " run: ", result.range.first, "..",
                  result.range.first + result.seeds_run - (result.seeds_run > 0 ? 1 : 0));
  if (r.options.shard.count > 1) {
    absl::StrAppend(&out, " (shard ", r.options.shard.index, "/", r.options.shard.count, ")");
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
                      SeedsPerSecond(result), result.wall_seconds, r.options.jobs,
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
  }
  if (result.failures.size() > kShown) {
    absl::StrAppend(&out, "  ... and ", result.failures.size() - kShown,
                    " more failing seeds (--json lists them all)\n");
  }
  absl::StrAppend(&out, "  outcome    ",
                  painted(absl::StrCat(failing == 0 ? "pass" : "violation",
                                       matches ? " (as expected)" : " (NOT as expected)")),
                  "\n");
  return out;
}

nlohmann::json SweepJson(const SweepReport& r) {
  const runner::SweepResult& result = r.result;
  nlohmann::json failing = nlohmann::json::array();
  nlohmann::json failures = nlohmann::json::array();
  for (const runner::SeedFailure& f : result.failures) {
    failing.push_back(f.seed);
    failures.push_back(
        {{"seed", f.seed}, {"kind", f.kind}, {"message", f.message}, {"repro", f.repro}});
  }
  return {
      {"scenario", result.scenario},
      {"scenario_path", r.options.scenario_path},
      {"seeds", result.seeds_run},
      {"first_seed", result.range.first},
      {"requested", {{"first_seed", r.options.first_seed}, {"seeds", r.options.seeds}}},
      {"shard", {{"index", r.options.shard.index}, {"count", r.options.shard.count}}},
      {"flaw", r.options.flaw == service::Flaw::kNone
                   ? nlohmann::json(nullptr)
                   : nlohmann::json(std::string(service::FlawName(r.options.flaw)))},
      {"expect", ExpectsViolation(r) ? "violation" : "pass"},
      {"failing_seeds", std::move(failing)},
      {"failures", std::move(failures)},
      {"outcome", result.failures.empty() ? "pass" : "violation"},
      {"stopped_early", result.stopped_early},
      {"failure_rate_upper_95",
       runner::FailureRateUpperBound(result.failures.size(), result.seeds_run)},
      {"wall_seconds", result.wall_seconds},
      {"seeds_per_second", SeedsPerSecond(result)},
      {"simulated_seconds", static_cast<double>(result.simulated_micros) / 1e6},
  };
}

std::string SweepJUnitXml(const SweepReport& r) {
  const runner::SweepResult& result = r.result;
  const bool matches = SweepMatchesExpectation(r);
  // For a "pass" scenario each failing seed is a failed test case. For a "violation" scenario
  // failing seeds are what it exists to show, so only the summary case can fail.
  const bool seeds_fail = !ExpectsViolation(r);
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
                  " seeds from ", result.range.first, "\">\n");
  if (!matches) {
    const std::string why =
        ExpectsViolation(r)
            ? "the scenario expects a violation, but every seed passed"
            : absl::StrCat(result.failures.size(), " of ", result.seeds_run, " seeds failed");
    absl::StrAppend(&out, "    <failure type=\"outcome\" message=\"", XmlEscape(why), "\">",
                    XmlEscape(why), "</failure>\n");
  }
  absl::StrAppend(&out, "  </testcase>\n</testsuite>\n</testsuites>\n");
  return out;
}

}  // namespace locksim::cli
