#include "sim/prng.h"

#include "absl/numeric/int128.h"
#include "base/assert.h"
#include "base/splitmix64.h"

namespace locksim::sim {
namespace {

constexpr uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

Prng::Prng(uint64_t seed) : seed_(seed) {
  SplitMix64 mix(seed);
  for (uint64_t& word : state_) word = mix.Next();
  // splitmix64 never yields four zero words from one seed, but the generator would be stuck
  // forever if it did; say so rather than trust it silently.
  LOCKSIM_ASSERT((state_[0] | state_[1] | state_[2] | state_[3]) != 0);
}

Prng Prng::FromStateForTesting(const std::array<uint64_t, 4>& state) {
  LOCKSIM_ASSERT((state[0] | state[1] | state[2] | state[3]) != 0);
  Prng prng;
  prng.state_ = state;
  return prng;
}

uint64_t Prng::NextU64() {
  const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = RotateLeft(state_[3], 45);
  return result;
}

uint64_t Prng::Below(uint64_t bound) {
  LOCKSIM_ASSERT(bound > 0);
  // Lemire, "Fast Random Integer Generation in an Interval" (2019).
  absl::uint128 product = absl::uint128(NextU64()) * bound;
  uint64_t low = absl::Uint128Low64(product);
  if (low < bound) {
    const uint64_t threshold = (0 - bound) % bound;
    while (low < threshold) {
      product = absl::uint128(NextU64()) * bound;
      low = absl::Uint128Low64(product);
    }
  }
  return absl::Uint128High64(product);
}

int64_t Prng::Between(int64_t lo, int64_t hi) {
  LOCKSIM_ASSERT(lo <= hi);
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<int64_t>(NextU64());
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + Below(span + 1));
}

bool Prng::Chance(Probability p) {
  if (p.numerator() == 0) return false;
  if (p.numerator() == Probability::kDenominator) return true;
  return Below(Probability::kDenominator) < p.numerator();
}

Duration Prng::DurationIn(DurationRange range) {
  LOCKSIM_ASSERT(range.min <= range.max);
  if (range.min == range.max) return range.min;
  return Duration::Micros(Between(range.min.micros(), range.max.micros()));
}

Prng Prng::Fork(Stream stream, uint64_t index) const {
  // Mix (seed, stream, index) through splitmix64 so that nearby seeds and indexes give
  // unrelated streams.
  SplitMix64 mix(seed_ ^ (static_cast<uint64_t>(stream) * 0xd1342543de82ef95ULL));
  const uint64_t a = mix.Next();
  SplitMix64 mix_index(a + index * 0x9e3779b97f4a7c15ULL);
  return Prng(mix_index.Next());
}

}  // namespace locksim::sim
