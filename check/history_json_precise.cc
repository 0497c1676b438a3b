#include "check/history_json_precise.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/assert.h"
#include "base/printable.h"

namespace locksim::check {
namespace {

using Json = nlohmann::json;

// The fields of one operation object, in a fixed order.
enum Field : int { kClient, kOp, kLock, kInvoke, kReturn, kResult, kFieldCount, kUnknownField };
constexpr const char* kFieldNames[kFieldCount] = {"client", "op",     "lock",
                                                  "invoke", "return", "result"};

Field FieldOf(std::string_view key) {
  for (int f = 0; f < kFieldCount; ++f) {
    if (key == kFieldNames[f]) return static_cast<Field>(f);
  }
  return kUnknownField;
}

// Parses with nlohmann's SAX interface: no DOM is built, so a large history costs little more
// than the operations themselves, and every error knows the path it happened at.
class HistoryHandler : public nlohmann::json_sax<Json> {
 public:
  // `nul_offset`: where the text's first NUL byte is (npos: none). The parser is given only the
  // text before it (see ParseHistoryJsonPrecise).
  HistoryHandler(std::string_view file_name, size_t nul_offset, std::string_view text)
      : file_name_(file_name), nul_offset_(nul_offset), text_(text) {}

  absl::StatusOr<History> Finish(bool parsed) {
    // The document ended before the NUL byte: what follows it cannot be valid.
    if (error_.ok() && nul_offset_ != std::string_view::npos) FailAtNul();
    if (!error_.ok()) return error_;
    LOCKSIM_ASSERT(parsed);
    return std::move(history_);
  }

  bool null() override { return Scalar(Kind::kNull, 0, false, nullptr); }
  bool boolean(bool value) override { return Scalar(Kind::kBool, 0, value, nullptr); }
  bool number_integer(number_integer_t value) override {
    return Scalar(Kind::kInteger, value, false, nullptr);
  }
  bool number_unsigned(number_unsigned_t value) override {
    if (value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return IntegerOutOfRange(absl::StrCat(value));
    }
    return Scalar(Kind::kInteger, static_cast<int64_t>(value), false, nullptr);
  }
  // nlohmann reads an integer beyond 64 bits as a floating-point number; `literal` tells them
  // apart.
  bool number_float(number_float_t, const string_t& literal) override {
    if (IsIntegerLiteral(literal)) return IntegerOutOfRange(literal);
    return Scalar(Kind::kFloat, 0, false, nullptr);
  }
  bool string(string_t& value) override { return Scalar(Kind::kString, 0, false, &value); }
  bool binary(binary_t&) override { return Scalar(Kind::kFloat, 0, false, nullptr); }

  bool start_object(std::size_t) override {
    switch (level_) {
      case Level::kDocument:
        level_ = Level::kTop;
        return true;
      case Level::kOperations:
        level_ = Level::kOperation;
        current_ = HistoryOperation();
        seen_ = 0;
        return true;
      default:
        return WrongType("an object");
    }
  }
  bool end_object() override {
    if (level_ == Level::kTop) {
      level_ = Level::kDone;
      if (!has_operations_) return FailAt("operations", "missing");
      return true;
    }
    LOCKSIM_ASSERT(level_ == Level::kOperation);
    level_ = Level::kOperations;
    key_ = kUnknownField;
    for (Field f : {kClient, kOp, kLock, kInvoke}) {
      if ((seen_ & (1 << f)) == 0) return FailAt(OpPath(f), "missing");
    }
    if (current_.ret.has_value()) {
      if (*current_.ret < current_.invoke) {
        return FailAt(OpPath(kReturn),
                      absl::StrCat(*current_.ret, " is before invoke ", current_.invoke));
      }
      if (!current_.result.has_value()) {
        return FailAt(OpPath(kResult), "missing (a completed operation has a result)");
      }
    } else if (current_.result.has_value()) {
      return FailAt(OpPath(kResult), "a pending operation (no return) has no result");
    }
    history_.operations.push_back(std::move(current_));
    ++index_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (level_ == Level::kTop && key_ == kOperationsKey) {
      level_ = Level::kOperations;
      return true;
    }
    return WrongType("an array");
  }
  bool end_array() override {
    LOCKSIM_ASSERT(level_ == Level::kOperations);
    level_ = Level::kTop;
    key_ = kUnknownField;
    return true;
  }
  bool key(string_t& key) override {
    if (level_ == Level::kTop) {
      if (key != "operations") {
        return FailAt(Printable(key), "unknown key (expected \"operations\")");
      }
      if (has_operations_) return FailAt(key, "duplicate key");
      has_operations_ = true;
      key_ = kOperationsKey;
      return true;
    }
    LOCKSIM_ASSERT(level_ == Level::kOperation);
    const Field field = FieldOf(key);
    if (field == kUnknownField) {
      return FailAt(absl::StrCat(OpPath(), ".", Printable(key)),
                    "unknown key (expected client, op, lock, invoke, return, result)");
    }
    if ((seen_ & (1 << field)) != 0) return FailAt(OpPath(field), "duplicate key");
    seen_ |= 1 << field;
    key_ = field;
    return true;
  }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& ex) override {
    // The parser stopped at the end of the text it was given, i.e. at the NUL byte.
    if (nul_offset_ != std::string_view::npos && position > nul_offset_) return FailAtNul();
    // A number too large for a double, such as 1e400 or an integer of 400 digits.
    if (ex.id == kNumberOverflow) {
      if (IsIntegerLiteral(last_token)) return IntegerOutOfRange(last_token);
      return Scalar(Kind::kFloat, 0, false, nullptr);
    }
    std::string what = ex.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix.
    if (const size_t end = what.find("] ");
        what.starts_with("[json.") && end != std::string::npos) {
      what = what.substr(end + 2);
    }
    // nlohmann quotes what it last read; bytes of the file may be anything, so escape them.
    return FailAt(CurrentPath(), absl::StrCat("invalid JSON: ", Printable(what)));
  }

 private:
  enum class Level { kDocument, kTop, kOperations, kOperation, kDone };
  enum class Kind { kNull, kBool, kInteger, kFloat, kString };
  static constexpr int kOperationsKey = kFieldCount + 1;
  static constexpr int kNumberOverflow = 406;  // nlohmann's out_of_range.406

  static bool IsIntegerLiteral(std::string_view literal) {
    if (literal.starts_with('-')) literal.remove_prefix(1);
    return !literal.empty() &&
           std::all_of(literal.begin(), literal.end(), [](char c) { return c >= '0' && c <= '9'; });
  }

  // An integer that does not fit in 64 bits: out of range where an integer is expected, else the
  // wrong type. A literal too long to quote is described by its length.
  bool IntegerOutOfRange(std::string_view literal) {
    const bool integer_expected =
        level_ == Level::kOperation && (key_ == kClient || key_ == kInvoke || key_ == kReturn);
    if (!integer_expected) return Scalar(Kind::kInteger, 0, false, nullptr);
    constexpr size_t kLongestQuoted = 24;
    const size_t digits = literal.size() - (literal.starts_with('-') ? 1 : 0);
    return Fail(literal.size() <= kLongestQuoted
                    ? absl::StrCat(std::string(literal), " is out of range")
                    : absl::StrCat("an integer of ", digits, " digits is out of range"));
  }

  // JSON allows a NUL byte only escaped, inside a string. nlohmann's lexer takes a raw one for
  // the end of the input, so the text after it is never read: it must be rejected here.
  bool FailAtNul() {
    const std::string_view before = text_.substr(0, nul_offset_);
    const size_t line_start = before.rfind('\n');
    const size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
    const size_t column =
        line_start == std::string_view::npos ? nul_offset_ + 1 : nul_offset_ - line_start;
    return FailAt(CurrentPath(),
                  absl::StrCat("invalid JSON: parse error at line ", line, ", column ", column,
                               ": a NUL byte (JSON allows one only inside a string, escaped as "
                               "\\u0000)"));
  }

  bool Scalar(Kind kind, int64_t integer, bool boolean, string_t* text) {
    if (level_ != Level::kOperation) return WrongType(KindName(kind));
    switch (key_) {
      case kClient:
        if (kind != Kind::kInteger) return WrongType(KindName(kind));
        if (integer < 0) return FailAt(OpPath(kClient), absl::StrCat(integer, " is negative"));
        current_.client = integer;
        return true;
      case kOp:
        if (kind != Kind::kString) return WrongType(KindName(kind));
        if (*text == "lock") {
          current_.op = LockOp::kLock;
        } else if (*text == "unlock") {
          current_.op = LockOp::kUnlock;
        } else {
          return FailAt(OpPath(kOp), absl::StrCat("unknown op ", QuotedPrintable(*text),
                                                  " (expected \"lock\" or \"unlock\")"));
        }
        return true;
      case kLock:
        if (kind != Kind::kString) return WrongType(KindName(kind));
        current_.lock = std::move(*text);
        return true;
      case kInvoke:
        if (kind != Kind::kInteger) return WrongType(KindName(kind));
        current_.invoke = integer;
        return true;
      case kReturn:
        if (kind == Kind::kNull) return true;
        if (kind != Kind::kInteger) return WrongType(KindName(kind));
        current_.ret = integer;
        return true;
      case kResult:
        if (kind == Kind::kNull) return true;
        if (kind != Kind::kBool) return WrongType(KindName(kind));
        current_.result = boolean;
        return true;
      default:
        LOCKSIM_UNREACHABLE("a value is read only for a known key");
    }
  }

  static const char* KindName(Kind kind) {
    switch (kind) {
      case Kind::kNull:
        return "null";
      case Kind::kBool:
        return "a boolean";
      case Kind::kInteger:
        return "an integer";
      case Kind::kFloat:
        return "a non-integer number";
      case Kind::kString:
        return "a string";
    }
    return "?";
  }

  // The value at the current position has the wrong type.
  bool WrongType(std::string_view got) {
    const char* expected = "?";
    switch (level_) {
      case Level::kDocument:
        expected = "an object";
        break;
      case Level::kTop:
        expected = "an array";
        break;
      case Level::kOperations:
        expected = "an object";
        break;
      case Level::kOperation:
        switch (key_) {
          case kClient:
          case kInvoke:
            expected = "an integer";
            break;
          case kOp:
            expected = "\"lock\" or \"unlock\"";
            break;
          case kLock:
            expected = "a string";
            break;
          case kReturn:
            expected = "an integer or null";
            break;
          case kResult:
            expected = "a boolean or null";
            break;
          default:
            break;
        }
        break;
      case Level::kDone:
        expected = "the end of the document";
        break;
    }
    return FailAt(CurrentPath(), absl::StrCat("expected ", expected, ", got ", std::string(got)));
  }

  std::string OpPath() const { return absl::StrCat("operations[", index_, "]"); }
  std::string OpPath(Field field) const { return absl::StrCat(OpPath(), ".", kFieldNames[field]); }
  std::string CurrentPath() const {
    switch (level_) {
      case Level::kDocument:
        return "(document)";
      case Level::kTop:
        return key_ == kOperationsKey ? "operations" : "(document)";
      case Level::kOperations:
        return OpPath();
      case Level::kOperation:
        return key_ < kFieldCount ? OpPath(static_cast<Field>(key_)) : OpPath();
      case Level::kDone:
        return "(document)";
    }
    return "(document)";
  }

  bool Fail(std::string_view message) { return FailAt(CurrentPath(), message); }
  bool FailAt(std::string_view path, std::string_view message) {
    if (error_.ok()) {
      // Debian's Abseil takes no std::string_view in StrCat: spell the pieces as strings.
      error_ = absl::InvalidArgumentError(
          absl::StrCat(Printable(file_name_), ": ", std::string(path), ": ", std::string(message)));
    }
    return false;
  }

  std::string_view file_name_;
  size_t nul_offset_;
  std::string_view text_;
  absl::Status error_;
  History history_;
  Level level_ = Level::kDocument;
  int key_ = kUnknownField;  // the Field whose value comes next (or kOperationsKey)
  bool has_operations_ = false;
  size_t index_ = 0;
  HistoryOperation current_;
  int seen_ = 0;  // bit per Field already given in the current operation
};

}  // namespace

absl::StatusOr<History> ParseHistoryJsonPrecise(std::string_view json_text,
                                                std::string_view file_name) {
  const size_t nul_offset = json_text.find('\0');
  HistoryHandler handler(file_name, nul_offset, json_text);
  const std::string_view before_nul = json_text.substr(0, nul_offset);
  const bool parsed = Json::sax_parse(before_nul.begin(), before_nul.end(), &handler);
  return handler.Finish(parsed);
}

}  // namespace locksim::check
