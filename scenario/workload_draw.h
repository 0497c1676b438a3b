// The random choices of one workload client, drawn from that client's own stream
// (WorkloadStream: sim::Stream::kWorkload, client) in a fixed order: whether it issues another
// operation and a think time before it, then the operation's lock, then whether it is an Unlock.
// Each is a decision on the stream sim::DecisionStream::Workload(client) (sim/decisions.h); in
// random mode it takes exactly the draw it always took. One client's draws never shift another's,
// and the order here is part of every recorded seed. The one home of the draw: the simulator's
// runner and the real network's load driver (net/load_driver.h) both draw through it, so the same
// scenario and seed give each client the same operations in `locksim run` and `locksim load`.
#ifndef LOCKSIM_SCENARIO_WORKLOAD_DRAW_H_
#define LOCKSIM_SCENARIO_WORKLOAD_DRAW_H_

#include <cstddef>
#include <cstdint>

#include "scenario/scenario.h"
#include "service/messages.h"
#include "sim/decisions.h"
#include "sim/prng.h"
#include "sim/time.h"

namespace locksim::scenario {

// Client `client`'s workload stream for a run of seed `seed`.
sim::Prng WorkloadStream(uint64_t seed, int client);

// Whether a client that has issued `issued` operations issues another. Natural: it has some left
// (issued < ops_per_client); draws nothing. A replayed list may say otherwise either way.
bool DecideMoreOperations(const Workload& workload, int64_t issued,
                          const sim::Decisions& decisions = {}, int client = 0);

// How long the client waits before its next operation (`think_ms`). Draws nothing when the
// range is one value.
sim::Duration DrawThinkTime(const Workload& workload, sim::Prng& rng,
                            const sim::Decisions& decisions = {}, int client = 0);

struct WorkloadOperation {
  size_t lock = 0;  // index into workload.locks
  service::OpKind op = service::OpKind::kLock;
  bool operator==(const WorkloadOperation&) const = default;
};

// The client's next operation: its lock (uniform), then Unlock with chance `unlock_fraction`.
WorkloadOperation DrawOperation(const Workload& workload, sim::Prng& rng,
                                const sim::Decisions& decisions = {}, int client = 0);

}  // namespace locksim::scenario

#endif  // LOCKSIM_SCENARIO_WORKLOAD_DRAW_H_
