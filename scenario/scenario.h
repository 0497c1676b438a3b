// A scenario, parsed and validated (scenario_parser.h), immutable from then on.
// docs/scenario-format.md documents every key of the file format.
#ifndef LOCKSIM_SCENARIO_SCENARIO_H_
#define LOCKSIM_SCENARIO_SCENARIO_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "service/messages.h"
#include "service/node_id.h"
#include "sim/budget.h"
#include "sim/message_rules.h"
#include "sim/probability.h"
#include "sim/time.h"

namespace locksim::scenario {

enum class CrashTarget : uint8_t { kPrimary, kBackup, kEither };  // kEither: drawn from the seed
enum class Expect : uint8_t { kPass, kViolation };
// "pass" or "violation": how scenario files and sweep results write an Expect.
inline const char* ExpectName(Expect expect) {
  return expect == Expect::kViolation ? "violation" : "pass";
}
inline std::optional<Expect> ExpectByName(std::string_view name) {
  if (name == "pass") return Expect::kPass;
  if (name == "violation") return Expect::kViolation;
  return std::nullopt;
}

// `network.drop` / `network.duplicate`: one probability per channel.
struct ChannelProbabilities {
  sim::Probability request;        // client -> server
  sim::Probability reply;          // server -> client
  sim::Probability forward;        // primary -> backup
  sim::Probability forward_reply;  // backup -> primary
};

struct Network {
  sim::DurationRange latency{sim::Duration::Millis(1), sim::Duration::Millis(1)};
  ChannelProbabilities drop;
  ChannelProbabilities duplicate;
  // `network.messages` (our extension): the fate of named messages (sim/message_rules.h).
  std::vector<sim::MessageFateRule> messages;
};

// --- Scripted runs. ---

// Lock or unlock by one client. The run waits for it unless `async`.
struct CallStep {
  int client = 0;
  service::OpKind op = service::OpKind::kLock;
  std::string lock;
  std::optional<bool> expect;
  bool async = false;
};
struct CrashStep {
  service::NodeId server = service::kPrimaryNode;  // kPrimaryNode or kBackupNode
  // `"after": {message}` (our extension): the step arms the crash, which happens right after the
  // handler in which the server sends or handles that message; the script goes on at once.
  std::optional<sim::MessageSelector> after;
};
// The next client request the server receives is executed in full but its reply is lost, and
// the server halts right after (the lab's "dying" server).
struct DeafStep {
  service::NodeId server = service::kPrimaryNode;
  // `"at": {request}` (our extension): that request, not the next one.
  std::optional<sim::MessageSelector> at;
};
struct SleepStep {
  sim::Duration duration;
};
// `{"wait_for": 1}` (our extension): wait until client 1 has no call outstanding, e.g. for an
// async call to return before another client goes on.
struct WaitStep {
  int client = 0;
};
using Step = std::variant<CallStep, CrashStep, DeafStep, SleepStep, WaitStep>;

// --- Random runs. ---

struct Workload {
  int64_t ops_per_client = 0;
  std::vector<std::string> locks;  // "l0", "l1", ... when given as a count
  sim::Probability unlock_fraction;
  sim::DurationRange think{sim::Duration::Micros(0), sim::Duration::Micros(0)};
};

// `{"crash": S, "at_ms": T | {"min", "max"}}`
struct CrashAtFault {
  CrashTarget target = CrashTarget::kPrimary;
  sim::DurationRange at;
};
// `{"crash": S, "after_messages": K | {"min", "max"}}`: right after the server has handled its
// K-th incoming message (requests and replies).
struct CrashAfterMessagesFault {
  CrashTarget target = CrashTarget::kPrimary;
  uint64_t messages_min = 1;
  uint64_t messages_max = 1;
};
// `{"crash": "primary", "after_forwards": K | {"min", "max"}}`: right after the primary has sent
// its K-th forward, before it can reply to the client.
struct CrashAfterForwardsFault {
  uint64_t forwards_min = 1;
  uint64_t forwards_max = 1;
};
// `{"deaf": "primary" | "backup", "at_ms": T | {"min", "max"}}`: from time T the server is
// deaf.
struct DeafAtFault {
  service::NodeId server = service::kPrimaryNode;
  sim::DurationRange at;
};
// One name of a partition group, resolved by the parser: a node ("primary", "backup",
// "client<i>"), or "clients" (every client).
struct PartitionMember {
  bool all_clients = false;
  service::NodeId node = -1;  // when not all_clients
  bool operator==(const PartitionMember&) const = default;
};
// `{"partition": [[names...], [names...]], "at_ms": T, "heal_after_ms": D, "one_way": false}`:
// blocks every link between the two groups (or only group 0 -> group 1 when one_way).
struct PartitionFault {
  std::array<std::vector<PartitionMember>, 2> groups;  // in the file's order
  sim::DurationRange at;
  std::optional<sim::DurationRange> heal_after;  // absent: never heals
  bool one_way = false;
};
using Fault = std::variant<CrashAtFault, CrashAfterMessagesFault, CrashAfterForwardsFault,
                           DeafAtFault, PartitionFault>;

struct Scenario {
  std::string name;
  std::string description;
  std::string file;
  uint64_t seed = 1;
  int clients = 1;
  sim::Duration rpc_timeout = sim::Duration::Millis(2000);
  Network network;
  Expect expect = Expect::kPass;
  sim::Budget budget;
  // Exactly one of: scripted steps (non-empty), or a workload with its faults.
  std::vector<Step> steps;
  std::optional<Workload> workload;
  std::vector<Fault> faults;
};

}  // namespace locksim::scenario

#endif  // LOCKSIM_SCENARIO_SCENARIO_H_
