#include "runner/run_checks.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "check/lock_linearizability.h"
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

}  // namespace

void CheckLinearizability(const FinishedRun& run, RunResult* result) {
  const check::LockCheckResult verdict = check::CheckLockLinearizability(*run.history);
  if (verdict.linearizable) {
    AddVerdict(result, "linearizability", true,
               absl::StrCat(verdict.operations, " operations on ", verdict.locks,
                            " locks are linearizable"));
    return;
  }
  AddVerdict(result, "linearizability", false,
             absl::StrCat("lock \"", verdict.lock, "\": no order of its operations fits a lock"));
  AddViolation(result, kViolationLinearizability, check::FormatExplanation(verdict));
  result->violations.back().lock = verdict.lock;
}

void CheckExpectations(const FinishedRun& run, RunResult* result) {
  if (run.expectations.empty()) {
    AddVerdict(result, "expectations", true, "no scripted expectations");
    return;
  }
  int failed = 0;
  for (const Expectation& e : run.expectations) {
    const check::HistoryOperation& op = run.history->operations[e.operation];
    if (op.result == e.expected) continue;
    ++failed;
    const std::string seen =
        op.result.has_value() ? (*op.result ? "true" : "false") : "no result (never returned)";
    AddViolation(
        result, kViolationExpectation,
        absl::StrCat("steps[", e.step, "]: client ", op.client, "'s ",
                     std::string(check::LockOpName(op.op)), "(\"", op.lock, "\") should return ",
                     e.expected ? "true" : "false", " but returned ", seen));
  }
  AddVerdict(result, "expectations", failed == 0,
             failed == 0 ? absl::StrCat("all ", run.expectations.size(), " met")
                         : absl::StrCat(failed, " of ", run.expectations.size(), " not met"));
}

void CheckLiveness(const FinishedRun& run, RunResult* result) {
  int open = 0;
  for (size_t i = 0; i < run.history->operations.size(); ++i) {
    const check::HistoryOperation& op = run.history->operations[i];
    if (!op.pending()) continue;
    ++open;
    if (open > 5) continue;  // name the first few; the count says the rest
    const std::string what =
        absl::StrCat("client ", op.client, "'s ", std::string(check::LockOpName(op.op)), "(\"",
                     op.lock, "\") invoked at ", TimeOf(op.invoke));
    AddViolation(result, kViolationLiveness,
                 run.gave_up[i]
                     ? absl::StrCat(what, " failed: its clerk gave up, every server it tried ",
                                    "refused or timed out")
                     : absl::StrCat(what, " never returned before the run ended at ",
                                    sim::FormatSimTime(run.end_time)));
  }
  if (open > 5) {
    AddViolation(result, kViolationLiveness,
                 absl::StrCat("... and ", open - 5, " more calls that did not complete"));
  }
  if (run.unfinished_step.has_value()) {
    AddViolation(result, kViolationLiveness,
                 absl::StrCat("the run ended before steps[", *run.unfinished_step,
                              "] could run: the script was still waiting for a call to return"));
  }
  const bool budget_hit = run.stop_reason == sim::StopReason::kEventBudget ||
                          run.stop_reason == sim::StopReason::kTimeBudget;
  if (budget_hit) {
    AddViolation(result, kViolationBudget,
                 absl::StrCat("the run hit its budget (", sim::StopReasonName(run.stop_reason),
                              ") at ", sim::FormatSimTime(run.end_time), " after ", run.events,
                              " events; raise \"budget\" in the scenario if the run is meant to "
                              "be that long"));
  }
  const bool passed = open == 0 && !budget_hit && !run.unfinished_step.has_value();
  AddVerdict(
      result, "liveness", passed,
      passed ? "every call completed"
             : absl::StrCat(open, " calls did not complete",
                            budget_hit ? "; the run hit its budget" : "",
                            run.unfinished_step.has_value() ? "; the script did not finish" : ""));
}

void CheckReplicaAgreement(const FinishedRun& run, RunResult* result) {
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
    absl::StrAppend(&differences, i > 0 ? ", " : "", "\"", differing[i], "\" is ",
                    p ? "held" : "free", " at the primary but ", p ? "free" : "held",
                    " at the backup");
  }
  if (differing.size() > 8) absl::StrAppend(&differences, ", ...");
  AddVerdict(result, "replica agreement", false, "the live servers' lock tables differ");
  AddViolation(result, kViolationReplicaAgreement,
               absl::StrCat("both servers are alive at the end but disagree: ", differences));
}

void RunAllChecks(const FinishedRun& run, RunResult* result) {
  CheckLinearizability(run, result);
  CheckExpectations(run, result);
  CheckLiveness(run, result);
  CheckReplicaAgreement(run, result);
  result->passed = result->violations.empty();
}

}  // namespace locksim::runner
