#include "runner/fault_schedule.h"

#include <algorithm>
#include <utility>

#include "base/assert.h"

namespace locksim::runner {

using sim::DecisionKind;
using sim::DecisionStream;

FaultsSource::FaultsSource(std::vector<FaultPlacement> placements, bool log_points)
    : placements_(std::move(placements)),
      placed_(placements_.size(), false),
      unplaced_(placements_.size()),
      log_points_(log_points) {}

bool FaultsSource::Chooses(DecisionKind kind) const {
  return kind == DecisionKind::kCrashAfterHandling || kind == DecisionKind::kDeafAtRequest ||
         kind == DecisionKind::kDrop || kind == DecisionKind::kDuplicate;
}

void FaultsSource::ResumeFrom(const FaultsSource& base) {
  LOCKSIM_ASSERT(base.log_points_);
  LOCKSIM_ASSERT(base.placements_.size() <= placements_.size() &&
                 std::equal(base.placements_.begin(), base.placements_.end(), placements_.begin()));
  std::copy(base.placed_.begin(), base.placed_.end(), placed_.begin());
  unplaced_ = static_cast<size_t>(std::count(placed_.begin(), placed_.end(), false));
  any_placed_ = base.any_placed_;
  points_.clear();
  point_events_.clear();
  points_before_last_ = 0;
  passed_ = base.passed_;
}

bool FaultsSource::all_placed() const {
  return std::all_of(placed_.begin(), placed_.end(), [](bool placed) { return placed; });
}

bool FaultsSource::PointOf(DecisionStream stream, DecisionKind kind, FaultPlacement* point) {
  switch (kind) {
    case DecisionKind::kCrashAfterHandling: {
      if (stream.kind() != DecisionStream::Kind::kInjection) return false;
      const service::NodeId server = stream.a();
      LOCKSIM_ASSERT(service::IsServerNode(server));
      *point = {FaultPlacement::Kind::kCrash, server, -1, passed_.crash[server]++};
      return true;
    }
    case DecisionKind::kDeafAtRequest:
      // The failure model's deaf server is the primary.
      if (stream.kind() != DecisionStream::Kind::kInjection ||
          stream.a() != service::kPrimaryNode) {
        return false;
      }
      *point = {FaultPlacement::Kind::kDeaf, service::kPrimaryNode, -1, ++passed_.deaf};
      return true;
    case DecisionKind::kDrop: {
      if (stream.kind() != DecisionStream::Kind::kLink || !service::IsServerNode(stream.a()) ||
          service::IsServerNode(stream.b())) {
        return false;  // only replies to clients may be lost within the model
      }
      std::vector<uint64_t>& counts = passed_.reply[stream.a()];
      const auto client = static_cast<size_t>(stream.b());
      if (counts.size() <= client) counts.resize(client + 1, 0);
      *point = {FaultPlacement::Kind::kLoseReply, stream.a(), stream.b(), ++counts[client]};
      return true;
    }
    case DecisionKind::kDuplicate: {
      if (stream.kind() != DecisionStream::Kind::kLink || service::IsServerNode(stream.a()) ||
          !service::IsServerNode(stream.b())) {
        return false;  // the model duplicates client requests (a server's messages: not yet)
      }
      std::vector<uint64_t>& counts = passed_.request[stream.b()];
      const auto client = static_cast<size_t>(stream.a());
      if (counts.size() <= client) counts.resize(client + 1, 0);
      *point = {FaultPlacement::Kind::kDuplicateRequest, stream.b(), stream.a(), ++counts[client]};
      return true;
    }
    default:
      return false;
  }
}

uint64_t FaultsSource::Choose(DecisionStream stream, DecisionKind kind, uint64_t /*bound*/,
                              absl::FunctionRef<uint64_t()> natural) {
  // Always draw, so that the PRNG streams stay where the seed's own run has them.
  uint64_t value = natural();
  // Every placement made and nothing to log: the rest of the run is the seed's own.
  if (unplaced_ == 0 && !log_points_) return value;
  FaultPlacement point;
  if (!PointOf(stream, kind, &point)) return value;
  for (size_t i = 0; i < placements_.size(); ++i) {
    if (!placed_[i] && placements_[i] == point) {
      placed_[i] = true;
      --unplaced_;
      any_placed_ = true;
      value = 1;
      points_before_last_ = points_.size();
    }
  }
  if (!log_points_) return value;
  points_.push_back(point);
  point_events_.push_back(passed_.event);
  if (!any_placed_) points_before_last_ = points_.size();
  return value;
}

}  // namespace locksim::runner
