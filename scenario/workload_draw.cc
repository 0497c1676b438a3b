#include "scenario/workload_draw.h"

#include "base/assert.h"

namespace locksim::scenario {

using sim::DecisionKind;
using sim::DecisionStream;

sim::Prng WorkloadStream(uint64_t seed, int client) {
  LOCKSIM_ASSERT(client >= 0);
  return sim::Prng(seed).Fork(sim::Stream::kWorkload, static_cast<uint64_t>(client));
}

bool DecideMoreOperations(const Workload& workload, int64_t issued, const sim::Decisions& decisions,
                          int client) {
  return decisions.DecideYes(DecisionStream::Workload(client), DecisionKind::kMoreOperations,
                             [&] { return issued < workload.ops_per_client; });
}

sim::Duration DrawThinkTime(const Workload& workload, sim::Prng& rng,
                            const sim::Decisions& decisions, int client) {
  return sim::DecideDuration(decisions, DecisionStream::Workload(client), DecisionKind::kThinkTime,
                             workload.think, rng);
}

WorkloadOperation DrawOperation(const Workload& workload, sim::Prng& rng,
                                const sim::Decisions& decisions, int client) {
  const DecisionStream stream = DecisionStream::Workload(client);
  WorkloadOperation operation;
  operation.lock = decisions.Decide(stream, DecisionKind::kLockChoice, workload.locks.size(),
                                    [&] { return rng.Below(workload.locks.size()); });
  operation.op = decisions.DecideYes(stream, DecisionKind::kUnlockChoice,
                                     [&] { return rng.Chance(workload.unlock_fraction); })
                     ? service::OpKind::kUnlock
                     : service::OpKind::kLock;
  return operation;
}

}  // namespace locksim::scenario
