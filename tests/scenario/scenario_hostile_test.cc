// Hostile and malformed scenario text (issue #11 item 3, found by fuzzing): numbers beyond a
// double, nesting of any depth anywhere, NUL bytes, huge files, control characters and terminal
// escapes. Every one is bad input with the file and the JSON path, never a crash, and text from
// the file is escaped in the message (base/printable.h).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scenario/json_text_check.h"
#include "scenario/scenario_parser.h"

namespace locksim::scenario {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Error(const std::string& json) {
  const absl::StatusOr<Scenario> s = ParseScenario(json, "x.json");
  if (s.ok()) return "parsed";
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

std::string Nested(const std::string& open, const std::string& close, size_t depth) {
  std::string text;
  text.reserve(depth * (open.size() + close.size()));
  for (size_t i = 0; i < depth; ++i) text += open;
  for (size_t i = 0; i < depth; ++i) text += close;
  return text;
}

TEST(HostileScenario, NumbersBeyondADoubleAreOutOfRangeWithTheirPath) {
  EXPECT_EQ(Error(R"({"clients": 1e400, "steps": [{"sleep_ms": 1}]})"),
            "x.json: clients: 1e400 is beyond the range of a number (at most about 1.8e308)");
  EXPECT_EQ(Error("1e400"),
            "x.json: (root): 1e400 is beyond the range of a number (at most about 1.8e308)");
  EXPECT_EQ(Error(R"({"steps": [{"sleep_ms": -1e999}]})"),
            "x.json: steps[0].sleep_ms: -1e999 is beyond the range of a number (at most about "
            "1.8e308)");
  EXPECT_EQ(Error(R"({"workload": {"ops_per_client": 1, "locks": [1, 2e308]}})"),
            "x.json: workload.locks[1]: 2e308 is beyond the range of a number (at most about "
            "1.8e308)");
  // A huge integer is a float to nlohmann, within range: the reader says it is not an integer.
  EXPECT_EQ(Error(R"({"clients": 123456789012345678901234567890, "steps": [{"sleep_ms": 1}]})"),
            "x.json: clients: expected an integer, found a number");
}

TEST(HostileScenario, NestingOfAnyDepthAnywhereIsRefusedAtItsPath) {
  for (size_t depth : {33u, 1000u, 200'000u}) {
    SCOPED_TRACE(depth);
    EXPECT_THAT(
        Error(R"({"workload": {"ops_per_client": 1, "locks": )" + Nested("[", "]", depth) + "}}"),
        StartsWith("x.json: workload.locks[0][0]"));
    EXPECT_THAT(Error(R"({"unknown": )" + Nested("{\"a\": ", "}", depth) + "}"),
                StartsWith("x.json: unknown.a.a.a"));
    EXPECT_THAT(Error(Nested("[", "]", depth)),
                HasSubstr(": nested deeper than 32 levels (a scenario needs at most 5)"));
  }
  // 32 levels are fine as JSON (and then wrong as a scenario).
  EXPECT_EQ(Error(R"({"workload": {"ops_per_client": 1, "locks": )" + Nested("[", "]", 30) + "}}"),
            "x.json: workload.locks[0]: expected a string, found an array");
}

TEST(HostileScenario, ANulByteIsRefusedWhereItIs) {
  using namespace std::string_literals;
  EXPECT_EQ(Error(R"({"steps": [{"client": 0, "lock": "a"}]})"s + '\0' + "garbage{{{"),
            "x.json: (root): a NUL byte at line 1, column 40: a scenario file is JSON text, "
            "which holds none");
  EXPECT_EQ(Error("{\"steps\": [{\"client\": 0,\n \"lock\": \"a"s + '\0' + "b\"}]}"),
            "x.json: steps[0].lock: a NUL byte at line 2, column 12: a scenario file is JSON "
            "text, which holds none");
  EXPECT_EQ(Error("\0"s),
            "x.json: (root): a NUL byte at line 1, column 1: a scenario file is "
            "JSON text, which holds none");
  // A problem before the NUL comes first.
  EXPECT_EQ(Error(R"({"clients": 1, "clients": 2})"s + '\0'),
            "x.json: clients: key given twice in one object");
  // Without the NUL, garbage after the object is an error as it always was.
  EXPECT_THAT(Error(R"({"steps": [{"client": 0, "lock": "a"}]}garbage)"),
              StartsWith("x.json: (root): not valid JSON: parse error at line 1, column 40: "));
}

TEST(HostileScenario, TextBeyondTheSizeLimitIsRefusedBeforeParsing) {
  std::string text = R"({"description": ")";
  text.append(kMaxScenarioBytes, 'x');
  text += R"(", "steps": [{"sleep_ms": 1}]})";
  EXPECT_EQ(Error(text), "x.json: (root): the text is " + std::to_string(text.size()) +
                             " bytes; a scenario file is at most 64 MiB");
}

TEST(HostileScenario, AFileThatNeverEndsIsRefusedWithoutReadingItWhole) {
  const absl::StatusOr<Scenario> s = LoadScenario("/dev/zero");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "/dev/zero: (root): larger than a scenario file may be (at most 64 MiB)");
}

TEST(HostileScenario, ControlCharactersFromTheFileAreEscapedInMessages) {
  EXPECT_EQ(Error("{\"st\\u001b[2Jeps\": 1}"),
            "x.json: st\\x1b[2Jeps: unknown key (expected one of: name, description, seed, "
            "clients, rpc_timeout_ms, network, steps, workload, faults, expect, budget)");
  EXPECT_EQ(Error(R"({"expect": "pa\u0007ss", "steps": [{"sleep_ms": 1}]})"),
            "x.json: expect: \"pa\\x07ss\" is not an outcome (expected \"pass\" or \"violation\")");
  EXPECT_EQ(Error(R"({"steps": [{"crash": "prim\u009bary"}]})"),
            "x.json: steps[0].crash: \"prim\\u009bary\" is not a server (expected \"primary\" or "
            "\"backup\")");
  EXPECT_EQ(Error(R"({"workload": {"ops_per_client": 1, "locks": ["a\nb", "a\nb"]}})"),
            "x.json: workload.locks[1]: \"a\\nb\" appears twice");
  // Bytes nlohmann quotes from a broken file are escaped too.
  const std::string quoted = Error("{\"steps\": \x1b[31m}");
  EXPECT_THAT(quoted, HasSubstr("last read: '\"steps\": <U+001B>'"));
  EXPECT_EQ(quoted.find('\x1b'), std::string::npos);
  EXPECT_THAT(Error("{\"steps\": \xff}"), HasSubstr("last read: '\"steps\": \\xff'"));
  // And the file's own name.
  const absl::StatusOr<Scenario> s = ParseScenario("[]", "evil\x1b]0;title\x07.json");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "evil\\x1b]0;title\\x07.json: (root): expected an object, found an array");
}

TEST(JsonTextCheck, AcceptsWhatNlohmannMayParse) {
  EXPECT_EQ(CheckJsonText(R"({"a": [1, 2.5, -3, true, null, {"b": "c"}], "d": {}})"), std::nullopt);
  EXPECT_EQ(CheckJsonText(Nested("[", "]", 32)), std::nullopt) << "exactly the limit";
  EXPECT_NE(CheckJsonText(Nested("[", "]", 33)), std::nullopt);
  EXPECT_EQ(CheckJsonText(R"({"a": {"x": 1}, "b": {"x": 2}})"), std::nullopt)
      << "the same key in different objects";
}

}  // namespace
}  // namespace locksim::scenario
