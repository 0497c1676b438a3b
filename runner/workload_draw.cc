#include "runner/workload_draw.h"

namespace locksim::runner {

sim::Duration DrawThinkTime(const scenario::Workload& workload, sim::Prng& rng) {
  return rng.DurationIn(workload.think);
}

WorkloadOperation DrawOperation(const scenario::Workload& workload, sim::Prng& rng) {
  WorkloadOperation operation;
  operation.lock = rng.Below(workload.locks.size());
  operation.op =
      rng.Chance(workload.unlock_fraction) ? service::OpKind::kUnlock : service::OpKind::kLock;
  return operation;
}

}  // namespace locksim::runner
