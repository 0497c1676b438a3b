// History files (contract section 3): every malformed input is an error naming the file and the
// JSON path; what WriteHistoryJson writes reads back equal.
#include "check/history_json.h"

#include <gtest/gtest.h>

#include <string>

#include "check/lock_linearizability.h"

namespace locksim::check {
namespace {

std::string ErrorOf(const std::string& json) {
  const absl::StatusOr<History> h = ParseHistoryJson(json, "h.json");
  return h.ok() ? "(parsed)" : std::string(h.status().message());
}

TEST(HistoryJson, ParsesTheContractExample) {
  const absl::StatusOr<History> h = ParseHistoryJson(R"({"operations": [
    {"client": 0, "op": "lock",   "lock": "a", "invoke": 0, "return": 5,    "result": true},
    {"client": 1, "op": "unlock", "lock": "a", "invoke": 3, "return": null}
  ]})",
                                                     "h.json");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->operations.size(), 2u);
  EXPECT_EQ(h->operations[0].ret, 5);
  EXPECT_EQ(h->operations[0].result, true);
  EXPECT_TRUE(h->operations[1].pending());
  EXPECT_EQ(h->operations[1].op, LockOp::kUnlock);
}

TEST(HistoryJson, AbsentReturnIsPending) {
  const absl::StatusOr<History> h = ParseHistoryJson(
      R"({"operations": [{"client": 2, "op": "lock", "lock": "x", "invoke": 7}]})", "h.json");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_TRUE(h->operations[0].pending());
  EXPECT_FALSE(h->operations[0].result.has_value());
}

TEST(HistoryJson, EveryMalformedInputNamesFileAndPath) {
  EXPECT_NE(ErrorOf("{\"operations\": [").find("h.json"), std::string::npos);
  EXPECT_NE(ErrorOf("not json").find("h.json"), std::string::npos);
  EXPECT_NE(ErrorOf("[]").find("h.json"), std::string::npos);
  EXPECT_NE(ErrorOf("{}").find("operations"), std::string::npos) << ErrorOf("{}");
  const std::string op = R"({"client": 0, "op": "lock", "lock": "a", "invoke": 5)";
  EXPECT_EQ(ErrorOf(R"({"operations": [)" + op + R"(, "return": 2, "result": true}]})"),
            "h.json: operations[0].return: 2 is before invoke 5");
  EXPECT_NE(ErrorOf(R"({"operations": [)" + op + R"(, "return": 9}]})").find("operations[0]"),
            std::string::npos)
      << "a completed operation needs a result";
  EXPECT_NE(ErrorOf(R"({"operations": [{"client": 0, "op": "lick", "lock": "a", "invoke": 1}]})")
                .find("operations[0].op"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf(R"({"operations": [{"client": 0, "lock": "a", "invoke": 1}]})").find("operations[0]"),
      std::string::npos)
      << "missing op";
  EXPECT_NE(
      ErrorOf(R"({"operations": [{"client": "zero", "op": "lock", "lock": "a", "invoke": 1}]})")
          .find("operations[0].client"),
      std::string::npos);
  EXPECT_NE(ErrorOf(R"({"operations": [)" + op + R"(, "colour": 1}]})").find("operations[0]"),
            std::string::npos)
      << "unknown key: " << ErrorOf(R"({"operations": [)" + op + R"(, "colour": 1}]})");
  EXPECT_NE(ErrorOf(R"({"operations": [)" + op + R"(, "result": true}]})").find("operations[0]"),
            std::string::npos)
      << "a pending operation has no result";
  EXPECT_NE(ErrorOf(R"({"operations": [], "extra": 1})").find("h.json"), std::string::npos);
}

TEST(HistoryJson, MissingFileIsAnError) {
  const absl::StatusOr<History> h = LoadHistoryJsonFile("/no/such/history.json");
  ASSERT_FALSE(h.ok());
  EXPECT_NE(std::string(h.status().message()).find("/no/such/history.json"), std::string::npos);
}

TEST(HistoryJson, WrittenHistoriesReadBackEqual) {
  History h;
  h.operations.push_back({0, LockOp::kLock, "a \"quoted\" name", 1, 4, true});
  h.operations.push_back({3, LockOp::kUnlock, "b", 2, std::nullopt, std::nullopt});
  const absl::StatusOr<History> back = ParseHistoryJson(WriteHistoryJson(h), "h.json");
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->operations.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back->operations[i].client, h.operations[i].client);
    EXPECT_EQ(back->operations[i].op, h.operations[i].op);
    EXPECT_EQ(back->operations[i].lock, h.operations[i].lock);
    EXPECT_EQ(back->operations[i].invoke, h.operations[i].invoke);
    EXPECT_EQ(back->operations[i].ret, h.operations[i].ret);
    EXPECT_EQ(back->operations[i].result, h.operations[i].result);
  }
}

TEST(LockExplanation, TwoSuccessfulLocksWithoutAnUnlock) {
  History h;
  h.operations.push_back({0, LockOp::kLock, "a", 0, 5, true});
  h.operations.push_back({1, LockOp::kLock, "a", 6, 9, true});
  h.operations.push_back({2, LockOp::kLock, "b", 0, 9, true});
  const LockCheckResult r = CheckLockLinearizability(h);
  EXPECT_FALSE(r.linearizable);
  EXPECT_EQ(r.lock, "a");
  EXPECT_EQ(r.failing_locks, std::vector<std::string>{"a"});
  ASSERT_EQ(r.unorderable.size(), 2u);
  EXPECT_EQ(r.why,
            "client 0's Lock [0, 5] -> true and client 1's Lock [6, 9] -> true both returned "
            "true, but no Unlock that returned true can go between them.");
}

TEST(LockExplanation, PendingUnlockCanExplainASecondLock) {
  History h;
  h.operations.push_back({0, LockOp::kLock, "a", 0, 5, true});
  h.operations.push_back({1, LockOp::kUnlock, "a", 3, std::nullopt, std::nullopt});
  h.operations.push_back({1, LockOp::kLock, "a", 6, 9, true});
  EXPECT_TRUE(CheckLockLinearizability(h).linearizable);
}

}  // namespace
}  // namespace locksim::check
