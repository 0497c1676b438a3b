// History files (docs/history-format.md): every malformed input is an error naming the file and
// the JSON path; what WriteHistoryJson writes reads back equal.
#include "check/history_json.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "check/lock_linearizability.h"
#include "tests/check/history_generator.h"

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

// One exact message per kind of error: the file, the JSON path, then what is wrong.
TEST(HistoryJson, ErrorMessagesAreExact) {
  const std::string ok =
      R"({"client": 0, "op": "lock", "lock": "a", "invoke": 1, "return": 2, "result": true})";
  const auto with = [&](const std::string& second) {
    return R"({"operations": [)" + ok + ", " + second + "]}";
  };
  // Bad JSON: the path is where the parser stopped.
  EXPECT_TRUE(ErrorOf(R"({"operations": [)" + ok + ", ")
                  .starts_with("h.json: operations[1]: invalid JSON: "))
      << ErrorOf(R"({"operations": [)" + ok + ", ");
  EXPECT_TRUE(ErrorOf("not json").starts_with("h.json: (document): invalid JSON: "))
      << ErrorOf("not json");
  // Missing fields.
  EXPECT_EQ(ErrorOf("{}"), "h.json: operations: missing");
  EXPECT_EQ(ErrorOf(with(R"({"client": 0, "lock": "a", "invoke": 1})")),
            "h.json: operations[1].op: missing");
  EXPECT_EQ(ErrorOf(with(R"({"op": "lock", "lock": "a", "invoke": 1})")),
            "h.json: operations[1].client: missing");
  EXPECT_EQ(ErrorOf(with(R"({"client": 0, "op": "lock", "invoke": 1})")),
            "h.json: operations[1].lock: missing");
  EXPECT_EQ(ErrorOf(with(R"({"client": 0, "op": "lock", "lock": "a"})")),
            "h.json: operations[1].invoke: missing");
  // Wrong types.
  EXPECT_EQ(ErrorOf("[]"), "h.json: (document): expected an object, got an array");
  EXPECT_EQ(ErrorOf(R"({"operations": null})"), "h.json: operations: expected an array, got null");
  EXPECT_EQ(ErrorOf(R"({"operations": [3]})"),
            "h.json: operations[0]: expected an object, got an integer");
  EXPECT_EQ(ErrorOf(with(R"({"client": "zero", "op": "lock", "lock": "a", "invoke": 1})")),
            "h.json: operations[1].client: expected an integer, got a string");
  EXPECT_EQ(ErrorOf(with(R"({"client": 0, "op": "lock", "lock": 7, "invoke": 1})")),
            "h.json: operations[1].lock: expected a string, got an integer");
  EXPECT_EQ(ErrorOf(with(R"({"client": 0, "op": "lock", "lock": "a", "invoke": 1.5})")),
            "h.json: operations[1].invoke: expected an integer, got a non-integer number");
  EXPECT_EQ(
      ErrorOf(with(R"({"client": 0, "op": "lock", "lock": "a", "invoke": 1, "return": "5"})")),
      "h.json: operations[1].return: expected an integer or null, got a string");
  EXPECT_EQ(
      ErrorOf(with(
          R"({"client": 0, "op": "lock", "lock": "a", "invoke": 1, "return": 5, "result": 1})")),
      "h.json: operations[1].result: expected a boolean or null, got an integer");
  EXPECT_EQ(ErrorOf(with(R"({"client": 0, "op": "lock", "lock": {}, "invoke": 1})")),
            "h.json: operations[1].lock: expected a string, got an object");
  EXPECT_EQ(ErrorOf(with(R"({"client": -1, "op": "lock", "lock": "a", "invoke": 1})")),
            "h.json: operations[1].client: -1 is negative");
  // Unknown op and unknown keys.
  EXPECT_EQ(ErrorOf(with(R"({"client": 0, "op": "lick", "lock": "a", "invoke": 1})")),
            "h.json: operations[1].op: unknown op \"lick\" (expected \"lock\" or \"unlock\")");
  EXPECT_EQ(ErrorOf(with(R"({"client": 0, "op": "lock", "lock": "a", "invoke": 1, "colour": 1})")),
            "h.json: operations[1].colour: unknown key (expected client, op, lock, invoke, "
            "return, result)");
  EXPECT_EQ(ErrorOf(R"({"operations": [], "extra": 1})"),
            "h.json: extra: unknown key (expected \"operations\")");
  EXPECT_EQ(ErrorOf(with(R"({"client": 0, "client": 1, "op": "lock", "lock": "a", "invoke": 1})")),
            "h.json: operations[1].client: duplicate key");
  // Times and results.
  EXPECT_EQ(
      ErrorOf(with(
          R"({"client": 0, "op": "lock", "lock": "a", "invoke": 5, "return": 2, "result": true})")),
      "h.json: operations[1].return: 2 is before invoke 5");
  EXPECT_EQ(ErrorOf(with(R"({"client": 0, "op": "lock", "lock": "a", "invoke": 5, "return": 9})")),
            "h.json: operations[1].result: missing (a completed operation has a result)");
  EXPECT_EQ(
      ErrorOf(with(
          R"({"client": 0, "op": "lock", "lock": "a", "invoke": 5, "return": 9, "result": null})")),
      "h.json: operations[1].result: missing (a completed operation has a result)");
  EXPECT_EQ(
      ErrorOf(with(R"({"client": 0, "op": "lock", "lock": "a", "invoke": 5, "result": true})")),
      "h.json: operations[1].result: a pending operation (no return) has no result");
  EXPECT_EQ(
      ErrorOf(with(
          R"({"client": 0, "op": "lock", "lock": "a", "invoke": 5, "return": null, "result": false})")),
      "h.json: operations[1].result: a pending operation (no return) has no result");
  EXPECT_EQ(
      ErrorOf(with(R"({"client": 0, "op": "lock", "lock": "a", "invoke": 18446744073709551615})")),
      "h.json: operations[1].invoke: 18446744073709551615 is out of range");
  // Equal invoke and return is fine (an instantaneous operation).
  EXPECT_EQ(
      ErrorOf(with(
          R"({"client": 0, "op": "lock", "lock": "a", "invoke": 5, "return": 5, "result": false})")),
      "(parsed)");
}

// A NUL byte is not JSON outside a string (and only escaped inside one). The precise parser's
// lexer takes one for the end of the text, which made a file with a NUL and garbage after it
// pass: it must name the NUL instead, wherever it is.
TEST(HistoryJson, ANulByteIsAnErrorWhereverItIs) {
  const auto with_nul = [](std::string before, std::string after) {
    return before + std::string(1, '\0') + after;
  };
  EXPECT_EQ(ErrorOf(with_nul(R"({"operations": []})", "garbage")),
            "h.json: (document): invalid JSON: parse error at line 1, column 19: a NUL byte (JSON "
            "allows one only inside a string, escaped as \\u0000)");
  EXPECT_EQ(ErrorOf(with_nul("{\"operations\": [\n", "]}")),
            "h.json: operations[0]: invalid JSON: parse error at line 2, column 1: a NUL byte "
            "(JSON allows one only inside a string, escaped as \\u0000)");
  EXPECT_EQ(ErrorOf(with_nul(R"({"operations": [{"client": 0, "op": "lock", "lock": "a)",
                             R"(b", "invoke": 1}]})")),
            "h.json: operations[0].lock: invalid JSON: parse error at line 1, column 55: a NUL "
            "byte (JSON allows one only inside a string, escaped as \\u0000)");
  // An escaped NUL in a name is fine.
  const absl::StatusOr<History> h = ParseHistoryJson(
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a\u0000b", "invoke": 1}]})",
      "h.json");
  ASSERT_TRUE(h.ok()) << h.status();
  EXPECT_EQ(h->operations[0].lock, std::string("a\0b", 3));
}

// Integers beyond 64 bits are out of range, not "a non-integer number", however long.
TEST(HistoryJson, HugeIntegersAreOutOfRange) {
  const auto with_invoke = [](const std::string& invoke) {
    return R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": )" + invoke +
           "}]}";
  };
  EXPECT_EQ(ErrorOf(with_invoke("9223372036854775808")),
            "h.json: operations[0].invoke: 9223372036854775808 is out of range");
  EXPECT_EQ(ErrorOf(with_invoke("99999999999999999999")),
            "h.json: operations[0].invoke: 99999999999999999999 is out of range");
  EXPECT_EQ(ErrorOf(with_invoke("-9223372036854775809")),
            "h.json: operations[0].invoke: -9223372036854775809 is out of range");
  EXPECT_EQ(ErrorOf(with_invoke("1" + std::string(400, '0'))),
            "h.json: operations[0].invoke: an integer of 401 digits is out of range");
  EXPECT_EQ(ErrorOf(with_invoke("-" + std::string(100'000, '9'))),
            "h.json: operations[0].invoke: an integer of 100000 digits is out of range");
  EXPECT_EQ(ErrorOf(with_invoke("1e400")),
            "h.json: operations[0].invoke: expected an integer, got a non-integer number");
  EXPECT_EQ(ErrorOf(with_invoke("1.5e300")),
            "h.json: operations[0].invoke: expected an integer, got a non-integer number");
  EXPECT_EQ(
      ErrorOf(
          R"({"operations": [{"client": 99999999999999999999, "op": "lock", "lock": "a", "invoke": 1}]})"),
      "h.json: operations[0].client: 99999999999999999999 is out of range");
  EXPECT_EQ(
      ErrorOf(
          R"({"operations": [{"client": 0, "op": "lock", "lock": 99999999999999999999, "invoke": 1}]})"),
      "h.json: operations[0].lock: expected a string, got an integer");
  EXPECT_EQ(ErrorOf(R"({"operations": [99999999999999999999]})"),
            "h.json: operations[0]: expected an object, got an integer");
}

// Keys and ops are shown with their control characters escaped (base/printable.h), never raw.
TEST(HistoryJson, ErrorsShowHostileTextEscaped) {
  EXPECT_EQ(ErrorOf(R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 1, )"
                    R"("\u001b[2J": 1}]})"),
            "h.json: operations[0].\\x1b[2J: unknown key (expected client, op, lock, invoke, "
            "return, result)");
  EXPECT_EQ(ErrorOf(R"({"\u001b]0;x\u0007": 1})"),
            "h.json: \\x1b]0;x\\x07: unknown key (expected \"operations\")");
  EXPECT_EQ(ErrorOf(R"({"operations": [{"client": 0, "op": "lo\nck", "lock": "a", "invoke": 1}]})"),
            "h.json: operations[0].op: unknown op \"lo\\nck\" (expected \"lock\" or \"unlock\")");
  // nlohmann's own message quotes the bytes it last read: escaped too.
  const std::string c1 = ErrorOf("{\"operations\": [{\"client\": \xc2\x9b\x1b[2J}]}");
  EXPECT_TRUE(c1.starts_with("h.json: operations[0].client: invalid JSON: ")) << c1;
  EXPECT_EQ(c1.find('\x1b'), std::string::npos) << c1;
  EXPECT_EQ(c1.find("\xc2\x9b"), std::string::npos) << c1;
  const absl::StatusOr<History> h = ParseHistoryJson("[]", "bad\x1b[31mname.json");
  EXPECT_EQ(h.status().message(),
            "bad\\x1b[31mname.json: (document): expected an object, got an array");
}

// simdjson indexes at most 4 GiB - 1 bytes: a larger file is refused before it is read (a sparse
// file, so the test costs no disk).
TEST(HistoryJson, AFileLargerThan4GiBIsRefused) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("locksim_huge_history_" + std::to_string(::getpid()));
  { std::ofstream(path) << "{"; }
  std::error_code error;
  std::filesystem::resize_file(path, (uint64_t{1} << 32) + 10, error);
  if (error) GTEST_SKIP() << "cannot make a sparse file here: " << error.message();
  const absl::StatusOr<History> h = LoadHistoryJsonFile(path.string());
  std::filesystem::remove(path);
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().message(),
            path.string() + ": larger than 4294967295 bytes, the most a history file may hold");
}

// Random histories (pending operations, equal times, odd lock names) survive a round trip.
TEST(HistoryJson, RandomHistoriesRoundTrip) {
  for (uint64_t seed = 0; seed < 2000; ++seed) {
    testing::TestRng rng(seed + 77);
    testing::GeneratorOptions options;
    options.locks = 3;
    History h = testing::ArbitraryHistory(rng, options);
    if (seed % 5 == 0) h.operations[0].lock = "\xc3\xa9t\xc3\xa9 \\ \"/\n";
    if (seed % 7 == 0) h.operations[0].invoke = -static_cast<int64_t>(seed);
    const absl::StatusOr<History> back = ParseHistoryJson(WriteHistoryJson(h), "h.json");
    ASSERT_TRUE(back.ok()) << back.status();
    ASSERT_EQ(back->operations.size(), h.operations.size());
    for (size_t i = 0; i < h.operations.size(); ++i) {
      EXPECT_EQ(back->operations[i].client, h.operations[i].client);
      EXPECT_EQ(back->operations[i].op, h.operations[i].op);
      EXPECT_EQ(back->operations[i].lock, h.operations[i].lock);
      EXPECT_EQ(back->operations[i].invoke, h.operations[i].invoke);
      EXPECT_EQ(back->operations[i].ret, h.operations[i].ret);
      EXPECT_EQ(back->operations[i].result, h.operations[i].result);
    }
  }
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
            "true, but no other Unlock can have taken effect between them.");
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
