#include "net/workload_draw.h"

#include "base/assert.h"

namespace locksim::net {

sim::Prng WorkloadStream(uint64_t seed, int client) {
  LOCKSIM_ASSERT(client >= 0);
  return sim::Prng(seed).Fork(sim::Stream::kWorkload, static_cast<uint64_t>(client));
}

WorkloadOperation DrawWorkloadOperation(const scenario::Workload& workload, sim::Prng& rng) {
  LOCKSIM_ASSERT(!workload.locks.empty());
  WorkloadOperation operation;
  // The order of these three draws is the runner's; changing it changes every workload.
  operation.think = rng.DurationIn(workload.think);
  operation.lock_index = static_cast<size_t>(rng.Below(workload.locks.size()));
  operation.op =
      rng.Chance(workload.unlock_fraction) ? service::OpKind::kUnlock : service::OpKind::kLock;
  return operation;
}

}  // namespace locksim::net
