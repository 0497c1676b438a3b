// Reading history files with simdjson (check/history_json_simdjson.h) must take every valid file,
// in any layout, and read it exactly; and it must agree with the precise parser
// (check/history_json_precise.h) on every text: both accept it and read the same history, or
// both reject it. ParseHistoryJson must then return the precise parser's error word for word.
// Checked on histories in many layouts, on hostile texts, and on hundreds of thousands of random
// edits of valid files.
#include "check/history_json_simdjson.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "check/history_json.h"
#include "check/history_json_precise.h"
#include "tests/check/history_generator.h"

namespace locksim::check {
namespace {

using testing::ArbitraryHistory;
using testing::GeneratorOptions;
using testing::TestRng;

// The reader wants padding after the text; a test gives it zeros.
absl::StatusOr<History> ReadWithSimdjson(const std::string& text) {
  std::string padded = text;
  padded.append(kHistoryJsonPadding, '\0');
  return ReadHistoryJsonWithSimdjson(std::string_view(padded).substr(0, text.size()));
}

// The stream, fed `text` in pieces of 1 to `max_piece` bytes (as a pipe or a slow disk might),
// so that operations, separators and the frame fall across reads.
std::optional<History> Stream(const std::string& text, TestRng& rng, size_t max_piece) {
  size_t offset = 0;
  const auto source = [&](char* buffer, size_t size) -> absl::StatusOr<size_t> {
    const size_t piece = 1 + static_cast<size_t>(rng.Below(static_cast<int64_t>(max_piece)));
    const size_t count = std::min({size, piece, text.size() - offset});
    std::memcpy(buffer, text.data() + offset, count);
    offset += count;
    return count;
  };
  absl::StatusOr<std::optional<History>> streamed = StreamHistoryJson(source, text.size());
  EXPECT_TRUE(streamed.ok());
  return streamed.ok() ? *std::move(streamed) : std::nullopt;
}

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
// long names, names that must be escaped in JSON and names in UTF-8.
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
    if (rng.OneIn(6)) op.lock += rng.OneIn(2) ? "\"q\\\n\t\x01" : "\xc3\xa9t\xc3\xa9 \xe2\x82\xac";
    if (rng.OneIn(8)) op.client = rng.Below(1'000'000'000);
  }
  return history;
}

// A JSON string literal for `text`: plain escapes, or (`unicode`) every character of the name
// as \u escapes where it is ASCII, which is just as valid.
std::string Literal(const std::string& text, bool unicode) {
  std::string out = "\"";
  static const char kHex[] = "0123456789abcdef";
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || (unicode && c < 0x80)) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

// The history as JSON in one of several layouts a recorder might use: 0 as WriteHistoryJson
// writes it; 1 compact; 2 odd whitespace; 3 keys in another order; 4 pretty-printed with every
// key escaped as \u sequences; and in every layout but 0, "return": null spelled out or left
// out and "result": null on pending operations.
std::string Layout(const History& history, int layout, TestRng& rng) {
  if (layout == 0) return WriteHistoryJson(history);
  const auto space = [&] {
    if (layout == 1) return std::string();
    if (layout == 4) return std::string(rng.OneIn(2) ? "\n    " : " ");
    static const char* kSpaces[] = {"", " ", "\n", "\t", "\r\n", "  "};
    return std::string(kSpaces[rng.Below(6)]);
  };
  const auto key = [&](const std::string& name) { return Literal(name, layout == 4); };
  std::string text = space() + "{" + space() + key("operations") + space() + ":" + space() + "[";
  for (size_t i = 0; i < history.operations.size(); ++i) {
    const HistoryOperation& op = history.operations[i];
    std::vector<std::string> members = {
        key("client") + space() + ":" + space() + std::to_string(op.client),
        key("op") + ":" + space() + (op.op == LockOp::kLock ? "\"lock\"" : "\"unlock\""),
        key("lock") + ":" + Literal(op.lock, rng.OneIn(4)),
        key("invoke") + ":" + space() + std::to_string(op.invoke)};
    if (op.ret.has_value()) {
      members.push_back(key("return") + ":" + std::to_string(*op.ret));
      members.push_back(key("result") + ":" + (*op.result ? "true" : "false"));
    } else {
      if (rng.OneIn(2)) members.push_back(key("return") + ":" + space() + "null");
      if (rng.OneIn(3)) members.push_back(key("result") + ":null");
    }
    if (layout >= 3) {
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

TEST(SimdjsonHistoryReader, TakesEveryLayout) {
  for (uint64_t seed = 0; seed < 20'000; ++seed) {
    TestRng rng(seed + 77);
    const History history = RandomHistory(rng);
    const int layout = static_cast<int>(seed % 5);
    const std::string text = Layout(history, layout, rng);
    const absl::StatusOr<History> read = ReadWithSimdjson(text);
    ASSERT_TRUE(read.ok()) << "layout " << layout << " not taken (" << read.status()
                           << ", case seed " << seed << "):\n"
                           << text;
    ASSERT_TRUE(SameHistory(*read, history)) << "case seed " << seed << ":\n" << text;
    const absl::StatusOr<History> parsed = ParseHistoryJson(text, "h.json");
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    ASSERT_TRUE(SameHistory(*parsed, history)) << text;
    // The stream takes every layout but the one with the "operations" key escaped.
    const std::optional<History> streamed = Stream(text, rng, 1 + seed % 40);
    if (layout != 4) {
      ASSERT_TRUE(streamed.has_value())
          << "layout " << layout << " not streamed (case seed " << seed << "):\n"
          << text;
    }
    if (streamed.has_value()) {
      ASSERT_TRUE(SameHistory(*streamed, history)) << "case seed " << seed << ":\n" << text;
    }
  }
}

// A history large enough to span many of the stream's blocks, read in pieces of every size.
TEST(SimdjsonHistoryReader, StreamsLongHistoriesExactly) {
  TestRng rng(5);
  GeneratorOptions options;
  options.max_ops = 1;
  options.locks = 3;
  History history;
  for (int i = 0; i < 30'000; ++i) {
    History one = RandomHistory(rng);
    history.operations.push_back(one.operations[0]);
  }
  for (const int layout : {0, 1, 2, 3}) {
    const std::string text = Layout(history, layout, rng);
    ASSERT_GT(text.size(), size_t{1} << 20);
    for (const size_t max_piece : {size_t{7}, size_t{4096}, size_t{1} << 20}) {
      const std::optional<History> streamed = Stream(text, rng, max_piece);
      ASSERT_TRUE(streamed.has_value()) << "layout " << layout << ", pieces " << max_piece;
      ASSERT_TRUE(SameHistory(*streamed, history)) << "layout " << layout;
    }
  }
}

// What the stream leaves to the whole-text reader: valid files framed unusually are still read,
// by that reader; invalid ones are refused by both.
TEST(SimdjsonHistoryReader, TheStreamLeavesUnusualFilesToTheWholeTextReader) {
  const std::string op = R"({"client": 0, "op": "lock", "lock": "a", "invoke": 5})";
  // The "operations" key escaped: never streamed, still read.
  const std::string escaped_key = R"({"\u006fperations": [)" + op + "]}";
  TestRng rng(1);
  EXPECT_FALSE(Stream(escaped_key, rng, 3).has_value());
  EXPECT_TRUE(ParseHistoryJson(escaped_key, "h.json").ok());
  // A separator's characters inside a name: when a read ends there, the slice ending at them is
  // not valid JSON, so the stream gives up and the whole text is read; either way, the same.
  const std::string name = R"({"operations": [{"client": 0, "op": "lock", "lock": "x}, {", )"
                           R"("invoke": 5}, )" +
                           op + "]}";
  const absl::StatusOr<History> whole = ReadWithSimdjson(name);
  ASSERT_TRUE(whole.ok()) << whole.status();
  size_t declined = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    TestRng pieces(seed);
    const std::optional<History> streamed = Stream(name, pieces, 1 + seed % 50);
    if (!streamed.has_value()) {
      ++declined;
      continue;
    }
    EXPECT_TRUE(SameHistory(*streamed, *whole)) << "case seed " << seed;
  }
  EXPECT_GT(declined, 0u);
  EXPECT_EQ(ParseHistoryJson(name, "h.json")->operations[0].lock, "x}, {");
  const std::vector<std::string> invalid = {
      "{\"operations\": [" + op + ", ]}",
      "{\"operations\": [" + op + ",, " + op + "]}",
      "{\"operations\": [, " + op + "]}",
      "{\"operations\": [" + op + "], \"operations\": []}",
      "{\"operations\": [" + op + "]",
      "{\"operations\": [" + op + "]}]",
      "{\"operations\": [" + op + " " + op + "]}",
      "{\"operations\": [" + op + "}, " + op + "]}",
  };
  for (const std::string& text : invalid) {
    TestRng rng(2);
    EXPECT_FALSE(Stream(text, rng, 5).has_value()) << text;
    EXPECT_FALSE(ReadWithSimdjson(text).ok()) << text;
    EXPECT_FALSE(ParseHistoryJson(text, "h.json").ok()) << text;
  }
}

TEST(SimdjsonHistoryReader, TakesValidOddities) {
  const std::vector<std::string> texts = {
      R"({"operations": []})",
      "{\"operations\":[]}\n",
      // A byte order mark, "-0", an exponent-free large time, escapes in the op.
      "\xef\xbb\xbf{\"operations\": []}",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": -0}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 9223372036854775807}]})",
      R"({"operations": [{"client": 0, "op": "\u006cock", "lock": "\ud83d\ude00", "invoke": 1}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "", "invoke": 1, "result": null}]})",
  };
  for (const std::string& text : texts) {
    const absl::StatusOr<History> read = ReadWithSimdjson(text);
    EXPECT_TRUE(read.ok()) << read.status() << "\n" << text;
    const absl::StatusOr<History> precise = ParseHistoryJsonPrecise(text, "h.json");
    ASSERT_TRUE(precise.ok()) << precise.status();
    if (read.ok()) {
      EXPECT_TRUE(SameHistory(*read, *precise)) << text;
    }
  }
}

// Texts both parsers must refuse: ParseHistoryJson gives the precise parser's message, naming
// the file and a JSON path, and never crashes, whatever the size or depth.
TEST(SimdjsonHistoryReader, RefusesHostileTexts) {
  const std::string op = R"("client": 0, "op": "lock", "lock": "a", "invoke": 5)";
  std::vector<std::string> texts = {
      "{\"operations\": [{" + op + ", \"return\": 2, \"result\": true}]}",
      "{\"operations\": [{" + op + ", \"return\": 9}]}",
      "{\"operations\": [{" + op + ", \"result\": true}]}",
      "{\"operations\": [{" + op + ", \"return\": 9, \"result\": null}]}",
      "{\"operations\": [{" + op + ", \"client\": 1}]}",
      "{\"operations\": [{" + op + ", \"\\u0063lient\": 1}]}",
      "{\"operations\": [{" + op + ", \"x\": 1}]}",
      "{\"operations\": [{" + op + "}], \"operations\": []}",
      R"({"operations": [{"client": -1, "op": "lock", "lock": "a", "invoke": 5}]})",
      R"({"operations": [{"client": 0, "op": "lick", "lock": "a", "invoke": 5}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 5.0}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 1e3}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 05}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 9223372036854775808}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": -9223372036854775809}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 1e400}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "\ud800", "invoke": 1}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a\udc00b", "invoke": 1}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "\ud800\u0041", "invoke": 1}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "\x", "invoke": 1}]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a"}]})",
      R"({"operations": [{}]})",
      R"({"operations": [,]})",
      R"({"operations": [{"client": 0, "op": "lock", "lock": "a", "invoke": 5},]})",
      R"({"operations": []} x)",
      R"({"operations": []} {"operations": []})",
      R"({"operations": []}})",
      R"({"operations": [])",
      R"([])",
      "",
      "   ",
      // NUL bytes: after the document, in whitespace, inside a string, instead of a value.
      std::string("{\"operations\": []}\0garbage", 26),
      std::string("{\"operations\": []}\0", 19),
      std::string("{\"operations\": [\0]}", 19),
      std::string("{\"operations\": [{\"client\": 0, \"op\": \"lock\", \"lock\": \"a\0b\", "
                  "\"invoke\": 1}]}",
                  66),
      // Invalid UTF-8 in a name and outside strings; a control character unescaped in a name.
      "{\"operations\": [{\"client\": 0, \"op\": \"lock\", \"lock\": \"\xc3\x28\", \"invoke\": "
      "1}]}",
      "{\"operations\": [\xff]}",
      "{\"operations\": [{\"client\": 0, \"op\": \"lock\", \"lock\": \"a\x1b[2J\", \"invoke\": "
      "1}]}",
  };
  // Deep nesting in each place a value may stand, and a huge number.
  const std::string deep_open(100'000, '[');
  const std::string deep_close(100'000, ']');
  texts.push_back(deep_open + deep_close);
  texts.push_back("{\"operations\": " + deep_open + deep_close + "}");
  texts.push_back("{\"operations\": [{\"client\": 0, \"op\": \"lock\", \"lock\": " + deep_open);
  texts.push_back(
      "{\"operations\": [{\"client\": 0, \"op\": \"lock\", \"lock\": \"a\", \"invoke\": " +
      std::string(100'000, '7') + "}]}");
  for (const std::string& text : texts) {
    EXPECT_FALSE(ReadWithSimdjson(text).ok()) << text;
    const absl::StatusOr<History> precise = ParseHistoryJsonPrecise(text, "h.json");
    ASSERT_FALSE(precise.ok()) << "the precise parser took:\n" << text;
    const absl::StatusOr<History> parsed = ParseHistoryJson(text, "h.json");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status(), precise.status()) << text;
    EXPECT_TRUE(std::string(parsed.status().message()).starts_with("h.json: ")) << parsed.status();
  }
}

// Random edits of valid files: the two parsers agree on every one (both accept and read the same,
// or both refuse), and ParseHistoryJson returns the precise parser's error word for word.
TEST(SimdjsonHistoryReader, AgreesWithThePreciseParserOnRandomEdits) {
  static const std::string kAlphabet = "{}[],:\" \n0123456789-.eE\\tfalsnurxu";
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  for (uint64_t seed = 0; seed < 200'000; ++seed) {
    TestRng rng(seed * 3 + 11);
    std::string text = Layout(RandomHistory(rng), static_cast<int>(seed % 5), rng);
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
    const absl::StatusOr<History> read = ReadWithSimdjson(text);
    const absl::StatusOr<History> precise = ParseHistoryJsonPrecise(text, "h.json");
    // Whatever the stream takes, the whole-text reader takes and reads the same.
    const std::optional<History> streamed = Stream(text, rng, 1 + seed % 64);
    if (streamed.has_value()) {
      ASSERT_TRUE(read.ok()) << "only the stream took (case seed " << seed << "):\n" << text;
      ASSERT_TRUE(SameHistory(*streamed, *read)) << "case seed " << seed << ":\n" << text;
    }
    ASSERT_EQ(read.ok(), precise.ok())
        << (read.ok() ? "only simdjson" : "only the precise parser") << " took (case seed " << seed
        << ", " << (read.ok() ? precise.status() : read.status()) << "):\n"
        << text;
    if (read.ok()) {
      ++accepted;
      ASSERT_TRUE(SameHistory(*read, *precise)) << "read differently:\n" << text;
    } else {
      ++rejected;
      const absl::StatusOr<History> parsed = ParseHistoryJson(text, "h.json");
      ASSERT_EQ(parsed.status(), precise.status()) << text;
    }
  }
  // Both outcomes must be common, or the test proves little.
  EXPECT_GT(accepted, 5'000u);
  EXPECT_GT(rejected, 50'000u);
}

}  // namespace
}  // namespace locksim::check
