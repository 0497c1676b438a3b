// Assertions on arguments, results and invariants. They stay on in every build type: a broken
// invariant in a simulator must stop the run loudly, never let it go on to report a wrong verdict.
//
// Where an assertion fails decides what "stop" means. In the simulator's own code it is a bug in
// locksim: the program aborts with a message asking for a bug report. In the system under test
// (the protocol code in service/, while the simulated world runs one of its handlers) it is a
// finding like any other violated check: the world opens a SystemUnderTestScope around each
// handler, a failed assertion inside it throws AssertionFailure, and the world ends the run
// there, so that the run's report, a sweep's other seeds and the repro command all survive
// (docs/architecture.md, "Assertions"). Nothing else catches AssertionFailure.
#ifndef LOCKSIM_BASE_ASSERT_H_
#define LOCKSIM_BASE_ASSERT_H_

#include <exception>
#include <string>

namespace locksim {

// Where and what: the source file (relative to the source tree: the build strips its root, so
// the same failure reads the same on every machine), the line and the condition's text.
struct FailedAssertion {
  std::string file;
  int line = 0;
  std::string condition;
  // "service/lock_server.cc:104: forward.order > 0"
  std::string Describe() const;
  bool operator==(const FailedAssertion&) const = default;
};

// What a failed LOCKSIM_ASSERT throws inside a SystemUnderTestScope.
class AssertionFailure : public std::exception {
 public:
  explicit AssertionFailure(FailedAssertion failed);
  const FailedAssertion& failed() const { return failed_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  FailedAssertion failed_;
  std::string what_;
};

// While one is alive on this thread (and no SimulatorScope inside it), a failed assertion throws
// AssertionFailure instead of aborting. Per thread: a sweep runs one seed per thread, each run
// single-threaded. Scopes nest; each restores what it found.
class SystemUnderTestScope {
 public:
  SystemUnderTestScope();
  ~SystemUnderTestScope();
  SystemUnderTestScope(const SystemUnderTestScope&) = delete;
  SystemUnderTestScope& operator=(const SystemUnderTestScope&) = delete;

 private:
  bool outer_;
};

// The simulator's own code again, inside a SystemUnderTestScope: the world doing what a node
// asked of it (sending, starting a timer). A failed assertion here is a locksim bug and aborts.
class SimulatorScope {
 public:
  SimulatorScope();
  ~SimulatorScope();
  SimulatorScope(const SimulatorScope&) = delete;
  SimulatorScope& operator=(const SimulatorScope&) = delete;

 private:
  bool outer_;
};

// Whether a failed assertion on this thread would throw (for tests).
bool InSystemUnderTest();

// The command line, quoted in the bug report an aborting assertion asks for. main() sets it
// once, before any thread starts.
void SetCommandLineForBugReports(int argc, const char* const* argv);

namespace internal {
[[noreturn]] void AssertionFailed(const char* condition, const char* file, int line);
}  // namespace internal

}  // namespace locksim

#define LOCKSIM_ASSERT(condition)                                           \
  do {                                                                      \
    if (!(condition)) [[unlikely]] {                                        \
      ::locksim::internal::AssertionFailed(#condition, __FILE__, __LINE__); \
    }                                                                       \
  } while (false)

// Marks a place control never reaches, with why (a string literal): the end of a switch that
// handles every enumerator, a handler for a message nobody sends. Reaching it is a broken
// invariant, reported like a failed LOCKSIM_ASSERT. It ends a function that returns a value.
#define LOCKSIM_UNREACHABLE(why) \
  ::locksim::internal::AssertionFailed("unreachable: " why, __FILE__, __LINE__)

#endif  // LOCKSIM_BASE_ASSERT_H_
