#include "base/assert.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

namespace locksim {
namespace {

// Whether this thread is running the system under test (see SystemUnderTestScope).
thread_local bool in_system_under_test = false;

// Written once by main() before threads start, read only when aborting.
std::string& CommandLine() {
  static auto* const command_line = new std::string();
  return *command_line;
}

}  // namespace

std::string FailedAssertion::Describe() const {
  return file + ":" + std::to_string(line) + ": " + condition;
}

AssertionFailure::AssertionFailure(FailedAssertion failed)
    : failed_(std::move(failed)), what_("assertion failed: " + failed_.Describe()) {}

SystemUnderTestScope::SystemUnderTestScope() : outer_(in_system_under_test) {
  in_system_under_test = true;
}
SystemUnderTestScope::~SystemUnderTestScope() { in_system_under_test = outer_; }

SimulatorScope::SimulatorScope() : outer_(in_system_under_test) { in_system_under_test = false; }
SimulatorScope::~SimulatorScope() { in_system_under_test = outer_; }

bool InSystemUnderTest() { return in_system_under_test; }

void SetCommandLineForBugReports(int argc, const char* const* argv) {
  std::string& line = CommandLine();
  line.clear();
  for (int i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    line += argv[i];
  }
}

namespace internal {

void AssertionFailed(const char* condition, const char* file, int line) {
  if (in_system_under_test) throw AssertionFailure(FailedAssertion{file, line, condition});
  std::fprintf(stderr,
               "locksim: internal invariant broken: %s (%s:%d)\n"
               "This is a bug in locksim itself, not a finding of a simulated run. Please report "
               "it to the locksim maintainers with the command line below and the files it "
               "names.\n",
               condition, file, line);
  if (!CommandLine().empty()) std::fprintf(stderr, "command: %s\n", CommandLine().c_str());
  std::abort();
}

}  // namespace internal
}  // namespace locksim
