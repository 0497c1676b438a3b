// Probabilities as integer ratios over a fixed denominator, so that a draw is exact integer
// arithmetic on every machine. Scenario files give JSON numbers in [0, 1]; they are rounded to
// parts per billion once, at parse time (FromDouble), and never touched as floating point again.
#ifndef LOCKSIM_SIM_PROBABILITY_H_
#define LOCKSIM_SIM_PROBABILITY_H_

#include <cmath>
#include <cstdint>

#include "base/assert.h"

namespace locksim::sim {

class Probability {
 public:
  static constexpr uint64_t kDenominator = 1'000'000'000;

  constexpr Probability() = default;
  static constexpr Probability Never() { return Probability(0); }
  static constexpr Probability Always() { return Probability(kDenominator); }
  // REQUIRES: numerator <= kDenominator.
  static constexpr Probability PartsPerBillion(uint64_t numerator) {
    LOCKSIM_ASSERT(numerator <= kDenominator);
    return Probability(numerator);
  }
  // REQUIRES: 0 <= p <= 1 (callers validate user input first). Rounds to the nearest part per
  // billion; IEEE doubles make this the same everywhere.
  static Probability FromDouble(double p) {
    LOCKSIM_ASSERT(p >= 0.0 && p <= 1.0);
    return Probability(static_cast<uint64_t>(std::llround(p * static_cast<double>(kDenominator))));
  }

  constexpr uint64_t numerator() const { return numerator_; }
  constexpr bool is_zero() const { return numerator_ == 0; }
  constexpr bool operator==(const Probability&) const = default;

 private:
  constexpr explicit Probability(uint64_t numerator) : numerator_(numerator) {}
  uint64_t numerator_ = 0;
};

}  // namespace locksim::sim

#endif  // LOCKSIM_SIM_PROBABILITY_H_
