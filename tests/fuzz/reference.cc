#include "tests/fuzz/reference.h"

#include "tests/check/brute_force.h"
#include "tests/check/relaxed_history.h"

namespace locksim::check::testing {

bool ReferenceLinearizable(const History& history, const std::string& held) {
  if (held.empty()) return BruteForceLinearizable(history);
  return BruteForceLinearizable(history, {{held, true}});
}

bool ReferenceCertificate(const History& history, const std::string& lock,
                          const std::vector<size_t>& keep, bool from_held) {
  return !ReferenceLinearizable(Relaxed(history, lock, keep), from_held ? lock : "");
}

}  // namespace locksim::check::testing
