// Swarm testing (Groce et al., ISSTA 2012; FoundationDB's and TigerBeetle's per-seed
// configurations): a `swarm` schedule runs a workload scenario under a configuration drawn from
// the run's seed, so that each seed exercises its own mix of features instead of every seed the
// same one. Every configuration stays inside the failure model (docs/protocol.md):
//
// - clients 1 .. 2 x the scenario's (at least 2; at least the scenario's when a partition names
//   clients), sharing about the scenario's total operations;
//   locks 1 .. 2 x the scenario's; an unlock fraction in [0.1, 0.9]; think times within 0 .. 2 x
//   the scenario's maximum;
// - a latency range inside the scenario's own (so the RPC timeout still covers a round trip);
// - duplicates on every channel (on in half the seeds, each channel up to 10%);
// - lost replies to clients (on in half the seeds, up to 5%; up to 2% with a server fault, so
//   that ten attempts of a clerk do not all fail by chance);
// - at most one server fault: none, a crash of the primary or of the backup after a drawn number
//   of the messages it handles, or the primary turning deaf at a drawn time.
//
// What the scenario has outside the model (lost requests, forwards or forward replies,
// partitions, both servers failing) is kept as it is, so a violation scenario still shows its
// violation; the swarm then adds no server fault of its own.
#ifndef LOCKSIM_RUNNER_SWARM_H_
#define LOCKSIM_RUNNER_SWARM_H_

#include <cstdint>
#include <string>

#include "scenario/scenario.h"

namespace locksim::runner {

struct SwarmConfiguration {
  scenario::Scenario scenario;
  std::string description;  // e.g. "5 clients x 60 ops on 2 locks, latency 1-3 ms, ..."
};

// REQUIRES: base has a workload. A pure function of (base, seed).
SwarmConfiguration DrawSwarmConfiguration(const scenario::Scenario& base, uint64_t seed);

// Whether the scenario has something outside the failure model (see above).
bool HasFaultsOutsideTheModel(const scenario::Scenario& scenario);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_SWARM_H_
