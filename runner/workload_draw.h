// The random choices of one workload client, drawn from that client's own stream
// (sim::Stream::kWorkload, client) in a fixed order: a think time before each operation, then
// the operation's lock, then whether it is an Unlock. One client's draws never shift another's,
// and the order here is part of every recorded seed.
#ifndef LOCKSIM_RUNNER_WORKLOAD_DRAW_H_
#define LOCKSIM_RUNNER_WORKLOAD_DRAW_H_

#include <cstddef>

#include "scenario/scenario.h"
#include "service/messages.h"
#include "sim/prng.h"
#include "sim/time.h"

namespace locksim::runner {

// How long the client waits before its next operation (`think_ms`). Draws nothing when the
// range is one value.
sim::Duration DrawThinkTime(const scenario::Workload& workload, sim::Prng& rng);

struct WorkloadOperation {
  size_t lock = 0;  // index into workload.locks
  service::OpKind op = service::OpKind::kLock;
  bool operator==(const WorkloadOperation&) const = default;
};

// The client's next operation: its lock (uniform), then Unlock with chance `unlock_fraction`.
WorkloadOperation DrawOperation(const scenario::Workload& workload, sim::Prng& rng);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_WORKLOAD_DRAW_H_
