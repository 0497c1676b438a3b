// What a certificate means, written independently of check/ so that tests can check certificates
// with the exhaustive search (tests/check/brute_force.h).
#ifndef LOCKSIM_TESTS_CHECK_RELAXED_HISTORY_H_
#define LOCKSIM_TESTS_CHECK_RELAXED_HISTORY_H_

#include <algorithm>
#include <string>
#include <vector>

#include "check/history.h"

namespace locksim::check::testing {

// The history of `lock` with every operation whose index is not in `keep` relaxed: it may have
// taken effect at any time after its invoke, with the result it returned, or not at all (so it
// becomes pending; one that returned false never changed the lock and is dropped). The set
// `keep` is a certificate iff this history is not linearizable.
inline History Relaxed(const History& history, const std::string& lock,
                       const std::vector<size_t>& keep) {
  History relaxed;
  for (size_t i = 0; i < history.operations.size(); ++i) {
    HistoryOperation op = history.operations[i];
    if (op.lock != lock) continue;
    if (std::find(keep.begin(), keep.end(), i) == keep.end()) {
      if (op.result == false) continue;
      op.ret.reset();
      op.result.reset();
    }
    relaxed.operations.push_back(op);
  }
  return relaxed;
}

}  // namespace locksim::check::testing

#endif  // LOCKSIM_TESTS_CHECK_RELAXED_HISTORY_H_
