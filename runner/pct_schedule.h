// The decision source of a `pct:` schedule (runner/schedule.h): probabilistic concurrency
// testing (Burckhardt et al., ASPLOS 2010) in the message-passing form of PCTCP (Ozkan et al.,
// OOPSLA 2018), realised through latencies so that every run stays inside the scenario's latency
// range (docs/exploration.md states the guarantee and its limits).
//
// - Chains: a message's causal chain is the client whose operation caused it (the world passes
//   it on, sim/decisions.h); w = the scenario's clients. Each client has one call at a time, so a
//   chain is a sequence of causally ordered messages.
// - Priorities: a uniformly random permutation gives the w chains priorities d, ..., d + w - 1.
//   d - 1 change points k_1, ..., k_{d-1} are distinct message sends drawn uniformly from the
//   first n; at the k_i-th send the sending chain drops to priority d - i, below every initial
//   priority.
// - Delivery: a message of priority p gets the latency min + (max - min) * (P - p) / (P - 1),
//   P = w + d - 1 the highest priority (the highest chain gets the minimum latency, the lowest
//   the maximum; messages of no chain get the minimum). So a higher-priority message overtakes
//   a lower-priority one sent up to (max - min) / (P - 1) before it. Events due at one instant
//   go in priority order (first come among equals).
// - Everything else (drops, duplicates, the workload, the fault plan) takes its natural value.
// All of its own randomness comes from the run's seed (sim::Stream::kSchedule).
#ifndef LOCKSIM_RUNNER_PCT_SCHEDULE_H_
#define LOCKSIM_RUNNER_PCT_SCHEDULE_H_

#include <cstdint>
#include <vector>

#include "sim/decisions.h"
#include "sim/prng.h"
#include "sim/time.h"

namespace locksim::runner {

class PctSource final : public sim::DecisionSource {
 public:
  // REQUIRES: chains >= 1, depth >= 1, sends >= 1.
  PctSource(uint64_t seed, int chains, int depth, uint64_t sends, sim::DurationRange latency);

  uint64_t Choose(sim::DecisionStream stream, sim::DecisionKind kind, uint64_t bound,
                  absl::FunctionRef<uint64_t()> natural) override;
  bool WantsOrderDecisions() const override { return true; }
  void OnMessage(int32_t from, int32_t to, int32_t chain) override;
  void OnSimultaneousEvents(std::span<const int32_t> chains) override;

  // For tests and the report: the current priority of a chain (higher goes first).
  int64_t priority(int32_t chain) const;
  // The sends at which priorities change, in the order they take effect (k_1, ..., k_{d-1}).
  const std::vector<uint64_t>& change_points() const { return change_points_; }
  uint64_t sends() const { return sends_seen_; }

 private:
  int64_t highest_priority() const { return static_cast<int64_t>(priorities_.size()) + depth_ - 1; }

  int depth_;
  sim::DurationRange latency_;
  std::vector<int64_t> priorities_;      // per chain
  std::vector<uint64_t> change_points_;  // k_1 .. k_{d-1}
  uint64_t sends_seen_ = 0;
  int32_t current_chain_ = -1;
  std::vector<int32_t> simultaneous_;
};

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_PCT_SCHEDULE_H_
