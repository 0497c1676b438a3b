#include "check/history_json.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/assert.h"
#include "base/printable.h"
#include "check/history_json_precise.h"
#include "check/history_json_simdjson.h"

namespace locksim::check {
namespace {

// Text followed by kHistoryJsonPadding zero bytes, as simdjson wants it. It grows while a file
// is read, so that a regular file is read straight into its final place and a pipe still works.
class PaddedText {
 public:
  explicit PaddedText(size_t capacity) { Reserve(capacity); }

  std::string_view text() const { return std::string_view(data_.get(), size_); }
  size_t size() const { return size_; }
  // Room for more bytes, growing when full.
  char* Tail(size_t* room) {
    if (size_ == capacity_) Reserve(std::max<size_t>(2 * capacity_, 1 << 16));
    *room = capacity_ - size_;
    return data_.get() + size_;
  }
  void Append(size_t count) {
    LOCKSIM_ASSERT(count <= capacity_ - size_);
    size_ += count;
  }
  void Append(std::string_view bytes) {
    if (capacity_ - size_ < bytes.size()) Reserve(size_ + bytes.size());
    std::memcpy(data_.get() + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  // Zeroes the padding after the text (simdjson reads it; its value does not matter, but bytes
  // never written should not be read).
  void Seal() { std::memset(data_.get() + size_, 0, kHistoryJsonPadding); }

 private:
  void Reserve(size_t capacity) {
    auto data = std::make_unique_for_overwrite<char[]>(capacity + kHistoryJsonPadding);
    if (size_ > 0) std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;  // not counting the padding
};

absl::Status TooLarge(std::string_view file_name) {
  return absl::InvalidArgumentError(absl::StrCat(Printable(file_name), ": larger than ",
                                                 kHistoryJsonMaxBytes,
                                                 " bytes, the most a history file may hold"));
}

// REQUIRES: `text` is sealed (followed by its padding).
absl::StatusOr<History> ParsePadded(std::string_view text, std::string_view file_name) {
  absl::StatusOr<History> history = ReadHistoryJsonWithSimdjson(text);
  if (history.ok()) return history;
  absl::StatusOr<History> precise = ParseHistoryJsonPrecise(text, file_name);
  if (!precise.ok()) return precise.status();
  // The precise parser took a text simdjson rejected; simdjson validates more strictly (it is
  // the reader of record), so the text is refused in its words. The tests and the fuzzer look
  // for such texts.
  return absl::InvalidArgumentError(
      absl::StrCat(Printable(file_name), ": ", std::string(history.status().message())));
}

}  // namespace

absl::StatusOr<History> ParseHistoryJson(std::string_view json_text, std::string_view file_name) {
  if (json_text.size() > kHistoryJsonMaxBytes) return TooLarge(file_name);
  size_t offset = 0;
  const auto from_text = [&](char* buffer, size_t size) -> absl::StatusOr<size_t> {
    const size_t count = std::min(size, json_text.size() - offset);
    std::memcpy(buffer, json_text.data() + offset, count);
    offset += count;
    return count;
  };
  absl::StatusOr<std::optional<History>> streamed = StreamHistoryJson(from_text, json_text.size());
  LOCKSIM_ASSERT(streamed.ok());  // the source cannot fail
  if (streamed->has_value()) return std::move(**streamed);
  // Not taken by the stream: the whole text decides (and the precise parser words an error).
  PaddedText padded(json_text.size());
  padded.Append(json_text);
  padded.Seal();
  return ParsePadded(padded.text(), file_name);
}

absl::StatusOr<History> LoadHistoryJsonFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::NotFoundError(
        absl::StrCat(Printable(path), ": cannot open: ", std::strerror(errno)));
  }
  const absl::Cleanup close_file = [fd] { ::close(fd); };
  const auto read_some = [&](char* buffer, size_t size) -> absl::StatusOr<size_t> {
    while (true) {
      const ssize_t got = ::read(fd, buffer, size);
      if (got >= 0) return static_cast<size_t>(got);
      if (errno != EINTR) {
        return absl::DataLossError(
            absl::StrCat(Printable(path), ": cannot read: ", std::strerror(errno)));
      }
    }
  };
  struct stat info {};
  const bool regular = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
  if (regular) {
    const uint64_t size = static_cast<uint64_t>(info.st_size);
    if (size > kHistoryJsonMaxBytes) return TooLarge(path);
    // Streamed, a slice at a time (check/history_json_simdjson.h); what the stream does not take
    // is read again from the start, whole. A pipe cannot be read twice: it is read whole at once.
    absl::StatusOr<std::optional<History>> streamed =
        StreamHistoryJson(read_some, static_cast<size_t>(size));
    if (!streamed.ok()) return streamed.status();
    if (streamed->has_value()) return std::move(**streamed);
    if (::lseek(fd, 0, SEEK_SET) != 0) {
      return absl::DataLossError(
          absl::StrCat(Printable(path), ": cannot read: ", std::strerror(errno)));
    }
  }
  // A regular file is read into a buffer of its size (plus one byte, so that the read that finds
  // the end needs no growth); a pipe starts small and grows.
  PaddedText padded(regular ? static_cast<size_t>(info.st_size) + 1 : size_t{1} << 20);
  while (true) {
    size_t room = 0;
    char* tail = padded.Tail(&room);
    absl::StatusOr<size_t> got = read_some(tail, room);
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    padded.Append(*got);
    if (padded.size() > kHistoryJsonMaxBytes) return TooLarge(path);
  }
  padded.Seal();
  return ParsePadded(padded.text(), path);
}

std::string WriteHistoryJson(const History& history) {
  using Json = nlohmann::json;
  std::string text = "{\"operations\": [";
  bool first = true;
  for (const HistoryOperation& op : history.operations) {
    absl::StrAppend(&text, first ? "\n" : ",\n", "  {\"client\": ", op.client, ", \"op\": \"",
                    std::string(LockOpName(op.op)), "\", \"lock\": ", Json(op.lock).dump(),
                    ", \"invoke\": ", op.invoke);
    if (op.ret.has_value()) {
      LOCKSIM_ASSERT(op.result.has_value());
      absl::StrAppend(&text, ", \"return\": ", *op.ret,
                      ", \"result\": ", *op.result ? "true" : "false");
    } else {
      absl::StrAppend(&text, ", \"return\": null");
    }
    text += "}";
    first = false;
  }
  text += first ? "]}\n" : "\n]}\n";
  return text;
}

}  // namespace locksim::check
