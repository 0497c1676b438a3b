// The exhaustive reference (tests/check/brute_force.h) behind a function of its own, so that it
// can be compiled without libFuzzer's coverage (tests/fuzz/CMakeLists.txt): its comparisons are
// not the code under test, and as coverage they would steer the fuzzer into exploring the
// reference instead of the checker (they were most of the checker harness's time).
#ifndef LOCKSIM_TESTS_FUZZ_REFERENCE_H_
#define LOCKSIM_TESTS_FUZZ_REFERENCE_H_

#include <string>
#include <vector>

#include "check/history.h"

namespace locksim::check::testing {

// BruteForceLinearizable, from free locks or with `held` starting held.
bool ReferenceLinearizable(const History& history, const std::string& held = "");

// Whether `keep` (indices into `history`) is a certificate for `lock`: the history of `lock` with
// every other operation relaxed (tests/check/relaxed_history.h) is not linearizable, from a free
// lock, or from a held one when `from_held`.
bool ReferenceCertificate(const History& history, const std::string& lock,
                          const std::vector<size_t>& keep, bool from_held);

}  // namespace locksim::check::testing

#endif  // LOCKSIM_TESTS_FUZZ_REFERENCE_H_
