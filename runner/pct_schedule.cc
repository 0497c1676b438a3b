#include "runner/pct_schedule.h"

#include <algorithm>
#include <utility>

#include "absl/numeric/int128.h"
#include "base/assert.h"

namespace locksim::runner {

using sim::DecisionKind;

PctSource::PctSource(uint64_t seed, int chains, int depth, uint64_t sends,
                     sim::DurationRange latency)
    : depth_(depth), latency_(latency) {
  LOCKSIM_ASSERT(chains >= 1 && depth >= 1 && sends >= 1);
  sim::Prng rng = sim::Prng(seed).Fork(sim::Stream::kSchedule);
  // A uniformly random permutation of the priorities d .. d + w - 1 (Fisher-Yates).
  priorities_.resize(static_cast<size_t>(chains));
  for (int c = 0; c < chains; ++c) priorities_[static_cast<size_t>(c)] = depth + c;
  for (size_t i = priorities_.size(); i > 1; --i) {
    std::swap(priorities_[i - 1], priorities_[rng.Below(i)]);
  }
  // d - 1 distinct change points among the first n sends, in the order they were drawn: the
  // i-th drawn lowers its chain to d - i.
  const uint64_t count = std::min<uint64_t>(static_cast<uint64_t>(depth - 1), sends);
  while (change_points_.size() < count) {
    const uint64_t point = 1 + rng.Below(sends);
    if (std::find(change_points_.begin(), change_points_.end(), point) == change_points_.end()) {
      change_points_.push_back(point);
    }
  }
}

int64_t PctSource::priority(int32_t chain) const {
  if (chain < 0 || static_cast<size_t>(chain) >= priorities_.size()) return highest_priority() + 1;
  return priorities_[static_cast<size_t>(chain)];
}

void PctSource::OnMessage(int32_t /*from*/, int32_t /*to*/, int32_t chain) {
  ++sends_seen_;
  current_chain_ = chain;
  for (size_t i = 0; i < change_points_.size(); ++i) {
    if (change_points_[i] == sends_seen_ && chain >= 0 &&
        static_cast<size_t>(chain) < priorities_.size()) {
      priorities_[static_cast<size_t>(chain)] = depth_ - 1 - static_cast<int64_t>(i);
    }
  }
}

void PctSource::OnSimultaneousEvents(std::span<const int32_t> chains) {
  simultaneous_.assign(chains.begin(), chains.end());
}

uint64_t PctSource::Choose(sim::DecisionStream /*stream*/, DecisionKind kind, uint64_t bound,
                           absl::FunctionRef<uint64_t()> natural) {
  switch (kind) {
    case DecisionKind::kLatency:
    case DecisionKind::kRefusalLatency: {
      const int64_t top = highest_priority();
      const int64_t p = std::min(priority(current_chain_), top);
      if (top <= 1) return 0;
      // (bound - 1) * (top - p) / (top - 1), in 128 bits.
      const absl::uint128 offset = absl::uint128(bound - 1) * static_cast<uint64_t>(top - p) /
                                   static_cast<uint64_t>(top - 1);
      return absl::Uint128Low64(offset);
    }
    case DecisionKind::kSimultaneousOrder: {
      LOCKSIM_ASSERT(simultaneous_.size() == bound);
      size_t best = 0;
      for (size_t i = 1; i < simultaneous_.size(); ++i) {
        if (priority(simultaneous_[i]) > priority(simultaneous_[best])) best = i;
      }
      return best;
    }
    default:
      return natural();
  }
}

}  // namespace locksim::runner
