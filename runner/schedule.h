// Exploration schedules and their tokens. A schedule says how a run's decisions are taken
// instead of (or on top of) the seed's random draws; its token is what `locksim explore` prints
// in every repro command and what `locksim run --schedule TOKEN` accepts, so every finding
// replays exactly (docs/exploration.md):
//
//   faults:none                           the seed's own run, no fault added
//   faults:crash-primary@37               crash the primary right after it handled 37 messages
//                                         (@0: before it handles any)
//   faults:crash-backup@12                the same for the backup
//   faults:deaf@5                         the primary turns deaf at its 5th client request (it
//                                         executes it, loses the reply and halts)
//   faults:lose-reply@primary-to-client1:3   lose the 3rd reply the primary sends client 1
//   faults:dup-request@client0-to-primary:2   the network delivers twice the 2nd request client 0
//                                         sends the primary that the network delivers
//   faults:deaf@5+lose-reply@backup-to-client0:2   several placements, joined with "+"
//   pct:d3:n420                           probabilistic concurrency testing of delivery order:
//                                         depth 3, change points among the first 420 sends,
//                                         priorities drawn from the run's seed
//   swarm                                 a configuration drawn from the run's seed
//
// Tokens use only characters a shell passes through unquoted (letters, digits, - : @ +), so a
// printed repro command can be pasted as it is.
#ifndef LOCKSIM_RUNNER_SCHEDULE_H_
#define LOCKSIM_RUNNER_SCHEDULE_H_

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "scenario/scenario.h"
#include "service/node_id.h"
#include "sim/decisions.h"

namespace locksim::runner {

// One fault of the failure model placed at one injection point of a run.
struct FaultPlacement {
  enum class Kind : uint8_t { kCrash, kDeaf, kLoseReply, kDuplicateRequest };
  Kind kind = Kind::kCrash;
  // kLoseReply: the reply's sender; kDuplicateRequest: the request's receiver.
  service::NodeId server = service::kPrimaryNode;
  // kLoseReply: the client node the reply goes to; kDuplicateRequest: the request's sender.
  service::NodeId client = -1;
  // kCrash: after this many handled messages (0: before any); kDeaf: at the server's n-th client
  // request (1, 2, ...); kLoseReply: the n-th reply on the link (1, 2, ...); kDuplicateRequest:
  // the n-th request on the link that the network delivers (1, 2, ...; a lost one has no
  // duplicate decision).
  uint64_t number = 0;

  bool is_server_fault() const { return kind == Kind::kCrash || kind == Kind::kDeaf; }
  auto operator<=>(const FaultPlacement&) const = default;
};

// faults:...: the placements, in token order (empty: faults:none).
struct FaultsSchedule {
  std::vector<FaultPlacement> placements;
  bool operator==(const FaultsSchedule&) const = default;
};
// pct:dD:nN
struct PctSchedule {
  int depth = 3;       // d: d - 1 priority change points
  uint64_t sends = 1;  // n: change points fall among the first n message sends
  bool operator==(const PctSchedule&) const = default;
};
// swarm
struct SwarmSchedule {
  bool operator==(const SwarmSchedule&) const = default;
};
using Schedule = std::variant<FaultsSchedule, PctSchedule, SwarmSchedule>;

// "crash-primary@37", "deaf@5", "lose-reply@primary-to-client1:3",
// "dup-request@client0-to-primary:2".
std::string PlacementToken(const FaultPlacement& placement);
std::string ScheduleToken(const Schedule& schedule);
// The inverse of ScheduleToken for a scenario with `clients` clients. Errors say what a token
// looks like.
absl::StatusOr<Schedule> ParseScheduleToken(std::string_view token, int clients);

class FaultsSource;

// A schedule made ready for one run of `scenario` with `seed`: the scenario it runs (swarm draws
// its own), the source of its decisions, and a line for people. Keep it alive during the run.
struct ScheduledRun {
  std::optional<scenario::Scenario> scenario;   // set when the schedule changes the scenario
  std::unique_ptr<sim::DecisionSource> source;  // null: random mode
  FaultsSource* faults = nullptr;               // `source` when it is a faults schedule's
  std::string description;                      // e.g. "swarm: 5 clients on 2 locks, ..."
  std::string token;
};
// REQUIRES: a swarm schedule only for a workload scenario (the parser of a token does not know
// the scenario; callers check first, ScheduleFitsScenario).
// `log_points`: a faults schedule's source keeps the injection points it passes (explore's
// deeper placements need them; FaultsSource).
ScheduledRun PrepareSchedule(const Schedule& schedule, const scenario::Scenario& scenario,
                             uint64_t seed, bool log_points = false);
// Why `schedule` cannot run on `scenario` (swarm needs a workload), or "" when it can.
std::string ScheduleMisfit(const Schedule& schedule, const scenario::Scenario& scenario);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_SCHEDULE_H_
