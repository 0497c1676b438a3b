// Forked runs (runner/simulation.h, ForkableRun): a run paused between two events and copied goes
// on exactly as the run it copies, byte for byte of its trace; a faults schedule run from a fork
// of its parent's run gives the result its replay from the start gives; and `explore` reports the
// same whether it forks or replays. A member a copy leaves out (in the world, a server, a clerk
// or the harness) shows here as a run that parts from the original.
#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "runner/explore.h"
#include "runner/fault_schedule.h"
#include "runner/schedule.h"
#include "runner/simulation.h"
#include "scenario/scenario_parser.h"
#include "sim/trace.h"
#include "tests/runner/shipped_scenarios.h"

namespace locksim::runner {
namespace {

// Everything a run reports, on one line per part, so that a difference shows where it is.
std::string Describe(const RunResult& r) {
  std::vector<std::string> lines;
  lines.push_back(absl::StrCat("fingerprint ", sim::FingerprintHex(r.fingerprint), " events ",
                               r.events, " end ", r.end_time.micros(), " stop ",
                               sim::StopReasonName(r.stop_reason)));
  lines.push_back(absl::StrCat("passed ", r.passed, " repro ", r.repro, " schedule ", r.schedule));
  for (const Violation& v : r.violations) lines.push_back(absl::StrCat(v.kind, ": ", v.message));
  for (const CheckVerdict& c : r.checks) {
    lines.push_back(absl::StrCat(c.name, " ", c.passed, " ", c.summary));
  }
  for (const FiredFault& f : r.faults) {
    lines.push_back(absl::StrCat("fault at ", f.at.micros(), ": ", f.description));
  }
  lines.push_back(absl::StrCat("operations ", r.operations_invoked, " ", r.operations_completed,
                               " ", r.operations_failed));
  const sim::NetworkStats& n = r.network;
  lines.push_back(absl::StrCat("network ", n.sent, " ", n.delivered, " ", n.dropped, " ", n.blocked,
                               " ", n.duplicated, " ", n.discarded, " ", n.calls, " ",
                               n.calls_refused, " ", n.calls_timed_out, " ", n.late_replies));
  lines.push_back(absl::StrCat("coverage ", absl::StrJoin(r.coverage, " ")));
  for (const check::HistoryOperation& op : r.history.operations) {
    lines.push_back(absl::StrCat("op ", op.client, " ", static_cast<int>(op.op), " ", op.lock, " ",
                                 op.invoke, " ", op.ret.value_or(-1), " ",
                                 op.result.has_value() ? static_cast<int>(*op.result) : -1));
  }
  return absl::StrJoin(lines, "\n");
}

// The events at which a run of `events` events is forked: every one for a short run, a spread
// (with both ends) for a long one.
std::vector<uint64_t> ForkPoints(uint64_t events) {
  std::vector<uint64_t> points;
  const uint64_t step = events <= 300 ? 1 : events / 23;
  for (uint64_t k = 0; k < events; k += step) points.push_back(k);
  points.push_back(events - 1);
  return points;
}

class ForkEverywhere : public testing::TestWithParam<std::string> {};

TEST_P(ForkEverywhere, AForkGoesOnAsTheRunItCopies) {
  const scenario::Scenario scenario = Load(GetParam());
  RunOptions options;
  options.seed = 5;
  options.scenario_path = GetParam();
  const std::string repro = ReproCommand(GetParam(), options.seed, options.flaw);
  const RunResult unpaused = RunScenario(scenario, options);
  const std::string straight = Describe(unpaused);
  const uint64_t events = unpaused.events;
  ASSERT_GT(events, 1u);

  ForkableRun original(scenario, options);
  for (uint64_t k : ForkPoints(events)) {
    ASSERT_TRUE(original.RunUntil(k)) << "paused before event " << k + 1 << "; " << repro;
    EXPECT_EQ(original.events(), k);
    EXPECT_EQ(Describe(original.Fork(options).Finish()), straight)
        << "forked after " << k << " of " << events << " events; " << repro;
  }
  // Forking takes nothing from the original: it ends as a run that never paused.
  EXPECT_EQ(Describe(original.Finish()), straight) << repro;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ForkEverywhere,
                         testing::Values("primary_crash.json", "lab1/primary_fail3.json",
                                         "regressions/forward_out_of_order.json",
                                         "acks_out_of_order.json", "violation_partition.json",
                                         "deaf_primary.json"),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name;
                           for (char c : info.param) {
                             if (c == '.') break;
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           }
                           return name;
                         });

// Every single-fault schedule of one seed, run from a fork of the seed's own run just before the
// event where its fault falls, against the same schedule replayed from the start.
void ExpectForkedSinglesMatchReplays(const std::string& name, service::Flaw flaw, size_t stride) {
  const scenario::Scenario scenario = Load(name);
  RunOptions options;
  options.seed = 2;
  options.flaw = flaw;
  options.scenario_path = name;
  options.keep_history = false;
  const ScheduledRunResult own = RunScheduled(scenario, FaultsSchedule{}, options, true);
  ASSERT_EQ(own.points_after_last_placement.size(), own.point_events.size());
  ASSERT_FALSE(own.points_after_last_placement.empty());

  std::optional<ForkableRun> parent;
  std::optional<ScheduledRun> parent_schedule;
  RunOptions parent_options = options;
  int failing = 0;
  for (size_t p = 0; p < own.points_after_last_placement.size(); p += stride) {
    const FaultsSchedule single{{own.points_after_last_placement[p]}};
    const uint64_t event = own.point_events[p];
    const ScheduledRunResult replayed = RunScheduled(scenario, single, options, true);
    failing += replayed.result.passed ? 0 : 1;
    if (event == 0) continue;  // before the first event: nothing to fork from
    if (!parent.has_value() || parent->events() > event - 1) {
      parent.reset();
      parent_schedule = PrepareSchedule(FaultsSchedule{}, scenario, options.seed, true);
      parent_options.decision_source = parent_schedule->source.get();
      parent.emplace(scenario, parent_options);
    }
    ASSERT_TRUE(parent->RunUntil(event - 1));
    const ScheduledRunResult forked =
        RunScheduledFrom(*parent, *parent_schedule->faults, scenario, single, options, true);
    const std::string where =
        absl::StrCat(replayed.result.repro, " (forked before event ", event, ")");
    EXPECT_EQ(Describe(forked.result), Describe(replayed.result)) << where;
    EXPECT_EQ(forked.points_after_last_placement, replayed.points_after_last_placement) << where;
    EXPECT_EQ(forked.point_events, replayed.point_events) << where;
  }
  if (flaw != service::Flaw::kNone) {
    EXPECT_GT(failing, 0) << "the flaw shows in some schedule";
  }
}

TEST(ForkedSchedules, ScriptedSinglesMatchTheirReplays) {
  ExpectForkedSinglesMatchReplays("regressions/forward_out_of_order.json", service::Flaw::kNone, 1);
  ExpectForkedSinglesMatchReplays("acks_out_of_order.json", service::Flaw::kNoDuplicateTable, 1);
}

TEST(ForkedSchedules, WorkloadSinglesMatchTheirReplays) {
  ExpectForkedSinglesMatchReplays("primary_crash.json", service::Flaw::kNone, 37);
  ExpectForkedSinglesMatchReplays("primary_crash.json",
                                  service::Flaw::kBackupForgetsForwardedResults, 37);
}

// What `explore` reports, bar the wall clock.
std::string Describe(const ExploreResult& r) {
  std::vector<std::string> lines;
  lines.push_back(absl::StrCat("schedules ", r.schedules_run, " space ", r.space.value_or(0),
                               " exhaustive ", r.exhaustive, " depth ", r.exhaustive_depth, " ",
                               r.exhaustive_schedules, " stopped ", r.stopped_early));
  lines.push_back(r.guarantee);
  lines.push_back(absl::StrCat("simulated ", r.simulated_micros));
  if (r.coverage.has_value()) lines.push_back(absl::StrJoin(*r.coverage, " "));
  for (const RunFailure& f : r.failures) {
    lines.push_back(
        absl::StrCat(f.seed, " ", f.schedule, " ", f.kind, " ", f.message, " ", f.repro));
  }
  return absl::StrJoin(lines, "\n");
}

void ExpectForkingChangesNothing(const std::string& name, int depth, uint64_t budget,
                                 service::Flaw flaw, uint64_t max_failures = 0) {
  const scenario::Scenario scenario = Load(name);
  ExploreOptions options;
  options.scenario_path = name;
  options.strategy = ExploreStrategy::kFaults;
  options.depth = depth;
  options.budget = budget;
  options.jobs = 2;
  options.flaw = flaw;
  options.coverage = true;
  options.max_failures = max_failures;
  options.fork_runs = false;
  const ExploreResult replayed = RunExplore(scenario, options);
  options.fork_runs = true;
  const ExploreResult forked = RunExplore(scenario, options);
  EXPECT_EQ(Describe(forked), Describe(replayed))
      << "locksim explore " << name << " --depth " << depth << " --budget " << budget << " --flaw "
      << service::FlawName(flaw);
}

TEST(ForkedExploration, ReportsWhatReplayingReports) {
  ExpectForkingChangesNothing("acks_out_of_order.json", 2, 100000, service::Flaw::kNone);
  ExpectForkingChangesNothing("lab1/backup_fail.json", 2, 100000, service::Flaw::kNoDuplicateTable);
  ExpectForkingChangesNothing("lab1/concurrent_counts.json", 1, 200,
                              service::Flaw::kDuplicateByOperation, 3);
  ExpectForkingChangesNothing("backup_crash.json", 1, 300, service::Flaw::kNone);
}

}  // namespace
}  // namespace locksim::runner
