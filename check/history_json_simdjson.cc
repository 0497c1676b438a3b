#include "check/history_json_simdjson.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/assert.h"

namespace locksim::check {
namespace {

namespace ondemand = simdjson::ondemand;

static_assert(kHistoryJsonPadding == simdjson::SIMDJSON_PADDING);
static_assert(kHistoryJsonMaxBytes == simdjson::SIMDJSON_MAXSIZE_BYTES);

enum Field : unsigned { kClient, kOp, kLock, kInvoke, kReturn, kResult, kFieldCount, kUnknown };
constexpr const char* kFieldNames[kFieldCount] = {"client", "op",     "lock",
                                                  "invoke", "return", "result"};

Field FieldOf(std::string_view key) {
  for (unsigned f = 0; f < kFieldCount; ++f) {
    if (key == kFieldNames[f]) return static_cast<Field>(f);
  }
  return kUnknown;
}

// Whether the raw bytes at `raw` are `name` followed by the closing quote: then the key is
// exactly `name` (it holds no escape).
template <size_t N>
bool RawKeyIs(const char* raw, const char (&name)[N]) {
  return std::memcmp(raw, name, N - 1) == 0 && raw[N - 1] == '"';
}

// The key of `field`. Keys are nearly always written plainly, so the raw bytes are compared first,
// picked by their first byte (the text's padding makes reading a few bytes past a short key
// safe); anything else is unescaped and compared.
simdjson::error_code KeyOf(ondemand::field& field, Field* key) {
  const char* raw = field.key().raw();
  Field plain = kUnknown;
  switch (raw[0]) {
    case 'c':
      plain = RawKeyIs(raw, "client") ? kClient : kUnknown;
      break;
    case 'o':
      plain = RawKeyIs(raw, "op") ? kOp : kUnknown;
      break;
    case 'l':
      plain = RawKeyIs(raw, "lock") ? kLock : kUnknown;
      break;
    case 'i':
      plain = RawKeyIs(raw, "invoke") ? kInvoke : kUnknown;
      break;
    case 'r':
      plain = RawKeyIs(raw, "return") ? kReturn : RawKeyIs(raw, "result") ? kResult : kUnknown;
      break;
    default:
      break;
  }
  if (plain != kUnknown) {
    *key = plain;
    return simdjson::SUCCESS;
  }
  std::string_view unescaped;
  if (const auto error = field.unescaped_key().get(unescaped)) return error;
  *key = FieldOf(unescaped);
  return simdjson::SUCCESS;
}

// Recorders write 90 to 110 bytes per operation. The history is reserved from the text's size at
// this many bytes per operation: counting the elements first (simdjson's count_elements) cost a
// tenth of the parse, and this estimate is free. The vector grows only for files more compact
// than this, and reserving more than is used costs address space, not memory (pages never
// written are never faulted in).
constexpr size_t kTypicalBytesPerOperation = 64;

// Reads operation objects into a history: the part both readers share. Only a complete,
// consistent operation is taken; the precise parser words every problem.
class OperationReader {
 public:
  explicit OperationReader(History& history) : history_(history) {}

  // Reads every element of `array` as an operation and appends it; `count` receives how many.
  // False on anything that is not a valid operation: error() says what, path() where.
  bool ReadArray(ondemand::array& array, size_t* count) {
    *count = 0;
    for (auto element : array) {
      ondemand::object object;
      if (const auto error = element.get_object().get(object)) return Fail(error);
      HistoryOperation& operation = history_.operations.emplace_back();
      if (!ReadOperation(object, operation)) return false;
      ++index_;
      ++*count;
    }
    field_ = kUnknown;
    return true;
  }

  const std::string& error() const { return error_; }
  // The JSON path of the operation (and key) being read.
  std::string path() const {
    return field_ < kFieldCount ? absl::StrCat("operations[", index_, "].", kFieldNames[field_])
                                : absl::StrCat("operations[", index_, "]");
  }

 private:
  bool ReadOperation(ondemand::object& object, HistoryOperation& operation) {
    unsigned seen = 0;
    for (auto member : object) {
      field_ = kUnknown;
      if (const auto error = member.error()) return Fail(error);
      ondemand::field& field = member.value_unsafe();  // no copy: this loop is the hot one
      Field key = kUnknown;
      if (const auto error = KeyOf(field, &key)) return Fail(error);
      if (key == kUnknown) return Fail("an unknown key");
      if ((seen & (1u << key)) != 0) return Fail("a duplicate key");
      seen |= 1u << key;
      field_ = key;
      if (!ReadValue(key, field.value(), operation)) return false;
    }
    field_ = kUnknown;
    constexpr unsigned kRequired = 1u << kClient | 1u << kOp | 1u << kLock | 1u << kInvoke;
    if ((seen & kRequired) != kRequired) return Fail("a missing key");
    const bool consistent = operation.ret.has_value()
                                ? *operation.ret >= operation.invoke && operation.result.has_value()
                                : !operation.result.has_value();
    if (!consistent) return Fail("inconsistent times or result");
    return true;
  }

  bool ReadValue(Field key, ondemand::value& value, HistoryOperation& operation) {
    switch (key) {
      case kClient: {
        if (const auto error = value.get_int64().get(operation.client)) return Fail(error);
        return operation.client >= 0 || Fail("a negative client");
      }
      case kOp: {
        std::string_view op;
        if (const auto error = value.get_string().get(op)) return Fail(error);
        if (op == "lock") {
          operation.op = LockOp::kLock;
        } else if (op == "unlock") {
          operation.op = LockOp::kUnlock;
        } else {
          return Fail("an unknown op");
        }
        return true;
      }
      case kLock: {
        std::string_view lock;
        if (const auto error = value.get_string().get(lock)) return Fail(error);
        operation.lock.assign(lock);
        return true;
      }
      case kInvoke:
        if (const auto error = value.get_int64().get(operation.invoke)) return Fail(error);
        return true;
      case kReturn: {
        if (IsNull(value)) return true;
        int64_t ret = 0;
        if (const auto error = value.get_int64().get(ret)) return Fail(error);
        operation.ret = ret;
        return true;
      }
      case kResult: {
        if (IsNull(value)) return true;  // null means the same as absent
        bool result = false;
        if (const auto error = value.get_bool().get(result)) return Fail(error);
        operation.result = result;
        return true;
      }
      case kFieldCount:
      case kUnknown:
        break;
    }
    LOCKSIM_UNREACHABLE("a value is read only for a known key");
  }

  // Whether `value` is the literal null (consuming it then); anything else is left to be read.
  static bool IsNull(ondemand::value& value) {
    ondemand::json_type type;
    if (value.type().get(type) || type != ondemand::json_type::null) return false;
    bool is_null = false;
    return !value.is_null().get(is_null) && is_null;
  }

  bool Fail(simdjson::error_code error) { return Fail(simdjson::error_message(error)); }
  bool Fail(std::string_view message) {
    error_ = std::string(message);
    return false;
  }

  History& history_;
  size_t index_ = 0;
  Field field_ = kUnknown;
  std::string error_;
};

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// StreamHistoryJson's reader. Its buffer holds '[' and then the bytes read but not yet handed to
// simdjson (the pending bytes). A slice of whole operations at their front, ended by a ']' written
// over the byte after it, is a JSON array simdjson can read on its own: the slice starts where
// an operation may start, so simdjson's view of strings in it is the real one, and a slice that
// ended inside a string, or not after a whole operation, would not be valid JSON.
class StreamReader {
 public:
  // The source is asked for at most this much at a time; a slice is about as long.
  static constexpr size_t kBlockBytes = 256 << 10;
  // The buffer grows when it has less room than this for the next read.
  static constexpr size_t kMinRoomBytes = 4 << 10;

  StreamReader(HistoryJsonSource source, size_t size_hint)
      : source_(source), operations_(history_) {
    history_.operations.reserve(size_hint / kTypicalBytesPerOperation + 1);
    // Two blocks (or the whole text, when it is shorter: small texts are read often in tests
    // and fuzzing).
    const size_t whole = size_hint > 0 ? size_hint + 1 : 2 * kBlockBytes;
    Reserve(std::clamp(whole, kMinRoomBytes, 2 * kBlockBytes));
  }

  absl::StatusOr<std::optional<History>> Read() {
    // The frame before the operations: {"operations": [ with whitespace anywhere, after an
    // optional byte order mark. A key written with escapes is left to the whole-text reader.
    size_t frame_end = 0;
    while (true) {
      const Scan scan = ScanFrameStart(&frame_end);
      if (scan == Scan::kFound) break;
      if (scan == Scan::kNo || eof_ || too_large_) return std::nullopt;
      if (absl::Status status = Fill(); !status.ok()) return status;
    }
    Consume(frame_end);
    scanned_ = 0;
    // The operations, a slice at a time: each slice ends with an operation's '}' followed by
    // whitespace and a comma; the last ends before "] }" and the end of the text.
    bool after_comma = false;
    while (true) {
      if (!eof_) {
        if (absl::Status status = Fill(); !status.ok()) return status;
        if (too_large_) return std::nullopt;
      }
      if (eof_) return Finish(after_comma);
      size_t close = 0;
      size_t comma = 0;
      if (!FindLastSeparator(&close, &comma)) continue;
      size_t count = 0;
      if (!ReadSlice(close + 1, &count)) return std::nullopt;
      Consume(comma + 1);
      scanned_ = size_;  // the separator found was the last: none follows it
      after_comma = true;
    }
  }

 private:
  enum class Scan { kFound, kNeedMore, kNo };

  std::string_view pending() const { return std::string_view(buffer_.get() + 1, size_); }

  // Reads up to one block (or what the source has) after the pending bytes.
  absl::Status Fill() {
    if (capacity_ - size_ < kMinRoomBytes) Reserve(std::max(2 * capacity_, size_ + kBlockBytes));
    const size_t wanted = std::min(kBlockBytes, capacity_ - size_);
    absl::StatusOr<size_t> got = source_(buffer_.get() + 1 + size_, wanted);
    if (!got.ok()) return got.status();
    LOCKSIM_ASSERT(*got <= wanted);
    if (*got == 0) eof_ = true;
    size_ += *got;
    total_ += *got;
    too_large_ = total_ > kHistoryJsonMaxBytes;
    return absl::OkStatus();
  }

  // Room for `capacity` pending bytes, plus the '[' before them, a ']' after them and simdjson's
  // padding.
  void Reserve(size_t capacity) {
    auto buffer = std::make_unique_for_overwrite<char[]>(capacity + 2 + kHistoryJsonPadding);
    buffer[0] = '[';
    if (size_ > 0) std::memcpy(buffer.get() + 1, buffer_.get() + 1, size_);
    std::memset(buffer.get() + 1 + capacity, 0, 1 + kHistoryJsonPadding);
    buffer_ = std::move(buffer);
    capacity_ = capacity;
  }

  // Drops the first `count` pending bytes.
  void Consume(size_t count) {
    LOCKSIM_ASSERT(count <= size_);
    std::memmove(buffer_.get() + 1, buffer_.get() + 1 + count, size_ - count);
    size_ -= count;
  }

  Scan ScanFrameStart(size_t* end) const {
    const std::string_view text = pending();
    size_t at = 0;
    // Nothing valid but a byte order mark starts with its first byte.
    constexpr std::string_view kByteOrderMark = "\xef\xbb\xbf";
    if (!text.empty() && text[0] == kByteOrderMark[0]) {
      if (text.size() < kByteOrderMark.size()) return Scan::kNeedMore;
      if (!text.starts_with(kByteOrderMark)) return Scan::kNo;
      at = kByteOrderMark.size();
    }
    for (std::string_view token : {"{", "\"operations\"", ":", "["}) {
      while (at < text.size() && IsSpace(text[at])) ++at;
      const std::string_view here = text.substr(at, token.size());
      if (here != token.substr(0, here.size())) return Scan::kNo;
      if (here.size() < token.size()) return Scan::kNeedMore;
      at += token.size();
    }
    *end = at;
    return Scan::kFound;
  }

  // The last separator in the pending bytes: a ',' with only whitespace between it and a '}'
  // before it. Only commas not looked at before are looked at, so a long operation costs one
  // look per byte however many blocks it spans.
  bool FindLastSeparator(size_t* close, size_t* comma) {
    const std::string_view text = pending();
    for (size_t end = text.size(); end > scanned_;) {
      const void* found = memrchr(text.data() + scanned_, ',', end - scanned_);
      if (found == nullptr) break;
      const size_t at = static_cast<size_t>(static_cast<const char*>(found) - text.data());
      size_t before = at;
      while (before > 0 && IsSpace(text[before - 1])) --before;
      if (before > 0 && text[before - 1] == '}') {
        *close = before - 1;
        *comma = at;
        return true;
      }
      end = at;
    }
    scanned_ = text.size();
    return false;
  }

  // The pending bytes [0, length) as the elements of an array: '[' is before them, and a ']'
  // goes over the byte after them for the time simdjson reads them.
  bool ReadSlice(size_t length, size_t* count) {
    char* const close = buffer_.get() + 1 + length;
    const char saved = *close;
    *close = ']';
    ondemand::document document;
    ondemand::array array;
    const bool read =
        !parser_.iterate(buffer_.get(), length + 2, capacity_ + 2 + kHistoryJsonPadding)
             .get(document) &&
        !document.get_array().get(array) && operations_.ReadArray(array, count) &&
        document.current_location().error();  // nothing after the array
    *close = saved;
    return read;
  }

  // At the end of the text: the pending bytes are the last slice, then "]", "}" and whitespace.
  absl::StatusOr<std::optional<History>> Finish(bool after_comma) {
    const std::string_view text = pending();
    size_t end = text.size();
    const auto expect = [&](char c) {
      while (end > 0 && IsSpace(text[end - 1])) --end;
      if (end == 0 || text[end - 1] != c) return false;
      --end;
      return true;
    };
    if (!expect('}') || !expect(']')) return std::nullopt;
    size_t count = 0;
    if (!ReadSlice(end, &count)) return std::nullopt;
    // "[a, ]": a comma must be followed by an operation.
    if (after_comma && count == 0) return std::nullopt;
    return std::optional<History>(std::move(history_));
  }

  HistoryJsonSource source_;
  History history_;
  OperationReader operations_;
  ondemand::parser parser_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;  // pending bytes the buffer has room for
  size_t size_ = 0;      // pending bytes
  size_t scanned_ = 0;   // pending bytes FindLastSeparator has looked at
  size_t total_ = 0;     // bytes read
  bool eof_ = false;
  bool too_large_ = false;
};

}  // namespace

absl::StatusOr<History> ReadHistoryJsonWithSimdjson(std::string_view text) {
  LOCKSIM_ASSERT(text.size() <= kHistoryJsonMaxBytes);
  History history;
  history.operations.reserve(text.size() / kTypicalBytesPerOperation + 1);
  OperationReader operations(history);
  bool in_operations = false;
  const auto stop = [&](std::string_view message) {
    return absl::InvalidArgumentError(
        absl::StrCat(in_operations ? operations.path() : "(document)", ": ", std::string(message)));
  };
  // A UTF-8 byte order mark may open a JSON text (RFC 8259, section 8.1): skip it, as the precise
  // parser does.
  if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
  ondemand::parser parser;
  ondemand::document document;
  if (const auto error = parser.iterate(text.data(), text.size(), text.size() + kHistoryJsonPadding)
                             .get(document)) {
    return stop(simdjson::error_message(error));
  }
  ondemand::object top;
  if (const auto error = document.get_object().get(top)) {
    return stop(simdjson::error_message(error));
  }
  bool has_operations = false;
  for (auto member : top) {
    ondemand::field field;
    if (const auto error = std::move(member).get(field)) {
      return stop(simdjson::error_message(error));
    }
    std::string_view key;
    if (const auto error = field.unescaped_key().get(key)) {
      return stop(simdjson::error_message(error));
    }
    if (key != "operations" || has_operations) return stop("an unknown or duplicate key");
    has_operations = true;
    in_operations = true;
    ondemand::array array;
    if (const auto error = field.value().get_array().get(array)) {
      return stop(simdjson::error_message(error));
    }
    size_t count = 0;
    if (!operations.ReadArray(array, &count)) return stop(operations.error());
    in_operations = false;
  }
  if (!has_operations) return stop("no \"operations\"");
  // Nothing may follow the document: simdjson is at the end of the text iff it has no current
  // location.
  if (!document.current_location().error()) return stop("text after the document");
  return history;
}

absl::StatusOr<std::optional<History>> StreamHistoryJson(HistoryJsonSource source,
                                                         size_t size_hint) {
  return StreamReader(source, size_hint).Read();
}

}  // namespace locksim::check
