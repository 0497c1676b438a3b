// A lint for the determinism rules (docs/architecture.md): it reads C++ sources and flags every
// use of an API whose result can differ between runs, machines or standard libraries: the
// standard library's random engines and distributions, rand() and friends, absl's random
// generators, clocks, sleeps, threads and their synchronisation, and iteration over hash maps
// and sets (whose order Abseil salts per process). CTest runs it over sim/ and service/.
//
// It reads tokens, not meaning: comments and string literals are skipped, a hash container is
// known by its declaration (in the file, or in a header it includes among the files scanned), and
// iteration means a range-for over it or a call of its begin(). A line that really needs one of
// these APIs says so with `NOLINT(determinism)` and a reason.
#ifndef LOCKSIM_TESTS_DETERMINISM_DETERMINISM_SCAN_H_
#define LOCKSIM_TESTS_DETERMINISM_DETERMINISM_SCAN_H_

#include <string>
#include <vector>

namespace locksim::lint {

struct SourceFile {
  std::string path;  // as printed in findings; includes are matched against its end
  std::string text;
};

struct Finding {
  std::string path;
  int line = 0;  // 1-based
  std::string what;
  bool operator==(const Finding&) const = default;
};

// Every finding in `files`, by file (in the given order) and then by line.
std::vector<Finding> ScanForNondeterminism(const std::vector<SourceFile>& files);

// `text` with comments and string and character literals replaced by spaces, newlines kept, so
// offsets and line numbers stay those of the source.
std::string BlankCommentsAndLiterals(const std::string& text);

}  // namespace locksim::lint

#endif  // LOCKSIM_TESTS_DETERMINISM_DETERMINISM_SCAN_H_
