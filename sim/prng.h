// The simulator's only source of randomness: xoshiro256** (Blackman & Vigna) seeded through
// splitmix64 (base/splitmix64.h), with our own bounded-integer and probability draws. Nothing here
// depends on the standard library's distributions, whose output differs between implementations;
// golden-value tests (tests/sim/prng_test.cc) pin every function so a run never drifts across
// compilers.
#ifndef LOCKSIM_SIM_PRNG_H_
#define LOCKSIM_SIM_PRNG_H_

#include <array>
#include <cstdint>

#include "sim/probability.h"
#include "sim/time.h"

namespace locksim::sim {

// Stream names for Fork: each component draws from its own stream so that one extra draw in one
// place does not reshuffle every other component's choices.
enum class Stream : uint64_t {
  kNetwork = 1,
  kFaults = 2,
  kWorkload = 3,
  kSchedule = 4,  // an exploration schedule's own choices (pct priorities, change points)
  kSwarm = 5,     // a swarm schedule's configuration
};

class Prng {
 public:
  explicit Prng(uint64_t seed);

  uint64_t NextU64();
  // Uniform in [0, bound). REQUIRES: bound > 0. Lemire's multiply-shift with rejection: exact,
  // unbiased, and defined purely in integer arithmetic.
  uint64_t Below(uint64_t bound);
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Between(int64_t lo, int64_t hi);
  // True with probability p (an exact integer ratio). Draws nothing when p is 0 or 1, so
  // turning a fault off does not shift the stream for everything after it.
  bool Chance(Probability p);
  // Uniform duration in [range.min, range.max]; draws nothing when the range is one value.
  Duration DurationIn(DurationRange range);
  // An independent generator for `stream` (and an optional index, e.g. a client id). Forking
  // does not advance this generator.
  Prng Fork(Stream stream, uint64_t index = 0) const;

  // For golden-value tests against the published xoshiro256** reference: a generator with this
  // exact state. REQUIRES: not all zero.
  static Prng FromStateForTesting(const std::array<uint64_t, 4>& state);

 private:
  Prng() = default;
  std::array<uint64_t, 4> state_{};
  uint64_t seed_ = 0;  // kept so Fork is a pure function of (seed, stream, index)
};

}  // namespace locksim::sim

#endif  // LOCKSIM_SIM_PRNG_H_
