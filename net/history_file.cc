#include "net/history_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "check/history_json.h"

namespace locksim::net {
namespace {

// Beside the target (a rename within one directory is atomic), and unique to this process.
std::string TemporaryPathFor(const std::string& path) {
  return absl::StrCat(path, ".tmp.", ::getpid());
}

absl::Status ErrorFor(const std::string& path, const char* what) {
  return absl::InvalidArgumentError(
      absl::StrCat("--history ", path, ": ", what, ": ", std::strerror(errno)));
}

}  // namespace

absl::Status CheckHistoryPathWritable(const std::string& path) {
  const std::string temporary = TemporaryPathFor(path);
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) return ErrorFor(path, "cannot write there");
  std::fclose(file);
  std::remove(temporary.c_str());
  return absl::OkStatus();
}

absl::Status WriteHistoryFileAtomically(const std::string& path, const check::History& history) {
  const std::string text = check::WriteHistoryJson(history);
  const std::string temporary = TemporaryPathFor(path);
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) return ErrorFor(path, "cannot write there");
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const bool closed = std::fclose(file) == 0;
  if (!written || !flushed || !closed) {
    absl::Status error = ErrorFor(path, "write failed");
    std::remove(temporary.c_str());
    return error;
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    absl::Status error = ErrorFor(path, "cannot rename the finished file into place");
    std::remove(temporary.c_str());
    return error;
  }
  return absl::OkStatus();
}

}  // namespace locksim::net
