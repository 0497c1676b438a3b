#include "net/load_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/terminal_text.h"
#include "check/lock_linearizability.h"

namespace locksim::net {
namespace {

// Liveness names this many calls that did not complete; the count covers the rest.
constexpr int kNamedOpenCalls = 5;

// "850 µs", "12.345 ms", "1.234567 s": real time for people.
std::string FormatMicros(int64_t us) {
  if (us < 1000) return absl::StrCat(us, " µs");
  if (us < 1'000'000) return absl::StrFormat("%.3f ms", static_cast<double>(us) / 1e3);
  return absl::StrFormat("%.6f s", static_cast<double>(us) / 1e6);
}

void CheckLinearizability(const check::History& history, LoadReport* report) {
  const check::LockCheckResult verdict = check::CheckLockLinearizability(history);
  if (verdict.linearizable) {
    report->checks.push_back({"linearizability", true,
                              absl::StrCat(verdict.operations, " operations on ", verdict.locks,
                                           " locks are linearizable")});
    return;
  }
  report->checks.push_back(
      {"linearizability", false,
       absl::StrCat("lock \"", verdict.lock, "\": no order of its operations fits a lock")});
  std::string message = check::FormatExplanation(verdict);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  report->violations.push_back({"linearizability", std::move(message)});
}

void CheckLiveness(const LoadOutcome& outcome, int64_t deadline_ms, LoadReport* report) {
  int open = 0;
  for (size_t i = 0; i < outcome.history.operations.size(); ++i) {
    const check::HistoryOperation& op = outcome.history.operations[i];
    if (!op.pending()) continue;
    if (++open > kNamedOpenCalls) continue;
    const std::string what =
        absl::StrCat("client ", op.client, "'s ", std::string(check::LockOpName(op.op)), "(\"",
                     op.lock, "\") invoked at ", FormatMicros(op.invoke));
    report->violations.push_back(
        {"liveness", outcome.gave_up[i]
                         ? absl::StrCat(what,
                                        " failed: its clerk gave up, every server it tried "
                                        "refused or timed out")
                         : absl::StrCat(what, " had not returned when the load's deadline (",
                                        deadline_ms, " ms) passed")});
  }
  if (open > kNamedOpenCalls) {
    report->violations.push_back({"liveness", absl::StrCat("... and ", open - kNamedOpenCalls,
                                                           " more calls that did not complete")});
  }
  report->checks.push_back(
      {"liveness", open == 0,
       open == 0 ? std::string("every call completed")
                 : absl::StrCat(open, " calls did not complete",
                                outcome.deadline_hit ? "; the load hit its deadline" : "")});
}

}  // namespace

LatencySummary SummarizeLatencies(std::vector<int64_t>& latencies_us) {
  LatencySummary summary;
  if (latencies_us.empty()) return summary;
  std::sort(latencies_us.begin(), latencies_us.end());
  const size_t n = latencies_us.size();
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  const auto rank = [n](size_t percent) { return (percent * n + 99) / 100 - 1; };
  summary.p50_us = latencies_us[rank(50)];
  summary.p99_us = latencies_us[rank(99)];
  summary.max_us = latencies_us.back();
  return summary;
}

LoadReport CheckLoad(LoadContext context, LoadOutcome& outcome) {
  LoadReport report;
  report.context = std::move(context);
  report.invoked = static_cast<int64_t>(outcome.history.operations.size());
  report.completed = outcome.completed;
  report.failed = outcome.failed;
  report.deadline_hit = outcome.deadline_hit;
  report.calls = outcome.calls;
  report.seconds = static_cast<double>(outcome.elapsed_us) / 1e6;
  report.ops_per_second =
      outcome.elapsed_us > 0 ? static_cast<double>(outcome.completed) / report.seconds : 0;
  report.latency = SummarizeLatencies(outcome.latencies_us);
  CheckLinearizability(outcome.history, &report);
  CheckLiveness(outcome, report.context.deadline_ms, &report);
  report.passed = report.violations.empty();
  const LoadContext& c = report.context;
  report.rerun = absl::StrCat("locksim load ", c.scenario_path, " --primary ", c.primary,
                              " --backup ", c.backup, " --seed ", c.seed);
  if (!c.flaw.empty()) absl::StrAppend(&report.rerun, " --flaw ", c.flaw);
  return report;
}

std::string HumanLoadSummary(const LoadReport& r, bool color) {
  const LoadContext& c = r.context;
  std::string out;
  absl::StrAppend(&out, Paint(color, kBold, "locksim load"), "  ", c.scenario_path, "\n");
  absl::StrAppend(&out, "  scenario   ", c.scenario, "\n");
  absl::StrAppend(&out, "  seed       ", c.seed, "\n");
  if (!c.flaw.empty()) absl::StrAppend(&out, "  flaw       ", c.flaw, "\n");
  absl::StrAppend(&out, "  servers    primary ", c.primary, ", backup ", c.backup, " (session ",
                  absl::Hex(c.session), ")\n");
  absl::StrAppend(&out, "  outcome    ",
                  r.passed ? Paint(color, kGreen, "PASS") : Paint(color, kRed, "VIOLATION"),
                  "\n\n");

  absl::StrAppend(&out, Paint(color, kBold, "What happened"), "\n");
  absl::StrAppend(&out, "  operations ", r.invoked, " invoked, ", r.completed, " completed, ",
                  r.failed, " given up by their clerk\n");
  const RuntimeStats& n = r.calls;
  absl::StrAppend(&out, "  calls      ", n.calls, " RPCs: ", n.calls_refused,
                  " refused or cut off, ", n.calls_timed_out, " timed out, ", n.late_replies,
                  " late replies ignored\n");
  absl::StrAppend(&out, "  time       ", absl::StrFormat("%.3f", r.seconds), " s of real time",
                  r.deadline_hit ? " (the load's deadline passed)" : "", "\n");
  absl::StrAppend(&out, "  throughput ", absl::StrFormat("%.0f", r.ops_per_second),
                  " operations/s\n");
  absl::StrAppend(&out, "  latency    p50 ", FormatMicros(r.latency.p50_us), ", p99 ",
                  FormatMicros(r.latency.p99_us), ", max ", FormatMicros(r.latency.max_us),
                  " (invoke to return, completed operations)\n");
  for (const std::string& ignored : c.ignored) {
    absl::StrAppend(&out, "  ignored    ", ignored, "\n");
  }

  absl::StrAppend(&out, "\n", Paint(color, kBold, "Checks"), "\n");
  for (const LoadCheck& check : r.checks) {
    absl::StrAppend(&out, "  ",
                    check.passed ? Paint(color, kGreen, "pass") : Paint(color, kRed, "FAIL"), "  ",
                    absl::StrFormat("%-18s", check.name), " ", check.summary, "\n");
  }
  if (!r.violations.empty()) {
    absl::StrAppend(&out, "\n", Paint(color, kBold, "Violations"), "\n");
    for (const LoadViolation& v : r.violations) {
      absl::StrAppend(&out, "  [", v.kind, "] ", Indent(v.message, "    "), "\n");
    }
  }
  absl::StrAppend(&out, "\n");
  if (!c.history_path.empty()) {
    absl::StrAppend(&out, "history     ", c.history_path, " (`locksim check ", c.history_path,
                    "` checks it again)\n");
  } else if (!r.passed) {
    absl::StrAppend(&out, "history     not kept: add --history FILE to keep it\n");
  }
  absl::StrAppend(&out, "rerun       ", r.rerun, "\n");
  absl::StrAppend(&out, "note        ", kNotReproducibleNote, "\n");
  return out;
}

nlohmann::json LoadReportJson(const LoadReport& r) {
  const LoadContext& c = r.context;
  nlohmann::json violations = nlohmann::json::array();
  for (const LoadViolation& v : r.violations) {
    violations.push_back({{"kind", v.kind}, {"message", v.message}});
  }
  nlohmann::json checks = nlohmann::json::array();
  for (const LoadCheck& check : r.checks) {
    checks.push_back({{"name", check.name}, {"passed", check.passed}, {"summary", check.summary}});
  }
  const RuntimeStats& n = r.calls;
  return {
      {"scenario", c.scenario},
      {"scenario_path", c.scenario_path},
      {"seed", c.seed},
      {"flaw", c.flaw.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.flaw)},
      {"primary", c.primary},
      {"backup", c.backup},
      {"session", c.session},
      {"outcome", r.passed ? "pass" : "violation"},
      {"violations", std::move(violations)},
      {"checks", std::move(checks)},
      {"operations", {{"invoked", r.invoked}, {"completed", r.completed}, {"failed", r.failed}}},
      {"calls",
       {{"calls", n.calls},
        {"replies", n.replies},
        {"refused", n.calls_refused},
        {"timed_out", n.calls_timed_out},
        {"late_replies", n.late_replies}}},
      {"deadline_hit", r.deadline_hit},
      {"seconds", r.seconds},
      {"ops_per_second", r.ops_per_second},
      {"latency_us",
       {{"p50", r.latency.p50_us}, {"p99", r.latency.p99_us}, {"max", r.latency.max_us}}},
      {"history",
       c.history_path.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.history_path)},
      {"ignored", c.ignored},
      {"rerun", r.rerun},
      {"reproducible", false},
      {"note", kNotReproducibleNote},
  };
}

}  // namespace locksim::net
