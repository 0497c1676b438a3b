// The fast path for plain history files (check/history_json_fast.h) must take the files
// recorders write, and must never accept a text the general parser rejects, nor read one
// differently. Checked on written histories in many layouts, and on hundreds of thousands of
// random mutations of them.
#include "check/history_json_fast.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "check/history_json.h"
#include "tests/check/history_generator.h"

namespace locksim::check {
namespace {

using testing::ArbitraryHistory;
using testing::GeneratorOptions;
using testing::TestRng;

bool SameOperation(const HistoryOperation& a, const HistoryOperation& b) {
  return a.client == b.client && a.op == b.op && a.lock == b.lock && a.invoke == b.invoke &&
         a.ret == b.ret && a.result == b.result;
}

bool SameHistory(const History& a, const History& b) {
  if (a.operations.size() != b.operations.size()) return false;
  for (size_t i = 0; i < a.operations.size(); ++i) {
    if (!SameOperation(a.operations[i], b.operations[i])) return false;
  }
  return true;
}

// A random history with wider values than the checker tests need: large and negative times,
// long lock names of printable ASCII.
History RandomHistory(TestRng& rng) {
  GeneratorOptions options;
  options.max_ops = 6;
  options.locks = 3;
  History history = ArbitraryHistory(rng, options);
  for (HistoryOperation& op : history.operations) {
    if (rng.OneIn(4)) {
      const int64_t shift = rng.OneIn(2) ? -rng.Below(1'000'000) : rng.Below(1'000'000'000'000);
      op.invoke += shift;
      if (op.ret.has_value()) *op.ret += shift;
    }
    if (rng.OneIn(4)) op.lock += std::string(static_cast<size_t>(rng.Below(20)), '~');
    if (rng.OneIn(8)) op.client = rng.Below(1'000'000'000);
  }
  return history;
}

// The history as JSON in one of several layouts a recorder might use: written by
// WriteHistoryJson; compact; with odd whitespace; with the keys in another order; with
// "return": null spelled out or left out, and "result": null on pending operations.
std::string Layout(const History& history, int layout, TestRng& rng) {
  if (layout == 0) return WriteHistoryJson(history);
  const auto space = [&] {
    if (layout == 1) return std::string();
    static const char* kSpaces[] = {"", " ", "\n", "\t", "\r\n", "  "};
    return std::string(kSpaces[rng.Below(6)]);
  };
  std::string text = space() + "{" + space() + "\"operations\"" + space() + ":" + space() + "[";
  for (size_t i = 0; i < history.operations.size(); ++i) {
    const HistoryOperation& op = history.operations[i];
    std::vector<std::string> members = {
        "\"client\"" + space() + ":" + space() + std::to_string(op.client),
        "\"op\":" + space() + (op.op == LockOp::kLock ? "\"lock\"" : "\"unlock\""),
        "\"lock\":\"" + op.lock + "\"", "\"invoke\":" + space() + std::to_string(op.invoke)};
    if (op.ret.has_value()) {
      members.push_back("\"return\":" + std::to_string(*op.ret));
      members.push_back(std::string("\"result\":") + (*op.result ? "true" : "false"));
    } else {
      if (rng.OneIn(2)) members.push_back("\"return\":" + space() + "null");
      if (rng.OneIn(3)) members.push_back("\"result\":null");
    }
    if (layout == 3) {
      for (size_t k = members.size(); k > 1; --k) {
        std::swap(members[k - 1], members[static_cast<size_t>(rng.Below(static_cast<int64_t>(k)))]);
      }
    }
    text += (i == 0 ? "" : ",") + space() + "{" + space();
    for (size_t k = 0; k < members.size(); ++k) {
      text += (k == 0 ? "" : "," + space()) + members[k] + space();
    }
    text += "}" + space();
  }
  return text + "]" + space() + "}" + space();
}

TEST(PlainHistoryJson, TakesWhatRecordersWrite) {
  for (uint64_t seed = 0; seed < 20'000; ++seed) {
    TestRng rng(seed + 77);
    const History history = RandomHistory(rng);
    const int layout = static_cast<int>(seed % 4);
    const std::string text = Layout(history, layout, rng);
    const std::optional<History> plain = ParsePlainHistoryJson(text);
    ASSERT_TRUE(plain.has_value()) << "layout " << layout << " not taken:\n" << text;
    ASSERT_TRUE(SameHistory(*plain, history)) << text;
  }
  EXPECT_TRUE(ParsePlainHistoryJson(R"({"operations": []})").has_value());
  EXPECT_TRUE(ParsePlainHistoryJson("{\"operations\":[]}\n").has_value());
}

TEST(PlainHistoryJson, LeavesEverythingElseToTheGeneralParser) {
  const std::string op = R"("client": 0, "op": "lock", "lock": "a", "invoke": 5)";
  const std::vector<std::string> texts = {
      // Valid, but not plain: escapes, non-ASCII names, "-0", a BOM.
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a\"b", "invoke": 5}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "\u00e9", "invoke": 5}]})",
      "{\"operations\": [{\"client\": 0, \"op\": \"lock\", \"lock\": \"\xc3\xa9\", "
      "\"invoke\": 5}]}",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": -0}]})",
      "\xef\xbb\xbf{\"operations\": []}",
      // Invalid: each is the general parser's to report.
      "{\"operations\": [{" + op + ", \"return\": 2, \"result\": true}]}",
      "{\"operations\": [{" + op + ", \"return\": 9}]}",
      "{\"operations\": [{" + op + ", \"result\": true}]}",
      "{\"operations\": [{" + op + ", \"return\": 9, \"result\": null}]}",
      "{\"operations\": [{" + op + ", \"client\": 1}]}",
      "{\"operations\": [{" + op + ", \"x\": 1}]}",
      "{\"operations\": [{" + op + "}], \"operations\": []}",
      R"({"operations": [{"client": -1, "op": "lock", "lock": "a", "invoke": 5}]})",
      R"({"operations": [{"client": 0, "op": "lick", "lock": "a", "invoke": 5}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 5.0}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 1e3}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 05}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 9223372036854775808}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a"}]})",
      R"({"operations": [{}]})",
      R"({"operations": [,]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 5},]})",
      R"({"operations": []} x)",
      R"({"operations": [])",
      R"([])",
      "",
  };
  for (const std::string& text : texts) {
    EXPECT_FALSE(ParsePlainHistoryJson(text).has_value()) << text;
  }
}

// Random edits of plain files: whatever the fast path accepts, the general parser accepts and
// reads the same. Most edits break the file (the general parser must reject those, and the
// fast path must leave them to it); some keep it valid and plain (a digit for a digit).
TEST(PlainHistoryJson, NeverAcceptsWhatTheGeneralParserWouldNot) {
  static const std::string kAlphabet = "{}[],:\" \n0123456789-.eE\\tfalsnurx";
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  for (uint64_t seed = 0; seed < 200'000; ++seed) {
    TestRng rng(seed * 3 + 11);
    std::string text = Layout(RandomHistory(rng), static_cast<int>(seed % 4), rng);
    const int edits = 1 + static_cast<int>(rng.Below(3));
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = static_cast<size_t>(rng.Below(static_cast<int64_t>(text.size())));
      const char c =
          rng.OneIn(20)
              ? static_cast<char>(rng.OneIn(2) ? 0x00 : 0xe9)
              : kAlphabet[static_cast<size_t>(rng.Below(static_cast<int64_t>(kAlphabet.size())))];
      switch (rng.Below(3)) {
        case 0:
          text.erase(at, 1);
          break;
        case 1:
          text.insert(at, 1, c);
          break;
        default:
          text[at] = c;
          break;
      }
    }
    const std::optional<History> plain = ParsePlainHistoryJson(text);
    const absl::StatusOr<History> general = ParseHistoryJsonGeneral(text, "h.json");
    if (plain.has_value()) {
      ++accepted;
      ASSERT_TRUE(general.ok()) << "the fast path took a text the general parser rejects ("
                                << general.status() << "):\n"
                                << text;
      ASSERT_TRUE(SameHistory(*plain, *general)) << "read differently:\n" << text;
    }
    rejected += general.ok() ? 0 : 1;
    // And the entry point users call behaves exactly as the general parser.
    const absl::StatusOr<History> combined = ParseHistoryJson(text, "h.json");
    ASSERT_EQ(combined.ok(), general.ok()) << text;
    if (!general.ok()) {
      ASSERT_EQ(combined.status(), general.status()) << text;
    }
  }
  // Both outcomes must be common, or the test proves little.
  EXPECT_GT(accepted, 5'000u);
  EXPECT_GT(rejected, 50'000u);
}

}  // namespace
}  // namespace locksim::check
