// splitmix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", 2014; the
// reference is Vigna's splitmix64.c): expands one 64-bit seed into a well-mixed sequence. The
// simulator seeds and forks its generator with it (sim/prng.h); tests and benchmarks that want a
// tiny generator of their own use it too, so the same bits come out on every machine.
#ifndef LOCKSIM_BASE_SPLITMIX64_H_
#define LOCKSIM_BASE_SPLITMIX64_H_

#include <cstdint>

namespace locksim {

class SplitMix64 {
 public:
  explicit constexpr SplitMix64(uint64_t seed) : state_(seed) {}

  constexpr uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

}  // namespace locksim

#endif  // LOCKSIM_BASE_SPLITMIX64_H_
