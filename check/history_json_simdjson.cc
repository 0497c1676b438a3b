#include "check/history_json_simdjson.h"

#include <simdjson.h>

#include <cstring>
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

class Reader {
 public:
  absl::StatusOr<History> Read(std::string_view text) {
    LOCKSIM_ASSERT(text.size() <= kHistoryJsonMaxBytes);
    text_size_ = text.size();
    // A UTF-8 byte order mark may open a JSON text (RFC 8259, section 8.1): skip it, as the
    // precise parser does.
    if (text.starts_with("\xef\xbb\xbf")) text.remove_prefix(3);
    ondemand::document document;
    if (const auto error =
            parser_.iterate(text.data(), text.size(), text.size() + kHistoryJsonPadding)
                .get(document)) {
      return Stop(error);
    }
    ondemand::object top;
    if (const auto error = document.get_object().get(top)) return Stop(error);
    bool has_operations = false;
    for (auto member : top) {
      ondemand::field field;
      if (const auto error = std::move(member).get(field)) return Stop(error);
      std::string_view key;
      if (const auto error = field.unescaped_key().get(key)) return Stop(error);
      if (key != "operations" || has_operations) return Stop("an unknown or duplicate key");
      has_operations = true;
      in_operations_ = true;
      if (!ReadOperations(field.value())) return Stop(error_);
      in_operations_ = false;
    }
    if (!has_operations) return Stop("no \"operations\"");
    // Nothing may follow the document: simdjson is at the end of the text iff it has no
    // current location.
    if (!document.current_location().error()) return Stop("text after the document");
    return std::move(history_);
  }

 private:
  bool ReadOperations(ondemand::value& value) {
    ondemand::array array;
    if (const auto error = value.get_array().get(array)) return Fail(error);
    // One allocation for the whole history in the usual case. Counting the elements first
    // (simdjson's count_elements) cost a tenth of the parse; an estimate from the text's size is
    // free: recorders write 90 to 110 bytes per operation, so the vector grows only for files
    // more compact than kTypicalBytesPerOperation, and reserving more than is used costs address
    // space, not memory (pages never written are never faulted in).
    history_.operations.reserve(text_size_ / kTypicalBytesPerOperation + 1);
    for (auto element : array) {
      ondemand::object object;
      if (const auto error = element.get_object().get(object)) return Fail(error);
      HistoryOperation& operation = history_.operations.emplace_back();
      if (!ReadOperation(object, operation)) return false;
      ++index_;
    }
    return true;
  }

  // Only a complete, consistent operation is taken; the precise parser words every problem.
  bool ReadOperation(ondemand::object object, HistoryOperation& operation) {
    unsigned seen = 0;
    for (auto member : object) {
      field_ = kUnknown;
      ondemand::field field;
      if (const auto error = std::move(member).get(field)) return Fail(error);
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
    if (!consistent) {
      return Fail("inconsistent times or result");
    }
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
    LOCKSIM_ASSERT(false);
    return false;
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

  absl::Status Stop(simdjson::error_code error) { return Stop(simdjson::error_message(error)); }
  absl::Status Stop(std::string_view message) {
    std::string path = "(document)";
    if (in_operations_) {
      path = field_ < kFieldCount ? absl::StrCat("operations[", index_, "].", kFieldNames[field_])
                                  : absl::StrCat("operations[", index_, "]");
    }
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", std::string(message)));
  }

  static constexpr size_t kTypicalBytesPerOperation = 64;

  ondemand::parser parser_;
  size_t text_size_ = 0;
  History history_;
  bool in_operations_ = false;
  size_t index_ = 0;
  Field field_ = kUnknown;
  std::string error_;
};

}  // namespace

absl::StatusOr<History> ReadHistoryJsonWithSimdjson(std::string_view text) {
  return Reader().Read(text);
}

}  // namespace locksim::check
