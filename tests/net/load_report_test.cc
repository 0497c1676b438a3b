// What `locksim load` concludes from a run: latency percentiles, the linearizability and
// liveness verdicts, the JSON object; and the history file, written whole or not at all.
#include "net/load_report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "check/history_json.h"
#include "net/history_file.h"

namespace locksim::net {
namespace {

namespace fs = std::filesystem;

check::HistoryOperation Op(int64_t client, check::LockOp op, int64_t invoke,
                           std::optional<int64_t> ret, std::optional<bool> result) {
  return check::HistoryOperation{
      .client = client, .op = op, .lock = "l0", .invoke = invoke, .ret = ret, .result = result};
}

LoadOutcome OutcomeOf(std::vector<check::HistoryOperation> ops) {
  LoadOutcome outcome;
  for (const check::HistoryOperation& op : ops) {
    outcome.gave_up.push_back(false);
    if (op.ret.has_value()) {
      ++outcome.completed;
      outcome.latencies_us.push_back(*op.ret - op.invoke);
      outcome.elapsed_us = std::max(outcome.elapsed_us, *op.ret);
    }
  }
  outcome.history.operations = std::move(ops);
  return outcome;
}

TEST(LoadReport, PercentilesAreNearestRank) {
  std::vector<int64_t> none;
  EXPECT_EQ(SummarizeLatencies(none).max_us, 0);
  std::vector<int64_t> one = {7};
  const LatencySummary single = SummarizeLatencies(one);
  EXPECT_EQ(single.p50_us, 7);
  EXPECT_EQ(single.p99_us, 7);
  EXPECT_EQ(single.max_us, 7);
  std::vector<int64_t> hundred;
  for (int64_t i = 100; i >= 1; --i) hundred.push_back(i);  // unsorted on purpose
  const LatencySummary h = SummarizeLatencies(hundred);
  EXPECT_EQ(h.p50_us, 50);
  EXPECT_EQ(h.p99_us, 99);
  EXPECT_EQ(h.max_us, 100);
  std::vector<int64_t> thousand;
  for (int64_t i = 1; i <= 1000; ++i) thousand.push_back(i);
  EXPECT_EQ(SummarizeLatencies(thousand).p99_us, 990);
}

TEST(LoadReport, ALinearizableCompleteRunPasses) {
  LoadOutcome outcome = OutcomeOf({Op(0, check::LockOp::kLock, 0, 10, true),
                                   Op(1, check::LockOp::kLock, 20, 30, false),
                                   Op(1, check::LockOp::kUnlock, 40, 50, true)});
  LoadContext context;
  context.seed = 3;
  const LoadReport report = CheckLoad(context, outcome);
  EXPECT_TRUE(report.passed);
  EXPECT_EQ(report.completed, 3);
  EXPECT_DOUBLE_EQ(report.ops_per_second, 3 / 50e-6);
  const nlohmann::json json = LoadReportJson(report);
  EXPECT_EQ(json["outcome"], "pass");
  EXPECT_EQ(json["reproducible"], false);
  EXPECT_EQ(json["latency_us"]["max"], 10);
  EXPECT_TRUE(json["violations"].empty());
  EXPECT_NE(HumanLoadSummary(report, false).find("not reproducible"), std::string::npos);
}

TEST(LoadReport, TwoSuccessfulLocksInARowAreALinearizabilityViolation) {
  LoadOutcome outcome = OutcomeOf(
      {Op(0, check::LockOp::kLock, 0, 10, true), Op(1, check::LockOp::kLock, 20, 30, true)});
  const LoadReport report = CheckLoad(LoadContext{}, outcome);
  EXPECT_FALSE(report.passed);
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].kind, "linearizability");
  EXPECT_EQ(LoadReportJson(report)["outcome"], "violation");
}

TEST(LoadReport, ACallTheClerkGaveUpOnFailsLiveness) {
  LoadOutcome outcome = OutcomeOf({Op(0, check::LockOp::kLock, 0, 10, true),
                                   Op(0, check::LockOp::kUnlock, 20, std::nullopt, std::nullopt)});
  outcome.gave_up[1] = true;
  outcome.failed = 1;
  const LoadReport report = CheckLoad(LoadContext{}, outcome);
  EXPECT_FALSE(report.passed);
  ASSERT_EQ(report.violations.size(), 1u);
  EXPECT_EQ(report.violations[0].kind, "liveness");
  EXPECT_NE(report.violations[0].message.find("gave up"), std::string::npos)
      << report.violations[0].message;
}

TEST(HistoryFile, WritesWholeFilesAndNothingOnError) {
  const fs::path dir =
      fs::temp_directory_path() / ("locksim_history_file_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  check::History history;
  history.operations = {Op(0, check::LockOp::kLock, 0, 10, true),
                        Op(1, check::LockOp::kUnlock, 5, std::nullopt, std::nullopt)};
  const std::string path = (dir / "h.json").string();
  ASSERT_TRUE(CheckHistoryPathWritable(path).ok());
  ASSERT_TRUE(WriteHistoryFileAtomically(path, history).ok());
  const absl::StatusOr<check::History> read = check::LoadHistoryJsonFile(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(check::WriteHistoryJson(*read), check::WriteHistoryJson(history));

  const std::string nowhere = (dir / "no" / "such" / "h.json").string();
  EXPECT_FALSE(CheckHistoryPathWritable(nowhere).ok());
  const absl::Status failed = WriteHistoryFileAtomically(nowhere, history);
  EXPECT_FALSE(failed.ok());
  EXPECT_NE(failed.message().find(nowhere), std::string::npos) << failed;
  // Only the one good file: no temporary left behind by either call.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace locksim::net
