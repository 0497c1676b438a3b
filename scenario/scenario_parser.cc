#include "scenario/scenario_parser.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "base/printable.h"
#include "base/status_macros.h"
#include "scenario/json_reader.h"
#include "scenario/json_text_check.h"
#include "scenario/message_rules_parser.h"
#include "service/node_id.h"

namespace locksim::scenario {
namespace {

// Bounds that keep a typo from asking for a run that never ends or never fits in memory.
constexpr int64_t kMaxClients = 1000;
constexpr int64_t kMaxOpsPerClient = 1'000'000;
constexpr int64_t kMaxTotalOps = 10'000'000;
constexpr int64_t kMaxLocks = 10'000;
constexpr int64_t kMaxSteps = 100'000;
constexpr int64_t kMaxFaults = 1000;
constexpr int64_t kMaxTriggerCount = 100'000'000;
const sim::Duration kMaxDuration = sim::Duration::Seconds(24 * 3600);  // one day
constexpr uint64_t kMaxEventsBudget = 1'000'000'000;

class ScenarioParser {
 public:
  explicit ScenarioParser(std::string file) : in_(std::move(file)) {}

  absl::StatusOr<Scenario> Parse(const Json& root) {
    LOCKSIM_RETURN_IF_ERROR(in_.ExpectObject(root, ""));
    LOCKSIM_RETURN_IF_ERROR(
        in_.CheckKeys(root, "",
                      {"name", "description", "seed", "clients", "rpc_timeout_ms", "network",
                       "steps", "workload", "faults", "expect", "budget"}));
    Scenario s;
    s.file = in_.file();
    s.name = std::filesystem::path(in_.file()).stem().string();
    if (root.contains("name")) {
      LOCKSIM_ASSIGN_OR_RETURN(s.name, in_.String(root["name"], "name"));
      if (s.name.empty()) return in_.Error("name", "must not be empty");
    }
    if (root.contains("description")) {
      LOCKSIM_ASSIGN_OR_RETURN(s.description, in_.String(root["description"], "description"));
    }
    if (root.contains("seed")) {
      LOCKSIM_ASSIGN_OR_RETURN(s.seed, in_.Unsigned(root["seed"], "seed"));
    }
    if (root.contains("clients")) {
      LOCKSIM_ASSIGN_OR_RETURN(const int64_t clients,
                               in_.Integer(root["clients"], "clients", 1, kMaxClients));
      s.clients = static_cast<int>(clients);
    }
    if (root.contains("rpc_timeout_ms")) {
      LOCKSIM_ASSIGN_OR_RETURN(s.rpc_timeout,
                               in_.Millis(root["rpc_timeout_ms"], "rpc_timeout_ms", kMaxDuration));
      if (s.rpc_timeout <= sim::Duration::Micros(0)) {
        return in_.Error("rpc_timeout_ms", "must be greater than 0");
      }
    }
    if (root.contains("network")) LOCKSIM_RETURN_IF_ERROR(ParseNetwork(root["network"], s));
    if (root.contains("budget")) LOCKSIM_RETURN_IF_ERROR(ParseBudget(root["budget"], s));
    if (root.contains("expect")) {
      LOCKSIM_ASSIGN_OR_RETURN(const std::string expect, in_.String(root["expect"], "expect"));
      if (const std::optional<Expect> known = ExpectByName(expect)) {
        s.expect = *known;
      } else {
        return in_.Error("expect", absl::StrCat(QuotedPrintable(expect),
                                                " is not an outcome (expected \"pass\" or "
                                                "\"violation\")"));
      }
    }
    const bool has_steps = root.contains("steps");
    const bool has_workload = root.contains("workload");
    if (has_steps == has_workload) {
      return in_.Error("", has_steps ? "give either \"steps\" or \"workload\", not both"
                                     : "expected \"steps\" (a scripted run) or \"workload\" (a "
                                       "random run)");
    }
    if (has_steps) {
      if (root.contains("faults")) {
        return in_.Error("faults",
                         "faults go with a \"workload\"; a scripted run puts "
                         "{\"crash\": ...} and {\"deaf\": ...} among its steps");
      }
      LOCKSIM_RETURN_IF_ERROR(ParseSteps(root["steps"], s));
    } else {
      LOCKSIM_RETURN_IF_ERROR(ParseWorkload(root["workload"], s));
      if (root.contains("faults")) LOCKSIM_RETURN_IF_ERROR(ParseFaults(root["faults"], s));
    }
    return s;
  }

 private:
  absl::Status ParseChannels(const Json& value, const std::string& path,
                             ChannelProbabilities& out) {
    LOCKSIM_RETURN_IF_ERROR(in_.ExpectObject(value, path));
    LOCKSIM_RETURN_IF_ERROR(
        in_.CheckKeys(value, path, {"request", "reply", "forward", "forward_reply"}));
    const std::pair<const char*, sim::Probability*> fields[] = {
        {"request", &out.request},
        {"reply", &out.reply},
        {"forward", &out.forward},
        {"forward_reply", &out.forward_reply}};
    for (const auto& [key, target] : fields) {
      if (!value.contains(key)) continue;
      LOCKSIM_ASSIGN_OR_RETURN(*target, in_.Probability(value[key], Child(path, key)));
    }
    return absl::OkStatus();
  }

  absl::Status ParseNetwork(const Json& value, Scenario& s) {
    LOCKSIM_RETURN_IF_ERROR(in_.ExpectObject(value, "network"));
    LOCKSIM_RETURN_IF_ERROR(
        in_.CheckKeys(value, "network", {"latency_ms", "drop", "duplicate", "messages"}));
    if (value.contains("latency_ms")) {
      if (!value["latency_ms"].is_object()) {
        return in_.Error("network.latency_ms", "expected {\"min\": a, \"max\": b}");
      }
      LOCKSIM_ASSIGN_OR_RETURN(
          s.network.latency,
          in_.MillisOrRange(value["latency_ms"], "network.latency_ms", kMaxDuration));
    }
    if (value.contains("drop")) {
      LOCKSIM_RETURN_IF_ERROR(ParseChannels(value["drop"], "network.drop", s.network.drop));
    }
    if (value.contains("duplicate")) {
      LOCKSIM_RETURN_IF_ERROR(
          ParseChannels(value["duplicate"], "network.duplicate", s.network.duplicate));
    }
    if (value.contains("messages")) {
      LOCKSIM_ASSIGN_OR_RETURN(
          s.network.messages,
          ParseMessageRules(in_, value["messages"], "network.messages", s.clients));
    }
    return absl::OkStatus();
  }

  absl::Status ParseBudget(const Json& value, Scenario& s) {
    LOCKSIM_RETURN_IF_ERROR(in_.ExpectObject(value, "budget"));
    LOCKSIM_RETURN_IF_ERROR(in_.CheckKeys(value, "budget", {"max_events", "max_time_ms"}));
    if (value.contains("max_events")) {
      LOCKSIM_ASSIGN_OR_RETURN(const int64_t events,
                               in_.Integer(value["max_events"], "budget.max_events", 1,
                                           static_cast<int64_t>(kMaxEventsBudget)));
      s.budget.max_events = static_cast<uint64_t>(events);
    }
    if (value.contains("max_time_ms")) {
      LOCKSIM_ASSIGN_OR_RETURN(s.budget.max_time,
                               in_.Millis(value["max_time_ms"], "budget.max_time_ms",
                                          sim::Duration::Seconds(30 * 24 * 3600)));
    }
    return absl::OkStatus();
  }

  // "primary" or "backup", as a node id.
  absl::StatusOr<service::NodeId> ParseServer(const Json& value, const std::string& path,
                                              int clients) {
    LOCKSIM_ASSIGN_OR_RETURN(const std::string name, in_.String(value, path));
    const absl::StatusOr<service::NodeId> node = service::ParseNodeName(name, clients);
    if (node.ok() && service::IsServerNode(*node)) return *node;
    return in_.Error(path, absl::StrCat(QuotedPrintable(name),
                                        " is not a server (expected \"primary\" or \"backup\")"));
  }

  absl::Status ParseSteps(const Json& value, Scenario& s) {
    if (!value.is_array()) {
      return in_.Error("steps", absl::StrCat("expected an array, found ", TypeName(value)));
    }
    if (value.empty()) return in_.Error("steps", "expected at least one step");
    if (value.size() > static_cast<size_t>(kMaxSteps)) {
      return in_.Error("steps", absl::StrCat("too many steps (at most ", kMaxSteps, ")"));
    }
    for (size_t i = 0; i < value.size(); ++i) {
      LOCKSIM_ASSIGN_OR_RETURN(Step step, ParseStep(value[i], Element("steps", i), s.clients));
      s.steps.push_back(std::move(step));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Step> ParseStep(const Json& value, const std::string& path, int clients) {
    LOCKSIM_RETURN_IF_ERROR(in_.ExpectObject(value, path));
    LOCKSIM_RETURN_IF_ERROR(in_.CheckKeys(value, path,
                                          {"client", "lock", "unlock", "expect", "async", "crash",
                                           "deaf", "sleep_ms", "wait_for", "after", "at"}));
    std::vector<std::string> actions;
    for (const char* action : {"lock", "unlock", "crash", "deaf", "sleep_ms", "wait_for"}) {
      if (value.contains(action)) actions.push_back(action);
    }
    if (actions.size() != 1) {
      return in_.Error(path, actions.empty()
                                 ? "expected one action: lock, unlock, crash, deaf, sleep_ms or "
                                   "wait_for"
                                 : absl::StrCat("expected one action, found ", actions.size(), " (",
                                                actions[0], " and ", actions[1], ")"));
    }
    const std::string& action = actions[0];
    for (const auto& [key, owner] : {std::pair{"after", "crash"}, std::pair{"at", "deaf"}}) {
      if (value.contains(key) && action != owner) {
        return in_.Error(Child(path, key),
                         absl::StrCat("only a ", owner, " step takes \"", key, "\""));
      }
    }
    if (action != "lock" && action != "unlock") {
      for (const char* key : {"client", "expect", "async"}) {
        if (value.contains(key)) {
          return in_.Error(Child(path, key),
                           absl::StrCat("only lock and unlock steps take \"", key, "\""));
        }
      }
      if (action == "crash") {
        CrashStep crash;
        LOCKSIM_ASSIGN_OR_RETURN(crash.server,
                                 ParseServer(value["crash"], Child(path, "crash"), clients));
        if (value.contains("after")) {
          LOCKSIM_ASSIGN_OR_RETURN(
              crash.after,
              ParseCrashAnchor(in_, value["after"], Child(path, "after"), crash.server, clients));
        }
        return Step{crash};
      }
      if (action == "deaf") {
        DeafStep deaf;
        LOCKSIM_ASSIGN_OR_RETURN(deaf.server,
                                 ParseServer(value["deaf"], Child(path, "deaf"), clients));
        if (value.contains("at")) {
          LOCKSIM_ASSIGN_OR_RETURN(
              deaf.at, ParseDeafAnchor(in_, value["at"], Child(path, "at"), deaf.server, clients));
        }
        return Step{deaf};
      }
      if (action == "wait_for") {
        LOCKSIM_ASSIGN_OR_RETURN(const int client,
                                 ParseClient(value["wait_for"], Child(path, "wait_for"), clients));
        return Step{WaitStep{client}};
      }
      LOCKSIM_ASSIGN_OR_RETURN(
          const sim::Duration d,
          in_.Millis(value["sleep_ms"], Child(path, "sleep_ms"), kMaxDuration));
      return Step{SleepStep{d}};
    }
    CallStep call;
    call.op = action == "lock" ? service::OpKind::kLock : service::OpKind::kUnlock;
    LOCKSIM_ASSIGN_OR_RETURN(call.lock, in_.String(value[action], Child(path, action)));
    if (call.lock.empty()) return in_.Error(Child(path, action), "a lock name must not be empty");
    if (!value.contains("client")) return in_.Error(path, "a lock or unlock step needs \"client\"");
    LOCKSIM_ASSIGN_OR_RETURN(call.client,
                             ParseClient(value["client"], Child(path, "client"), clients));
    if (value.contains("expect")) {
      LOCKSIM_ASSIGN_OR_RETURN(call.expect, in_.Bool(value["expect"], Child(path, "expect")));
    }
    if (value.contains("async")) {
      LOCKSIM_ASSIGN_OR_RETURN(call.async, in_.Bool(value["async"], Child(path, "async")));
    }
    return Step{std::move(call)};
  }

  absl::StatusOr<int> ParseClient(const Json& value, const std::string& path, int clients) {
    if (!value.is_number_integer() && !value.is_number_unsigned()) {
      return in_.Error(path, absl::StrCat("expected a client number, found ", TypeName(value)));
    }
    if (value.is_number_integer() && value.get<int64_t>() < 0) {
      return in_.Error(
          path, absl::StrCat("client ", value.dump(), " does not exist (clients: ", clients, ")"));
    }
    const uint64_t client = value.get<uint64_t>();
    if (client >= static_cast<uint64_t>(clients)) {
      return in_.Error(
          path, absl::StrCat("client ", value.dump(), " does not exist (clients: ", clients, ")"));
    }
    return static_cast<int>(client);
  }

  absl::Status ParseWorkload(const Json& value, Scenario& s) {
    const std::string path = "workload";
    LOCKSIM_RETURN_IF_ERROR(in_.ExpectObject(value, path));
    LOCKSIM_RETURN_IF_ERROR(
        in_.CheckKeys(value, path, {"ops_per_client", "locks", "unlock_fraction", "think_ms"}));
    Workload w;
    if (!value.contains("ops_per_client")) return in_.Error(path, "needs \"ops_per_client\"");
    LOCKSIM_ASSIGN_OR_RETURN(
        w.ops_per_client,
        in_.Integer(value["ops_per_client"], Child(path, "ops_per_client"), 1, kMaxOpsPerClient));
    if (w.ops_per_client * s.clients > kMaxTotalOps) {
      return in_.Error(Child(path, "ops_per_client"),
                       absl::StrCat(w.ops_per_client, " operations x ", s.clients,
                                    " clients is more than ", kMaxTotalOps, " in one run"));
    }
    const Json default_locks(1);
    const Json& locks = value.contains("locks") ? value["locks"] : default_locks;
    const std::string locks_path = Child(path, "locks");
    if (locks.is_array()) {
      if (locks.empty() || locks.size() > static_cast<size_t>(kMaxLocks)) {
        return in_.Error(locks_path, absl::StrCat("expected 1 to ", kMaxLocks, " lock names"));
      }
      std::set<std::string> seen;
      for (size_t i = 0; i < locks.size(); ++i) {
        LOCKSIM_ASSIGN_OR_RETURN(std::string name, in_.String(locks[i], Element(locks_path, i)));
        if (name.empty()) return in_.Error(Element(locks_path, i), "must not be empty");
        if (!seen.insert(name).second) {
          return in_.Error(Element(locks_path, i),
                           absl::StrCat(QuotedPrintable(name), " appears twice"));
        }
        w.locks.push_back(std::move(name));
      }
    } else {
      LOCKSIM_ASSIGN_OR_RETURN(const int64_t count, in_.Integer(locks, locks_path, 1, kMaxLocks));
      for (int64_t i = 0; i < count; ++i) w.locks.push_back(absl::StrCat("l", i));
    }
    w.unlock_fraction = sim::Probability::FromDouble(0.5);
    if (value.contains("unlock_fraction")) {
      LOCKSIM_ASSIGN_OR_RETURN(w.unlock_fraction, in_.Probability(value["unlock_fraction"],
                                                                  Child(path, "unlock_fraction")));
    }
    if (value.contains("think_ms")) {
      LOCKSIM_ASSIGN_OR_RETURN(
          w.think, in_.MillisOrRange(value["think_ms"], Child(path, "think_ms"), kMaxDuration));
    }
    s.workload = std::move(w);
    return absl::OkStatus();
  }

  absl::Status ParseFaults(const Json& value, Scenario& s) {
    if (!value.is_array()) {
      return in_.Error("faults", absl::StrCat("expected an array, found ", TypeName(value)));
    }
    if (value.size() > static_cast<size_t>(kMaxFaults)) {
      return in_.Error("faults", absl::StrCat("too many faults (at most ", kMaxFaults, ")"));
    }
    for (size_t i = 0; i < value.size(); ++i) {
      LOCKSIM_ASSIGN_OR_RETURN(Fault fault, ParseFault(value[i], Element("faults", i), s));
      s.faults.push_back(std::move(fault));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Fault> ParseFault(const Json& value, const std::string& path, const Scenario& s) {
    LOCKSIM_RETURN_IF_ERROR(in_.ExpectObject(value, path));
    LOCKSIM_RETURN_IF_ERROR(in_.CheckKeys(value, path,
                                          {"crash", "deaf", "partition", "at_ms", "after_messages",
                                           "after_forwards", "heal_after_ms", "one_way"}));
    const int kinds = static_cast<int>(value.contains("crash")) +
                      static_cast<int>(value.contains("deaf")) +
                      static_cast<int>(value.contains("partition"));
    if (kinds != 1) {
      return in_.Error(path, "expected exactly one of \"crash\", \"deaf\" or \"partition\"");
    }
    if (value.contains("crash")) return ParseCrashFault(value, path);
    for (const char* key : {"after_messages", "after_forwards"}) {
      if (value.contains(key)) {
        return in_.Error(Child(path, key), "only a crash takes this trigger");
      }
    }
    if (!value.contains("at_ms")) return in_.Error(path, "needs \"at_ms\" (when it starts)");
    LOCKSIM_ASSIGN_OR_RETURN(const sim::DurationRange at,
                             in_.MillisOrRange(value["at_ms"], Child(path, "at_ms"), kMaxDuration));
    if (value.contains("deaf")) {
      for (const char* key : {"heal_after_ms", "one_way"}) {
        if (value.contains(key)) return in_.Error(Child(path, key), "only a partition takes this");
      }
      LOCKSIM_ASSIGN_OR_RETURN(const service::NodeId server,
                               ParseServer(value["deaf"], Child(path, "deaf"), s.clients));
      return Fault{DeafAtFault{server, at}};
    }
    PartitionFault partition;
    partition.at = at;
    const Json& groups = value["partition"];
    const std::string groups_path = Child(path, "partition");
    if (!groups.is_array() || groups.size() != 2) {
      return in_.Error(groups_path,
                       "expected two groups of node names, e.g. [[\"primary\"], "
                       "[\"backup\"]]");
    }
    for (size_t g = 0; g < 2; ++g) {
      const std::string group_path = Element(groups_path, g);
      if (!groups[g].is_array() || groups[g].empty()) {
        return in_.Error(group_path, "expected a non-empty array of node names");
      }
      for (size_t i = 0; i < groups[g].size(); ++i) {
        const std::string name_path = Element(group_path, i);
        LOCKSIM_ASSIGN_OR_RETURN(const std::string name, in_.String(groups[g][i], name_path));
        LOCKSIM_ASSIGN_OR_RETURN(PartitionMember member,
                                 ParsePartitionMember(name, name_path, s.clients));
        partition.groups[g].push_back(member);
      }
    }
    if (value.contains("heal_after_ms")) {
      LOCKSIM_ASSIGN_OR_RETURN(
          partition.heal_after,
          in_.MillisOrRange(value["heal_after_ms"], Child(path, "heal_after_ms"), kMaxDuration));
    }
    if (value.contains("one_way")) {
      LOCKSIM_ASSIGN_OR_RETURN(partition.one_way,
                               in_.Bool(value["one_way"], Child(path, "one_way")));
    }
    return Fault{std::move(partition)};
  }

  // A node name, or "clients" for every client.
  absl::StatusOr<PartitionMember> ParsePartitionMember(const std::string& name,
                                                       const std::string& path, int clients) {
    if (name == "clients") return PartitionMember{.all_clients = true};
    const absl::StatusOr<service::NodeId> node = service::ParseNodeName(name, clients);
    if (node.ok()) return PartitionMember{.node = *node};
    // A client name beyond the run's clients: the message says which and how many there are.
    if (absl::IsOutOfRange(node.status()))
      return in_.Error(path, std::string(node.status().message()));
    return in_.Error(path, absl::StrCat(QuotedPrintable(name),
                                        " is not a node (expected \"primary\", "
                                        "\"backup\", \"clients\" or \"client<i>\")"));
  }

  absl::StatusOr<Fault> ParseCrashFault(const Json& value, const std::string& path) {
    for (const char* key : {"heal_after_ms", "one_way"}) {
      if (value.contains(key)) return in_.Error(Child(path, key), "only a partition takes this");
    }
    LOCKSIM_ASSIGN_OR_RETURN(const std::string who,
                             in_.String(value["crash"], Child(path, "crash")));
    CrashTarget target;
    if (who == "primary") {
      target = CrashTarget::kPrimary;
    } else if (who == "backup") {
      target = CrashTarget::kBackup;
    } else if (who == "either") {
      target = CrashTarget::kEither;
    } else {
      return in_.Error(Child(path, "crash"), absl::StrCat(QuotedPrintable(who),
                                                          " is not a server (expected \"primary\", "
                                                          "\"backup\" or \"either\")"));
    }
    const int triggers = static_cast<int>(value.contains("at_ms")) +
                         static_cast<int>(value.contains("after_messages")) +
                         static_cast<int>(value.contains("after_forwards"));
    if (triggers != 1) {
      return in_.Error(path,
                       "a crash needs exactly one trigger: \"at_ms\", \"after_messages\" "
                       "or \"after_forwards\"");
    }
    if (value.contains("at_ms")) {
      LOCKSIM_ASSIGN_OR_RETURN(
          const sim::DurationRange at,
          in_.MillisOrRange(value["at_ms"], Child(path, "at_ms"), kMaxDuration));
      return Fault{CrashAtFault{target, at}};
    }
    if (value.contains("after_messages")) {
      LOCKSIM_ASSIGN_OR_RETURN(
          const auto count, in_.IntegerOrRange(value["after_messages"],
                                               Child(path, "after_messages"), 1, kMaxTriggerCount));
      return Fault{CrashAfterMessagesFault{target, static_cast<uint64_t>(count.first),
                                           static_cast<uint64_t>(count.second)}};
    }
    if (target != CrashTarget::kPrimary) {
      return in_.Error(Child(path, "after_forwards"), "only the primary sends forwards");
    }
    LOCKSIM_ASSIGN_OR_RETURN(
        const auto count, in_.IntegerOrRange(value["after_forwards"], Child(path, "after_forwards"),
                                             1, kMaxTriggerCount));
    return Fault{CrashAfterForwardsFault{static_cast<uint64_t>(count.first),
                                         static_cast<uint64_t>(count.second)}};
  }

  JsonReader in_;
};

}  // namespace

absl::StatusOr<Scenario> ParseScenario(std::string_view json_text, std::string_view file_path) {
  const std::string file(file_path);
  const JsonReader reader(file);
  // Everything nlohmann would take silently or could not survive (size, NUL bytes, syntax,
  // numbers beyond a double, depth, repeated keys) is refused here, with its path.
  if (const std::optional<JsonTextProblem> problem = CheckJsonText(json_text)) {
    return reader.Error(problem->path, problem->what);
  }
  Json root;
  try {
    root = Json::parse(json_text);
  } catch (const Json::exception& e) {
    // CheckJsonText refuses whatever makes nlohmann throw; should it miss a case, the text is
    // still bad input, never a crash.
    return reader.Error("", absl::StrCat("not valid JSON: ", Printable(e.what())));
  }
  return ScenarioParser(file).Parse(root);
}

absl::StatusOr<Scenario> LoadScenario(const std::string& file_path) {
  std::error_code error;
  if (std::filesystem::is_directory(file_path, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Printable(file_path), ": is a directory, not a scenario"));
  }
  std::ifstream in(file_path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(Printable(file_path), ": cannot read the file"));
  }
  // Read in chunks and stop one byte past the limit, so that a huge file, a device or a pipe
  // that never ends is refused without being read whole.
  std::string text;
  char chunk[64 * 1024];
  while (text.size() <= kMaxScenarioBytes && in.read(chunk, sizeof chunk).gcount() > 0) {
    text.append(chunk, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) {
    return absl::NotFoundError(absl::StrCat(Printable(file_path), ": cannot read the file"));
  }
  if (text.size() > kMaxScenarioBytes) {
    return absl::InvalidArgumentError(absl::StrCat(Printable(file_path),
                                                   ": (root): larger than a scenario file may be "
                                                   "(at most ",
                                                   kMaxScenarioBytes >> 20, " MiB)"));
  }
  return ParseScenario(text, file_path);
}

}  // namespace locksim::scenario
