#include "runner/workload_draw.h"

namespace locksim::runner {

using sim::DecisionKind;
using sim::DecisionStream;

bool DecideMoreOperations(const scenario::Workload& workload, int64_t issued,
                          const sim::Decisions& decisions, int client) {
  return decisions.DecideYes(DecisionStream::Workload(client), DecisionKind::kMoreOperations,
                             [&] { return issued < workload.ops_per_client; });
}

sim::Duration DrawThinkTime(const scenario::Workload& workload, sim::Prng& rng,
                            const sim::Decisions& decisions, int client) {
  return sim::DecideDuration(decisions, DecisionStream::Workload(client), DecisionKind::kThinkTime,
                             workload.think, rng);
}

WorkloadOperation DrawOperation(const scenario::Workload& workload, sim::Prng& rng,
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

}  // namespace locksim::runner
