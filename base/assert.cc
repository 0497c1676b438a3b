#include "base/assert.h"

#include <cstdio>
#include <cstdlib>

namespace locksim::internal {

void AssertionFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "locksim: internal invariant broken: %s (%s:%d)\n", condition, file, line);
  std::abort();
}

}  // namespace locksim::internal
