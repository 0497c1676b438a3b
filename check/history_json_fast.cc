#include "check/history_json_fast.h"

#include <cstdint>
#include <string>

namespace locksim::check {
namespace {

// A cursor over the text. Every method returns false (or nothing) when the text leaves the plain
// form; the caller then gives up and the general parser takes over.
class PlainReader {
 public:
  explicit PlainReader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool AtEnd() const { return p_ == end_; }

  void SkipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  // The next byte after whitespace is `c`; consumes it.
  bool Expect(char c) {
    SkipSpace();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  // The next byte after whitespace, not consumed (0 at the end).
  char Peek() {
    SkipSpace();
    return p_ == end_ ? '\0' : *p_;
  }

  // A string of printable ASCII with no escapes: its contents (pointing into the text).
  std::optional<std::string_view> PlainString() {
    if (!Expect('"')) return std::nullopt;
    const char* start = p_;
    while (p_ != end_ && *p_ != '"') {
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c < 0x20 || c > 0x7e || c == '\\') return std::nullopt;
      ++p_;
    }
    if (p_ == end_) return std::nullopt;
    return std::string_view(start, static_cast<size_t>(p_++ - start));
  }

  // An integer as JSON writes it (no leading zeros, no fraction or exponent), at most 18 digits
  // so it cannot overflow int64; "-0" is left to the general parser.
  std::optional<int64_t> Integer() {
    SkipSpace();
    const bool negative = p_ != end_ && *p_ == '-';
    if (negative) ++p_;
    const char* start = p_;
    // Unsigned, so that a long run of digits wraps (defined) before it is rejected below.
    uint64_t value = 0;
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
      value = value * 10 + static_cast<uint64_t>(*p_++ - '0');
    }
    const ptrdiff_t digits = p_ - start;
    if (digits == 0 || digits > 18 || (*start == '0' && (digits > 1 || negative))) {
      return std::nullopt;
    }
    // What follows a number must end it: a '.', 'e' or another character is not plain.
    if (p_ != end_ && *p_ != ',' && *p_ != '}' && *p_ != ' ' && *p_ != '\n' && *p_ != '\r' &&
        *p_ != '\t') {
      return std::nullopt;
    }
    const int64_t magnitude = static_cast<int64_t>(value);  // < 10^18
    return negative ? -magnitude : magnitude;
  }

  // One of the literals true, false, null.
  bool Literal(std::string_view word) {
    SkipSpace();
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }

 private:
  const char* p_;
  const char* end_;
};

enum Field : unsigned { kClient, kOp, kLock, kInvoke, kReturn, kResult, kUnknown };

Field FieldOf(std::string_view key) {
  if (key == "client") return kClient;
  if (key == "op") return kOp;
  if (key == "lock") return kLock;
  if (key == "invoke") return kInvoke;
  if (key == "return") return kReturn;
  if (key == "result") return kResult;
  return kUnknown;
}

// One operation object, at its '{'. Only complete, consistent operations are plain: the general
// parser reports every problem.
std::optional<HistoryOperation> PlainOperation(PlainReader& in) {
  if (!in.Expect('{')) return std::nullopt;
  HistoryOperation op;
  unsigned seen = 0;
  do {
    const std::optional<std::string_view> key = in.PlainString();
    if (!key.has_value()) return std::nullopt;
    const Field field = FieldOf(*key);
    if (field == kUnknown || (seen & (1u << field)) != 0 || !in.Expect(':')) return std::nullopt;
    seen |= 1u << field;
    switch (field) {
      case kClient: {
        const std::optional<int64_t> client = in.Integer();
        if (!client.has_value() || *client < 0) return std::nullopt;
        op.client = *client;
        break;
      }
      case kOp: {
        const std::optional<std::string_view> name = in.PlainString();
        if (name == "lock") {
          op.op = LockOp::kLock;
        } else if (name == "unlock") {
          op.op = LockOp::kUnlock;
        } else {
          return std::nullopt;
        }
        break;
      }
      case kLock: {
        const std::optional<std::string_view> name = in.PlainString();
        if (!name.has_value()) return std::nullopt;
        op.lock = std::string(*name);
        break;
      }
      case kInvoke: {
        const std::optional<int64_t> invoke = in.Integer();
        if (!invoke.has_value()) return std::nullopt;
        op.invoke = *invoke;
        break;
      }
      case kReturn:
        if (in.Peek() == 'n') {
          if (!in.Literal("null")) return std::nullopt;
        } else {
          op.ret = in.Integer();
          if (!op.ret.has_value()) return std::nullopt;
        }
        break;
      case kResult:
        if (in.Literal("true")) {
          op.result = true;
        } else if (in.Literal("false")) {
          op.result = false;
        } else if (!in.Literal("null")) {  // null means the same as absent
          return std::nullopt;
        }
        break;
      case kUnknown:
        return std::nullopt;
    }
  } while (in.Expect(','));
  if (!in.Expect('}')) return std::nullopt;
  constexpr unsigned kRequired = 1u << kClient | 1u << kOp | 1u << kLock | 1u << kInvoke;
  if ((seen & kRequired) != kRequired) return std::nullopt;
  if (op.ret.has_value() ? (*op.ret < op.invoke || !op.result.has_value())
                         : op.result.has_value()) {
    return std::nullopt;
  }
  return op;
}

}  // namespace

std::optional<History> ParsePlainHistoryJson(std::string_view json_text) {
  PlainReader in(json_text);
  if (!in.Expect('{')) return std::nullopt;
  if (in.PlainString() != "operations" || !in.Expect(':') || !in.Expect('[')) return std::nullopt;
  History history;
  // Recorded files take about 90 bytes per operation: one allocation instead of a dozen
  // doublings, each moving every operation so far (0.12 s instead of 0.08 s on the 20 MB file).
  // At worst, for text that turns out not to be plain, memory of about the text's size.
  history.operations.reserve(json_text.size() / 90);
  if (in.Peek() != ']') {
    do {
      std::optional<HistoryOperation> op = PlainOperation(in);
      if (!op.has_value()) return std::nullopt;
      history.operations.push_back(std::move(*op));
    } while (in.Expect(','));
  }
  if (!in.Expect(']') || !in.Expect('}')) return std::nullopt;
  in.SkipSpace();
  if (!in.AtEnd()) return std::nullopt;
  return history;
}

}  // namespace locksim::check
