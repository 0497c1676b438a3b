// One operation of a scenario's random workload, drawn from a client's workload stream exactly as
// the simulator's runner draws it (runner/simulation.cc): the think time before the operation,
// then the lock, then whether it is an Unlock. So the same scenario and seed give each client the
// same operations in `locksim run` and in `locksim load`; only their timing differs.
//
// The stream is sim::Prng(seed).Fork(sim::Stream::kWorkload, client). This copy of the draw is
// meant to be merged with the runner's into one function used by both.
#ifndef LOCKSIM_NET_WORKLOAD_DRAW_H_
#define LOCKSIM_NET_WORKLOAD_DRAW_H_

#include <cstddef>
#include <cstdint>

#include "scenario/scenario.h"
#include "service/messages.h"
#include "sim/prng.h"
#include "sim/time.h"

namespace locksim::net {

struct WorkloadOperation {
  sim::Duration think;    // wait this long after the previous operation returned
  size_t lock_index = 0;  // into Workload::locks
  service::OpKind op = service::OpKind::kLock;
};

// Client `client`'s workload stream for `seed`.
sim::Prng WorkloadStream(uint64_t seed, int client);

// Draws the next operation from `rng`. REQUIRES: !workload.locks.empty().
WorkloadOperation DrawWorkloadOperation(const scenario::Workload& workload, sim::Prng& rng);

}  // namespace locksim::net

#endif  // LOCKSIM_NET_WORKLOAD_DRAW_H_
