#include "runner/run_checks.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "base/printable.h"
#include "check/lock_linearizability.h"
#include "service/node_id.h"
#include "sim/time.h"

namespace locksim::runner {
namespace {

void AddVerdict(RunResult* result, std::string name, bool passed, std::string summary) {
  result->checks.push_back(CheckVerdict{std::move(name), passed, std::move(summary)});
}

void AddViolation(RunResult* result, const char* kind, std::string message) {
  result->violations.push_back(Violation{kind, std::move(message), ""});
}

std::string TimeOf(int64_t us) { return sim::FormatSimTime(sim::Time::FromMicros(us)); }

// A call the assertion stopped before it could return (not one its clerk gave up on).
bool CutShort(const FinishedRun& run, size_t operation) {
  return run.assertion.has_value() && run.history->operations[operation].pending() &&
         !run.gave_up[operation];
}

}  // namespace

void CheckAssertion(const FinishedRun& run, RunResult* result) {
  if (!run.assertion.has_value()) {
    AddVerdict(result, "assertions", true, "none failed in the protocol code");
    return;
  }
  const sim::AssertionStop& stop = *run.assertion;
  const std::string where =
      absl::StrCat("in the ", service::NodeName(stop.node), " at ", sim::FormatSimTime(stop.at));
  AddVerdict(result, "assertions", false,
             absl::StrCat(stop.failed.file, ":", stop.failed.line, " failed ", where));
  AddViolation(result, kViolationAssertion,
               absl::StrCat(stop.failed.Describe(), " (", where,
                            ")\nThe protocol broke one of its own invariants and the run stopped "
                            "there; the other checks judge what happened before it."));
}

void CheckLinearizability(const FinishedRun& run, RunResult* result) {
  const check::LockCheckResult verdict = check::CheckLockLinearizability(*run.history);
  if (verdict.linearizable) {
    AddVerdict(result, "linearizability", true,
               absl::StrCat(verdict.operations, " operations on ", verdict.locks,
                            " locks are linearizable"));
    return;
  }
  AddVerdict(result, "linearizability", false,
             absl::StrCat("lock ", QuotedPrintable(verdict.lock),
                          ": no order of its operations fits a lock"));
  AddViolation(result, kViolationLinearizability, check::FormatExplanation(verdict));
  result->violations.back().lock = verdict.lock;
}

void CheckExpectations(const FinishedRun& run, RunResult* result) {
  if (run.expectations.empty()) {
    AddVerdict(result, "expectations", true, "no scripted expectations");
    return;
  }
  int failed = 0;
  int cut_short = 0;
  for (const Expectation& e : run.expectations) {
    const check::HistoryOperation& op = run.history->operations[e.operation];
    if (op.result == e.expected) continue;
    if (CutShort(run, e.operation)) {
      ++cut_short;
      continue;
    }
    ++failed;
    const std::string seen =
        op.result.has_value() ? (*op.result ? "true" : "false") : "no result (never returned)";
    AddViolation(
        result, kViolationExpectation,
        absl::StrCat("steps[", e.step, "]: client ", op.client, "'s ",
                     std::string(check::LockOpName(op.op)), "(", QuotedPrintable(op.lock),
                     ") should return ", e.expected ? "true" : "false", " but returned ", seen));
  }
  const size_t judged = run.expectations.size() - static_cast<size_t>(cut_short);
  AddVerdict(result, "expectations", failed == 0,
             absl::StrCat(failed == 0 ? absl::StrCat("all ", judged, " met")
                                      : absl::StrCat(failed, " of ", judged, " not met"),
                          cut_short > 0 ? absl::StrCat("; ", cut_short,
                                                       " not judged: the assertion stopped their "
                                                       "calls")
                                        : ""));
}

namespace {

// "client 2's unlock("b") invoked at 1.500 ms"
std::string DescribeCall(const check::HistoryOperation& op) {
  return absl::StrCat("client ", op.client, "'s ", std::string(check::LockOpName(op.op)), "(",
                      QuotedPrintable(op.lock), ") invoked at ", TimeOf(op.invoke));
}

// Which bound ended the run, what was still going on, and how to raise the bound. A clerk never
// gives up on timeouts, so a network that loses every reply keeps calls open until the budget
// ends the run: this message is then the first thing the user reads.
std::string BudgetMessage(const FinishedRun& run, int open, const check::HistoryOperation* oldest) {
  const bool events = run.stop_reason == sim::StopReason::kEventBudget;
  std::string message = absl::StrCat(
      "the run hit its ",
      events ? absl::StrCat("event budget (", run.budget.max_events, " events)")
             : absl::StrCat("simulated-time budget (",
                            sim::FormatSimTime(sim::Time::Zero() + run.budget.max_time), ")"),
      " at ", sim::FormatSimTime(run.end_time), " after ", run.events, " events");
  if (oldest != nullptr) {
    absl::StrAppend(&message, ", with ", open, open == 1 ? " call" : " calls",
                    " still open (the oldest: ", DescribeCall(*oldest),
                    "); a clerk re-sends for as long as a server may answer, so calls that "
                    "never get a reply run until the budget ends the run");
  } else {
    absl::StrAppend(&message, ", with no call open");
  }
  absl::StrAppend(&message, ". If the run is meant to be that long, raise ",
                  events ? "\"budget\": {\"max_events\": N}" : "\"budget\": {\"max_time_ms\": T}",
                  " in the scenario");
  return message;
}

}  // namespace

void CheckLiveness(const FinishedRun& run, RunResult* result) {
  int open = 0;
  int cut_short = 0;
  const check::HistoryOperation* oldest_open = nullptr;
  std::vector<Violation> calls;
  for (size_t i = 0; i < run.history->operations.size(); ++i) {
    const check::HistoryOperation& op = run.history->operations[i];
    if (!op.pending()) continue;
    if (CutShort(run, i)) {
      ++cut_short;  // it might have returned had the run gone on: the assertion is the finding
      continue;
    }
    ++open;
    if (oldest_open == nullptr) oldest_open = &op;
    if (open > 5) continue;  // name the first few; the count says the rest
    calls.push_back(Violation{
        kViolationLiveness,
        run.gave_up[i]
            ? absl::StrCat(DescribeCall(op),
                           " failed: its clerk gave up because both servers refused the call "
                           "(both are down)")
            : absl::StrCat(DescribeCall(op), " never returned before the run ended at ",
                           sim::FormatSimTime(run.end_time)),
        ""});
  }
  // The budget first: when it ended the run, it is why the calls below did not return.
  const bool budget_hit = run.stop_reason == sim::StopReason::kEventBudget ||
                          run.stop_reason == sim::StopReason::kTimeBudget;
  if (budget_hit) {
    AddViolation(result, kViolationBudget, BudgetMessage(run, open, oldest_open));
  }
  for (Violation& v : calls) result->violations.push_back(std::move(v));
  if (open > 5) {
    AddViolation(result, kViolationLiveness,
                 absl::StrCat("... and ", open - 5, " more calls that did not complete"));
  }
  // After an assertion the script stopped with the run: not a liveness failure of its own.
  const bool unfinished = run.unfinished_step.has_value() && !run.assertion.has_value();
  if (unfinished) {
    AddViolation(result, kViolationLiveness,
                 absl::StrCat("the run ended before steps[", *run.unfinished_step,
                              "] could run: the script was still waiting for a call to return"));
  }
  const bool passed = open == 0 && !budget_hit && !unfinished;
  const std::string not_judged =
      cut_short > 0 ? absl::StrCat("; ", cut_short, " cut short by the assertion, not judged") : "";
  AddVerdict(
      result, "liveness", passed,
      passed ? absl::StrCat(cut_short > 0 ? "every other call completed" : "every call completed",
                            not_judged)
             : absl::StrCat(open, " calls did not complete",
                            budget_hit ? "; the run hit its budget" : "",
                            unfinished ? "; the script did not finish" : "", not_judged));
}

void CheckProgress(const FinishedRun& run, RunResult* result) {
  const std::vector<sim::UnexplainedTimeout>& timeouts = run.unexplained_timeouts;
  constexpr size_t kNamed = 5;
  for (size_t i = 0; i < timeouts.size() && i < kNamed; ++i) {
    const sim::UnexplainedTimeout& t = timeouts[i];
    AddViolation(
        result, kViolationProgress,
        absl::StrCat(service::NodeName(t.caller), "'s call to ", service::NodeName(t.callee),
                     " started at ", sim::FormatSimTime(t.started), " timed out at ",
                     sim::FormatSimTime(t.deadline),
                     " with no fault to explain it: no message near ", service::NodeName(t.callee),
                     " was lost or slow, no call of its failed, and no server was down"));
  }
  if (timeouts.size() > kNamed) {
    AddViolation(result, kViolationProgress,
                 absl::StrCat("... and ", timeouts.size() - kNamed, " more unexplained timeouts"));
  }
  AddVerdict(result, "progress", timeouts.empty(),
             timeouts.empty() ? "every timeout is explained by a fault"
                              : absl::StrCat(timeouts.size(), " timeouts no fault explains"));
}

void CheckReplicaAgreement(const FinishedRun& run, RunResult* result) {
  if (run.assertion.has_value()) {
    // Forwards may be in flight: the tables are compared only when the run ran its course.
    AddVerdict(result, "replica agreement", true,
               "not judged: the run stopped at the assertion, mid-flight");
    return;
  }
  if (!run.live_held.has_value()) {
    AddVerdict(result, "replica agreement", true, "one server is down: nothing to compare");
    return;
  }
  const auto& [primary, backup] = *run.live_held;
  if (primary == backup) {
    AddVerdict(result, "replica agreement", true,
               absl::StrCat("both servers hold the same table (", primary.size(), " locks held)"));
    return;
  }
  // Both lists are sorted: the names in one and not the other, in name order.
  std::vector<std::string> differing;
  std::set_symmetric_difference(primary.begin(), primary.end(), backup.begin(), backup.end(),
                                std::back_inserter(differing));
  std::string differences;
  for (size_t i = 0; i < differing.size() && i < 8; ++i) {
    const bool p = std::binary_search(primary.begin(), primary.end(), differing[i]);
    absl::StrAppend(&differences, i > 0 ? ", " : "", QuotedPrintable(differing[i]), " is ",
                    p ? "held" : "free", " at the primary but ", p ? "free" : "held",
                    " at the backup");
  }
  if (differing.size() > 8) absl::StrAppend(&differences, ", ...");
  AddVerdict(result, "replica agreement", false, "the live servers' lock tables differ");
  AddViolation(result, kViolationReplicaAgreement,
               absl::StrCat("both servers are alive at the end but disagree: ", differences));
}

void RunAllChecks(const FinishedRun& run, RunResult* result) {
  CheckAssertion(run, result);
  CheckLinearizability(run, result);
  CheckExpectations(run, result);
  CheckLiveness(run, result);
  CheckProgress(run, result);
  CheckReplicaAgreement(run, result);
  result->passed = result->violations.empty();
}

}  // namespace locksim::runner
