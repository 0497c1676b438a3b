// The shrinker's scripted scenario (runner/shrink.h): a run told as steps that need no randomness
// — the operations at their invoke times, the messages whose fate was not the plain one (lost,
// duplicated, slower than the minimum latency), and the server faults tied to the message after
// which they happened — which it edits (deleting operations, rules, faults) and writes as an
// ordinary scenario file (docs/scenario-format.md, "Naming messages").
//
// Messages are named by the operation they belong to, not by a call number, so deleting an
// operation keeps every other rule naming the same message: call numbers are computed when the
// scenario is written.
#ifndef LOCKSIM_RUNNER_SHRINK_SCRIPT_H_
#define LOCKSIM_RUNNER_SHRINK_SCRIPT_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "check/history.h"
#include "scenario/scenario.h"
#include "service/node_id.h"
#include "sim/message_rules.h"
#include "sim/time.h"

namespace locksim::runner {

struct ScriptOp {
  int client = 0;  // the client of the run it came from (renumbered when written)
  check::LockOp op = check::LockOp::kLock;
  std::string lock;
  int64_t at_us = 0;  // invoke time
};

// One message of a script: of operation `op`'s call.
struct ScriptMessage {
  sim::MessageType type = sim::MessageType::kRequest;
  size_t op = 0;              // index into Script::ops
  service::NodeId from = -1;  // run node ids (a client node is renumbered when written)
  service::NodeId to = -1;
  uint32_t nth = 1;
};

struct ScriptRule {
  ScriptMessage message;
  bool lose = false;
  bool duplicate = false;
  std::array<std::optional<int64_t>, 2> latency_us;
};

struct ScriptFault {
  bool deaf = false;
  service::NodeId server = service::kPrimaryNode;
  std::optional<ScriptMessage> anchor;  // deaf: the request; crash: the message it follows
  int64_t at_us = 0;                    // an unanchored crash: when
};

struct Script {
  int64_t latency_us = 1000;  // every message's latency unless a rule says otherwise
  sim::Duration rpc_timeout;
  sim::Budget budget;
  std::vector<ScriptOp> ops;  // by invoke time
  std::vector<ScriptRule> rules;
  std::vector<ScriptFault> faults;
};

// The script of a finished run of `scenario` from its history and message log
// (RunOptions::message_log). Fails when the run did something a script cannot say (a message a
// partition blocked).
absl::StatusOr<Script> ScriptOfRun(const scenario::Scenario& scenario,
                                   const check::History& history,
                                   const std::vector<sim::MessageRecord>& log);

// Removes the operations `keep` marks false (and the rules and faults naming their messages).
Script KeepOps(const Script& script, const std::vector<bool>& keep);

// What the written scenario calls things: client renumbering and lock names in order of first
// appearance ("a", "b", ...).
struct ScriptNames {
  std::vector<std::pair<int, int>> clients;                 // (run client, written client)
  std::vector<std::pair<std::string, std::string>> locks;   // (run lock, written lock)
  std::string LockName(const std::string& run_lock) const;  // "" if not in the script
  int clients_count() const { return static_cast<int>(clients.size()); }
};
ScriptNames NamesOf(const Script& script);

// The scenario file text: stable key order, one step per line.
std::string ScriptScenarioText(const Script& script, const std::string& name,
                               const std::string& description, scenario::Expect expect);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_SHRINK_SCRIPT_H_
