#include "cli/output_files.h"

#include <filesystem>
#include <iostream>

#include "base/printable.h"

namespace locksim::cli {

std::ofstream* OutputFiles::Open(const std::string& option, const std::string& path) {
  File& file = files_.emplace_back();
  file.option = option;
  file.path = path;
  file.stream.open(path, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!file.stream) {
    std::cerr << command_ << ": " << option << " " << Printable(path)
              << ": cannot open for writing\n";
    files_.pop_back();  // never created: nothing to remove
    RemoveAll();
    return nullptr;
  }
  return &file.stream;
}

bool OutputFiles::CloseAll() {
  for (File& file : files_) {
    file.stream.flush();
    file.stream.close();
    if (!file.stream) {
      std::cerr << command_ << ": " << file.option << " " << Printable(file.path)
                << ": write failed (disk full?); removed every output file\n";
      RemoveAll();
      return false;
    }
  }
  files_.clear();
  return true;
}

void OutputFiles::RemoveAll() {
  for (File& file : files_) {
    if (file.stream.is_open()) file.stream.close();
    // Only a regular file: never a device or a pipe (`--trace /dev/stdout`, `--html /dev/full`).
    std::error_code error;
    if (std::filesystem::is_regular_file(file.path, error)) {
      std::filesystem::remove(file.path, error);
    }
  }
  files_.clear();
}

}  // namespace locksim::cli
