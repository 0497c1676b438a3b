#include "cli/output_files.h"

#include <cstdio>
#include <iostream>

namespace locksim::cli {

std::ofstream* OutputFiles::Open(const std::string& option, const std::string& path) {
  File& file = files_.emplace_back();
  file.option = option;
  file.path = path;
  file.stream.open(path, std::ios::out | std::ios::trunc | std::ios::binary);
  if (!file.stream) {
    std::cerr << command_ << ": " << option << " " << path << ": cannot open for writing\n";
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
      std::cerr << command_ << ": " << file.option << " " << file.path
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
    std::remove(file.path.c_str());
  }
  files_.clear();
}

}  // namespace locksim::cli
