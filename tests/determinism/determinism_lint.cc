// `determinism_lint DIR_OR_FILE...`: scans every .h and .cc file below the arguments for APIs that
// break the determinism rules (determinism_scan.h) and prints one line per finding,
// "path:line: what". Exit status: 0 clean, 1 findings, 2 bad arguments or unreadable files.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/determinism/determinism_scan.h"

namespace {

namespace fs = std::filesystem;

bool IsSource(const fs::path& path) {
  return path.extension() == ".h" || path.extension() == ".cc";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: determinism_lint DIR_OR_FILE...\n";
    return 2;
  }
  std::vector<fs::path> paths;
  for (int a = 1; a < argc; ++a) {
    const fs::path root(argv[a]);
    std::error_code error;
    if (fs::is_regular_file(root, error)) {
      paths.push_back(root);
    } else if (fs::is_directory(root, error)) {
      for (const auto& entry : fs::recursive_directory_iterator(root, error)) {
        if (entry.is_regular_file() && IsSource(entry.path())) paths.push_back(entry.path());
      }
    }
    if (error || !fs::exists(root)) {
      std::cerr << "determinism_lint: " << root.string() << ": cannot read\n";
      return 2;
    }
  }
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) {
    std::cerr << "determinism_lint: no .h or .cc files to scan\n";
    return 2;
  }
  std::vector<locksim::lint::SourceFile> files;
  for (const fs::path& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "determinism_lint: " << path.string() << ": cannot read\n";
      return 2;
    }
    std::ostringstream text;
    text << in.rdbuf();
    files.push_back({path.generic_string(), text.str()});
  }
  const std::vector<locksim::lint::Finding> findings = locksim::lint::ScanForNondeterminism(files);
  for (const locksim::lint::Finding& f : findings) {
    std::cout << f.path << ":" << f.line << ": " << f.what << "\n";
  }
  if (!findings.empty()) {
    std::cout << "determinism_lint: " << findings.size() << " finding(s) in " << files.size()
              << " files (docs/architecture.md, determinism rules)\n";
    return 1;
  }
  std::cout << "determinism_lint: " << files.size() << " files clean\n";
  return 0;
}
