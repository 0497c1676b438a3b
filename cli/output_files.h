// The files a command writes besides stdout (--trace, --timeline, --html, ...), opened before
// the work starts so that a bad path is bad input and not a lost run, and never left
// half-written: when one cannot be opened, or a write fails, every regular file opened so far
// is removed.
#ifndef LOCKSIM_CLI_OUTPUT_FILES_H_
#define LOCKSIM_CLI_OUTPUT_FILES_H_

#include <fstream>
#include <list>
#include <string>
#include <utility>

namespace locksim::cli {

class OutputFiles {
 public:
  // `command` prefixes messages ("locksim run").
  explicit OutputFiles(std::string command) : command_(std::move(command)) {}

  // Opens `path` (given as `option`, e.g. "--html") for writing, truncating it. Returns null
  // after printing why on stderr and removing every file opened before. The stream lives as long
  // as this object.
  std::ofstream* Open(const std::string& option, const std::string& path);

  // Flushes and closes every file. Returns false after printing which one failed and removing
  // them all (a full disk must not leave a truncated page that looks whole).
  bool CloseAll();

  // Closes every file and removes the regular ones.
  void RemoveAll();

 private:
  struct File {
    std::string option;
    std::string path;
    std::ofstream stream;
  };
  std::string command_;
  std::list<File> files_;  // a list: streams handed out must not move
};

}  // namespace locksim::cli

#endif  // LOCKSIM_CLI_OUTPUT_FILES_H_
