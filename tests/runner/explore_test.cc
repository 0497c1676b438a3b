// Exploration (runner/explore.h): exhaustive enumeration counts what it claims, stays in the
// failure model, finds every built-in flaw, reports the same list whatever the number of jobs,
// and every failing schedule's repro command fails the same way when run on its own.
#include "runner/explore.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "runner/fault_plan.h"
#include "scenario/scenario_parser.h"
#include "sim/decisions.h"
#include "tests/runner/shipped_scenarios.h"

namespace locksim::runner {
namespace {

namespace fs = std::filesystem;

ExploreOptions Options(const std::string& name, ExploreStrategy strategy, int depth = 1,
                       uint64_t budget = kDefaultFaultsBudget) {
  ExploreOptions options;
  options.scenario_path = Path(name);
  options.strategy = strategy;
  options.depth = depth;
  options.budget = budget;
  options.jobs = 2;
  return options;
}

// Runs a repro command ("locksim run PATH --seed S [--flaw F] --schedule TOKEN") in-process,
// through the same parsing a user's command goes through.
RunResult RunRepro(const std::string& repro) {
  std::istringstream words(repro);
  std::vector<std::string> argv;
  for (std::string word; words >> word;) argv.push_back(word);
  EXPECT_GE(argv.size(), 5u) << repro;
  EXPECT_EQ(argv[0], "locksim");
  EXPECT_EQ(argv[1], "run");
  const scenario::Scenario scenario = *scenario::LoadScenario(argv[2]);
  RunOptions options;
  options.scenario_path = argv[2];
  options.keep_history = false;
  std::string token;
  for (size_t i = 3; i + 1 < argv.size(); i += 2) {
    if (argv[i] == "--seed") options.seed = std::stoull(argv[i + 1]);
    if (argv[i] == "--flaw") options.flaw = *service::FlawByName(argv[i + 1]);
    if (argv[i] == "--schedule") token = argv[i + 1];
  }
  absl::StatusOr<Schedule> schedule = ParseScheduleToken(token, scenario.clients);
  EXPECT_TRUE(schedule.ok()) << repro << ": " << schedule.status();
  RunResult result = RunScheduled(scenario, *schedule, options).result;
  EXPECT_EQ(result.repro, repro) << "a run prints the command that made it";
  return result;
}

void ExpectReprosFailTheSameWay(const ExploreResult& result) {
  for (const RunFailure& f : result.failures) {
    const RunResult again = RunRepro(f.repro);
    ASSERT_FALSE(again.passed) << f.repro << " passes on its own";
    EXPECT_EQ(again.violations.front().kind, f.kind) << f.repro;
    EXPECT_EQ(again.violations.front().message, f.message) << f.repro;
  }
}

TEST(ExploreFaults, DepthOneIsTheSeedsRunPlusOneScheduleForEveryAllowedPoint) {
  const scenario::Scenario scenario = Load("lab1/basic.json");
  const ExploreResult result =
      RunExplore(scenario, Options("lab1/basic.json", ExploreStrategy::kFaults));
  // The seed's own run, with every injection point logged.
  RunOptions run;
  run.seed = 0;
  const ScheduledRunResult base = RunScheduled(scenario, FaultsSchedule{}, run, true);
  EXPECT_TRUE(result.exhaustive);
  EXPECT_EQ(result.exhaustive_depth, 1);
  EXPECT_EQ(result.schedules_run, 1 + base.points_after_last_placement.size());
  EXPECT_EQ(result.space, result.schedules_run);
  EXPECT_TRUE(result.failures.empty());
  EXPECT_NE(result.guarantee.find("exhaustive over seed 0: all 63 schedules with at most one "
                                  "fault"),
            std::string::npos)
      << result.guarantee;
  // 10 operations: the primary handles 10 requests and 10 acks (21 crash points with the
  // start), the backup 10 forwards (11), 10 client requests (deaf), 10 replies, and the 10
  // requests the network delivers, each duplicated once.
  std::map<FaultPlacement::Kind, int> kinds;
  for (const FaultPlacement& p : base.points_after_last_placement) ++kinds[p.kind];
  EXPECT_EQ(kinds[FaultPlacement::Kind::kCrash], 32);
  EXPECT_EQ(kinds[FaultPlacement::Kind::kDeaf], 10);
  EXPECT_EQ(kinds[FaultPlacement::Kind::kLoseReply], 10);
  EXPECT_EQ(kinds[FaultPlacement::Kind::kDuplicateRequest], 10);
}

TEST(ExploreFaults, ServerFaultsOnlyWhereTheScenarioFailsOneAndNeverTwo) {
  // backup_fail crashes the backup: only backup crashes and lost replies may be added.
  const scenario::Scenario scenario = Load("lab1/backup_fail.json");
  ExploreOptions options = Options("lab1/backup_fail.json", ExploreStrategy::kFaults, 2);
  const ExploreResult result = RunExplore(scenario, options);
  EXPECT_TRUE(result.exhaustive);
  EXPECT_EQ(result.exhaustive_depth, 2);
  EXPECT_TRUE(result.failures.empty());
  // Every schedule's placements: with a flaw that fails every run (duplicate-by-operation fails
  // the script itself), every schedule is listed with its token.
  options.flaw = service::Flaw::kDuplicateByOperation;
  const ExploreResult listed = RunExplore(scenario, options);
  ASSERT_EQ(listed.failures.size(), listed.schedules_run);
  ASSERT_GT(listed.schedules_run, 100u);
  for (const RunFailure& f : listed.failures) {
    const Schedule schedule = *ParseScheduleToken(f.schedule, scenario.clients);
    int server_faults = 0;
    for (const FaultPlacement& p : std::get<FaultsSchedule>(schedule).placements) {
      if (!p.is_server_fault()) continue;
      ++server_faults;
      EXPECT_EQ(p.kind, FaultPlacement::Kind::kCrash) << f.schedule;
      EXPECT_EQ(p.server, service::kBackupNode) << f.schedule;
    }
    EXPECT_LE(server_faults, 1) << f.schedule;
  }
}

TEST(ExploreFaults, ABudgetBelowTheSpaceSamplesAndSaysSo) {
  const ExploreResult result = RunExplore(
      Load("lab1/basic.json"), Options("lab1/basic.json", ExploreStrategy::kFaults, 1, 20));
  EXPECT_FALSE(result.exhaustive);
  EXPECT_EQ(result.schedules_run, 20u);
  EXPECT_EQ(result.space, 63u);
  EXPECT_NE(result.guarantee.find("sampled: 20 of the 63"), std::string::npos) << result.guarantee;
}

TEST(ExploreFaults, DepthTwoPairsAfterTheFirstAndShardsCoverTheSpaceOnce) {
  const scenario::Scenario scenario = Load("lab1/primary_fail3.json");
  ExploreOptions options = Options("lab1/primary_fail3.json", ExploreStrategy::kFaults, 2);
  options.flaw = service::Flaw::kDuplicateByOperation;  // every schedule fails: all are listed
  const ExploreResult whole = RunExplore(scenario, options);
  ASSERT_TRUE(whole.exhaustive);
  std::vector<std::string> tokens;
  for (const RunFailure& f : whole.failures) tokens.push_back(f.schedule);
  std::vector<std::string> sorted = tokens;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::unique(sorted.begin(), sorted.end()), sorted.end()) << "no schedule twice";
  std::vector<std::string> sharded;
  for (uint64_t i = 0; i < 3; ++i) {
    options.shard = Shard{i, 3};
    for (const RunFailure& f : RunExplore(scenario, options).failures) {
      sharded.push_back(f.schedule);
    }
  }
  std::sort(sharded.begin(), sharded.end());
  EXPECT_EQ(sharded, sorted);
}

TEST(Explore, TheReportDoesNotDependOnJobs) {
  const scenario::Scenario scenario = Load("single_lock_contention.json");
  for (ExploreStrategy strategy :
       {ExploreStrategy::kFaults, ExploreStrategy::kPct, ExploreStrategy::kSwarm}) {
    ExploreOptions options = Options("single_lock_contention.json", strategy,
                                     strategy == ExploreStrategy::kPct ? 3 : 1, 60);
    options.flaw = service::Flaw::kForwardOutOfOrder;
    options.max_failures = 3;
    options.jobs = 1;
    const ExploreResult one = RunExplore(scenario, options);
    options.jobs = 3;
    const ExploreResult three = RunExplore(scenario, options);
    EXPECT_EQ(one.failures, three.failures) << StrategyName(strategy);
    EXPECT_EQ(one.schedules_run, three.schedules_run) << StrategyName(strategy);
  }
}

// Every built-in flaw is found by some strategy on some shipped scenario within 100 schedules,
// and every failing schedule's repro fails the same way on its own.
TEST(Explore, EveryFlawIsFoundWithin100SchedulesAndItsReprosFail) {
  struct Where {
    const char* scenario;
    ExploreStrategy strategy;
  };
  const std::vector<Where> where = {
      {"lab1/primary_fail2.json", ExploreStrategy::kFaults},
      {"lab1/basic.json", ExploreStrategy::kFaults},
      {"crash_after_forward.json", ExploreStrategy::kPct},
      {"single_lock_contention.json", ExploreStrategy::kFaults},
      {"primary_crash.json", ExploreStrategy::kPct},
      {"backup_crash.json", ExploreStrategy::kSwarm},
  };
  for (const service::FlawInfo& flaw : service::AllFlaws()) {
    bool found = false;
    for (const Where& w : where) {
      ExploreOptions options =
          Options(w.scenario, w.strategy, w.strategy == ExploreStrategy::kPct ? 3 : 1, 100);
      options.flaw = flaw.flaw;
      options.max_failures = 2;
      const ExploreResult result = RunExplore(Load(w.scenario), options);
      if (result.failures.empty()) continue;
      found = true;
      ExpectReprosFailTheSameWay(result);
      break;
    }
    EXPECT_TRUE(found) << flaw.name << " was not found within 100 schedules";
  }
}

TEST(Explore, ViolationScenariosShowTheirViolation) {
  for (const char* name : {"violation_both_servers_down.json", "violation_lost_forwards.json",
                           "violation_partition.json"}) {
    const scenario::Scenario scenario = Load(name);
    ExploreOptions options = Options(name, DefaultStrategy(scenario), 1, 200);
    options.max_failures = 1;
    const ExploreResult result = RunExplore(scenario, options);
    EXPECT_TRUE(MatchesExpectation(result)) << name;
    ExpectReprosFailTheSameWay(result);
  }
}

TEST(Explore, ShippedPassScenariosPassUnderEveryStrategy) {
  for (const auto& entry : fs::recursive_directory_iterator(LOCKSIM_SCENARIOS_DIR)) {
    if (entry.path().extension() != ".json") continue;
    const std::string name = fs::relative(entry.path(), LOCKSIM_SCENARIOS_DIR).string();
    const scenario::Scenario scenario = Load(name);
    if (scenario.expect == scenario::Expect::kViolation) continue;
    std::vector<ExploreStrategy> strategies = {ExploreStrategy::kFaults, ExploreStrategy::kPct};
    if (scenario.workload.has_value()) strategies.push_back(ExploreStrategy::kSwarm);
    for (ExploreStrategy strategy : strategies) {
      const bool scripted = !scenario.workload.has_value();
      ExploreOptions options =
          Options(name, strategy,
                  strategy == ExploreStrategy::kPct
                      ? 3
                      : (scripted && strategy == ExploreStrategy::kFaults ? 2 : 1),
                  scripted ? 5000 : 40);
      const ExploreResult result = RunExplore(scenario, options);
      EXPECT_TRUE(result.failures.empty())
          << name << " " << StrategyName(strategy) << ": " << result.failures.front().repro << "\n"
          << result.failures.front().message;
      if (scripted && strategy == ExploreStrategy::kFaults) {
        EXPECT_TRUE(result.exhaustive) << name << ": " << result.guarantee;
      }
    }
  }
}

// The servers count their protocol events and exploration sums them: crashing the primary in
// every place makes the backup take over and its clerks come to it; crashing the backup leaves
// the primary alone.
TEST(Explore, CoverageCountsTheProtocolsEvents) {
  const scenario::Scenario scenario = Load("lab1/basic.json");
  ExploreOptions options = Options("lab1/basic.json", ExploreStrategy::kFaults);
  const ExploreResult without = RunExplore(scenario, options);
  EXPECT_FALSE(without.coverage.has_value());
  options.coverage = true;
  const ExploreResult with = RunExplore(scenario, options);
  ASSERT_TRUE(with.coverage.has_value());
  const auto count = [&](service::ProtocolEvent e) {
    return (*with.coverage)[static_cast<size_t>(e)];
  };
  EXPECT_GT(count(service::ProtocolEvent::kBackupTakeover), 0u);
  EXPECT_GT(count(service::ProtocolEvent::kRequestAtBackup), 0u);
  EXPECT_GT(count(service::ProtocolEvent::kForwardFailedPrimaryAlone), 0u);
  EXPECT_GT(count(service::ProtocolEvent::kReplyHeldForAck), 0u);
  EXPECT_EQ(count(service::ProtocolEvent::kForwardDroppedBufferFull), 0u);
  // The seed's own run alone: no fault, so no takeover.
  RunOptions run;
  run.keep_history = false;
  const RunResult plain = RunScenario(scenario, run);
  EXPECT_EQ(plain.coverage[static_cast<size_t>(service::ProtocolEvent::kBackupTakeover)], 0u);
  EXPECT_GT(plain.coverage[static_cast<size_t>(service::ProtocolEvent::kReplyHeldForAck)], 0u);
}

// A schedule's run recorded as a decision list replays to the same run: the list holds
// everything the strategy decided, same-instant order included.
TEST(Explore, ScheduledRunsReplayFromTheirRecordedDecisions) {
  const scenario::Scenario contention = Load("single_lock_contention.json");
  const scenario::Scenario script = Load("lab1/primary_fail7.json");
  const std::vector<std::pair<const scenario::Scenario*, Schedule>> cases = {
      {&contention, PctSchedule{3, 900}},
      {&contention, FaultsSchedule{{{FaultPlacement::Kind::kCrash, service::kPrimaryNode, -1, 40},
                                    {FaultPlacement::Kind::kLoseReply, service::kBackupNode,
                                     service::ClientNode(3), 2}}}},
      {&script, PctSchedule{2, 30}},
      {&script, FaultsSchedule{{{FaultPlacement::Kind::kDeaf, service::kPrimaryNode, -1, 2}}}},
  };
  for (const auto& [scenario, schedule] : cases) {
    for (uint64_t seed = 0; seed < 10; ++seed) {
      std::vector<sim::DecisionRecord> records;
      RunOptions options;
      options.seed = seed;
      options.keep_history = false;
      options.record_decisions = &records;
      const RunResult scheduled = RunScheduled(*scenario, schedule, options).result;
      const sim::DecisionList list = sim::DecisionList::FromRecords(records);
      sim::ReplaySource replay(list);
      RunOptions again;
      again.seed = seed + 77;
      again.keep_history = false;
      again.decision_source = &replay;
      EXPECT_EQ(RunScenario(*scenario, again).fingerprint, scheduled.fingerprint)
          << ScheduleToken(schedule) << " seed " << seed;
    }
  }
}

}  // namespace
}  // namespace locksim::runner
