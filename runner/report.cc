#include "runner/report.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/printable.h"
#include "base/terminal_text.h"
#include "service/node_id.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace locksim::runner {

std::string HumanSummary(const RunResult& r, bool color) {
  std::string out;
  const std::string verdict =
      r.passed ? Paint(color, kGreen, "PASS") : Paint(color, kRed, "VIOLATION");
  // Text from outside (the file's name, the scenario's name) is escaped for the terminal; the
  // checks' messages escape the lock names they quote.
  absl::StrAppend(&out, Paint(color, kBold, "locksim run"), "  ", Printable(r.scenario_path), "\n");
  absl::StrAppend(&out, "  scenario   ", Printable(r.scenario), "\n");
  absl::StrAppend(&out, "  seed       ", r.seed, "\n");
  if (!r.flaw.empty()) absl::StrAppend(&out, "  flaw       ", r.flaw, "\n");
  if (!r.schedule.empty()) absl::StrAppend(&out, "  schedule   ", r.schedule, "\n");
  absl::StrAppend(&out, "  outcome    ", verdict, "\n\n");

  absl::StrAppend(&out, Paint(color, kBold, "What happened"), "\n");
  absl::StrAppend(&out, "  operations ", r.operations_invoked, " invoked, ", r.operations_completed,
                  " completed, ", r.operations_failed, " given up by their clerk\n");
  const sim::NetworkStats& n = r.network;
  absl::StrAppend(&out, "  messages   ", n.sent, " sent, ", n.delivered, " delivered, ", n.dropped,
                  " dropped, ", n.duplicated, " duplicated, ", n.blocked,
                  " blocked by partitions, ", n.discarded, " discarded at crashed nodes\n");
  absl::StrAppend(&out, "  calls      ", n.calls, " RPCs: ", n.calls_refused, " refused, ",
                  n.calls_timed_out, " timed out, ", n.late_replies, " late replies ignored\n");
  absl::StrAppend(&out, "  time       ", sim::FormatSimTime(r.end_time), " simulated, ", r.events,
                  " events, ended ", sim::StopReasonName(r.stop_reason), "\n");
  if (r.faults.empty()) {
    absl::StrAppend(&out, "  faults     none fired\n");
  } else {
    for (size_t i = 0; i < r.faults.size(); ++i) {
      absl::StrAppend(&out, i == 0 ? "  faults     " : "             ", "at ",
                      sim::FormatSimTime(r.faults[i].at), ": ", r.faults[i].description, "\n");
    }
  }
  absl::StrAppend(&out, "\n", Paint(color, kBold, "Checks"), "\n");
  for (const CheckVerdict& check : r.checks) {
    absl::StrAppend(&out, "  ",
                    check.passed ? Paint(color, kGreen, "pass") : Paint(color, kRed, "FAIL"), "  ",
                    absl::StrFormat("%-18s", check.name), " ", check.summary, "\n");
  }
  if (!r.violations.empty()) {
    absl::StrAppend(&out, "\n", Paint(color, kBold, "Violations"), "\n");
    for (const Violation& v : r.violations) {
      absl::StrAppend(&out, "  [", v.kind, "] ", Indent(v.message, "    "), "\n");
    }
  }
  absl::StrAppend(&out, "\nfingerprint ", sim::FingerprintHex(r.fingerprint), "\n");
  absl::StrAppend(&out, "reproduce   ", Printable(r.repro), "\n");
  if (!r.passed) {
    absl::StrAppend(&out,
                    "            add --html run.html to see the run in a browser, --trace "
                    "run.jsonl to read it\n");
  }
  return out;
}

nlohmann::json RunResultJson(const RunResult& r) {
  nlohmann::json violations = nlohmann::json::array();
  for (const Violation& v : r.violations) {
    violations.push_back({{"kind", v.kind}, {"message", v.message}});
  }
  nlohmann::json checks = nlohmann::json::array();
  for (const CheckVerdict& c : r.checks) {
    checks.push_back({{"name", c.name}, {"passed", c.passed}, {"summary", c.summary}});
  }
  nlohmann::json faults = nlohmann::json::array();
  for (const FiredFault& f : r.faults) {
    faults.push_back({{"at_us", f.at.micros()}, {"description", f.description}});
  }
  const sim::NetworkStats& n = r.network;
  nlohmann::json out = {
      {"scenario", r.scenario},
      {"scenario_path", r.scenario_path},
      {"seed", r.seed},
      {"flaw", r.flaw.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.flaw)},
      {"outcome", r.passed ? "pass" : "violation"},
      {"violations", std::move(violations)},
      {"repro", r.repro},
      {"checks", std::move(checks)},
      {"faults", std::move(faults)},
      {"operations",
       {{"invoked", r.operations_invoked},
        {"completed", r.operations_completed},
        {"failed", r.operations_failed}}},
      {"messages",
       {{"sent", n.sent},
        {"delivered", n.delivered},
        {"dropped", n.dropped},
        {"duplicated", n.duplicated},
        {"blocked", n.blocked},
        {"discarded", n.discarded},
        {"calls", n.calls},
        {"calls_refused", n.calls_refused},
        {"calls_timed_out", n.calls_timed_out},
        {"late_replies", n.late_replies}}},
      {"sim_time_us", r.end_time.micros()},
      {"events", r.events},
      {"stop_reason", sim::StopReasonName(r.stop_reason)},
      {"assertion", r.assertion.has_value()
                        ? nlohmann::json{{"file", r.assertion->failed.file},
                                         {"line", r.assertion->failed.line},
                                         {"condition", r.assertion->failed.condition},
                                         {"node", service::NodeName(r.assertion->node)},
                                         {"at_us", r.assertion->at.micros()}}
                        : nlohmann::json(nullptr)},
      {"fingerprint", sim::FingerprintHex(r.fingerprint)},
  };
  if (!r.schedule.empty()) out["schedule"] = r.schedule;
  return out;
}

}  // namespace locksim::runner
