// The decision source of a `faults:` schedule (runner/schedule.h): it places the failure model's
// faults at injection points and lets every other decision take its natural value, so a run with
// placements is the seed's own run up to the first placement. It also logs every injection point
// the run passes, which is how `explore` enumerates the placements of the next depth
// (runner/explore.cc).
//
// Injection points (sim/decisions.h):
// - crash: each crash_after_handling decision of a server (the first one, at the start of the
//   run, is "after 0 messages");
// - deaf: each deaf_at_request decision of the primary;
// - lose reply: each drop decision of a link from a server to a client;
// - duplicate request: each duplicate decision of a link from a client to a server (one per
//   request the network delivers on it).
#ifndef LOCKSIM_RUNNER_FAULT_SCHEDULE_H_
#define LOCKSIM_RUNNER_FAULT_SCHEDULE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runner/schedule.h"
#include "sim/decisions.h"

namespace locksim::runner {

class FaultsSource final : public sim::DecisionSource {
 public:
  // `log_points`: keep every injection point the run passes (points()), which only the runs
  // whose points a deeper exploration enumerates need.
  FaultsSource(std::vector<FaultPlacement> placements, bool log_points);

  uint64_t Choose(sim::DecisionStream stream, sim::DecisionKind kind, uint64_t bound,
                  absl::FunctionRef<uint64_t()> natural) override;
  // Only the kinds of decision that are injection points.
  bool Chooses(sim::DecisionKind kind) const override;
  void OnEvent(uint64_t index) override { passed_.event = index; }

  // Goes on where `base` is, in a run forked from `base`'s run between two events
  // (runner/simulation.h, ForkableRun): the points passed so far and which of base's placements
  // fired. The points log starts empty. REQUIRES: this source's placements begin with all of
  // `base`'s, and `base` logs its points (a source that stops counting once it placed everything
  // cannot be resumed from).
  void ResumeFrom(const FaultsSource& base);

  // Every injection point the run passed, in the order it passed them (when logging points).
  const std::vector<FaultPlacement>& points() const { return points_; }
  // The event of the run each of points() fell in (sim::DecisionSource::OnEvent; 0: before the
  // first event, as the run began): a run forked just before that event still reaches the point.
  const std::vector<uint64_t>& point_events() const { return point_events_; }
  // The index in points() of the last placement that fired (the points after it are where a
  // further fault may go); points().size() when none fired.
  size_t points_before_last_placement() const { return points_before_last_; }
  // Whether every placement was reached (an unreached one had no effect).
  bool all_placed() const;

 private:
  // The point this decision is, or false when it is none.
  bool PointOf(sim::DecisionStream stream, sim::DecisionKind kind, FaultPlacement* point);

  std::vector<FaultPlacement> placements_;
  std::vector<bool> placed_;
  size_t unplaced_;  // placements not reached yet
  bool log_points_;
  bool any_placed_ = false;
  std::vector<FaultPlacement> points_;
  std::vector<uint64_t> point_events_;  // parallel to points_
  size_t points_before_last_ = 0;
  // Where the run is: what ResumeFrom carries over to a fork, as one value.
  struct Passed {
    uint64_t event = 0;                // the event running now (OnEvent)
    uint64_t crash[2] = {0, 0};        // per server: crash_after_handling decisions so far
    uint64_t deaf = 0;                 // the primary's deaf_at_request decisions so far
    std::vector<uint64_t> reply[2];    // per server, per client node: replies so far
    std::vector<uint64_t> request[2];  // per server, per client node: delivered requests
  };
  Passed passed_;
};

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_FAULT_SCHEDULE_H_
