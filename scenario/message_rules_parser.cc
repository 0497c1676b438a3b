#include "scenario/message_rules_parser.h"

#include <initializer_list>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace locksim::scenario {
namespace {

using service::kBackupNode;
using service::kPrimaryNode;
using service::NodeId;
using sim::MessageSelector;
using sim::MessageType;

// Bounds that keep a typo from naming a message no run can have.
constexpr int64_t kMaxCall = 10'000'000;  // a client's calls: at most the scenario's total
constexpr int64_t kMaxNth = 1'000'000;
constexpr size_t kMaxRules = 100'000;
const sim::Duration kMaxLatency = sim::Duration::Seconds(24 * 3600);  // one day

absl::StatusOr<NodeId> ParseNode(const JsonReader& in, const Json& value, const std::string& path,
                                 int clients) {
  LOCKSIM_ASSIGN_OR_RETURN(const std::string name, in.String(value, path));
  const absl::StatusOr<NodeId> node = service::ParseNodeName(name, clients);
  if (node.ok()) return *node;
  if (absl::IsOutOfRange(node.status()))
    return in.Error(path, std::string(node.status().message()));
  return in.Error(path, absl::StrCat("\"", name,
                                     "\" is not a node (expected \"primary\", \"backup\" or "
                                     "\"client<i>\")"));
}

// `node` (given) must be one of `allowed`; `what` says what the field must be, for the message.
absl::Status ExpectEndpoint(const JsonReader& in, const std::string& path, NodeId node,
                            std::initializer_list<NodeId> allowed, const std::string& what) {
  if (node < 0) return absl::OkStatus();
  for (NodeId ok : allowed) {
    if (node == ok) return absl::OkStatus();
  }
  return in.Error(path, absl::StrCat(service::NodeName(node), " cannot be the ", what));
}

// A message of `selector.type` goes between these nodes: checks the given from/to.
absl::Status CheckEndpoints(const JsonReader& in, const std::string& path,
                            const MessageSelector& s) {
  const NodeId client = service::ClientNode(s.client);
  const std::string from = Child(path, "from");
  const std::string to = Child(path, "to");
  const std::string type = sim::MessageTypeName(s.type);
  const std::string call = absl::StrCat("client ", s.client, "'s call");
  switch (s.type) {
    case MessageType::kRequest:
      LOCKSIM_RETURN_IF_ERROR(ExpectEndpoint(in, from, s.from, {client},
                                             absl::StrCat("sender of a request of ", call)));
      return ExpectEndpoint(in, to, s.to, {kPrimaryNode, kBackupNode},
                            "receiver of a request (a server)");
    case MessageType::kReply:
      LOCKSIM_RETURN_IF_ERROR(ExpectEndpoint(in, from, s.from, {kPrimaryNode, kBackupNode},
                                             "sender of a reply (a server)"));
      return ExpectEndpoint(in, to, s.to, {client}, absl::StrCat("receiver of a reply to ", call));
    case MessageType::kForward:
      LOCKSIM_RETURN_IF_ERROR(
          ExpectEndpoint(in, from, s.from, {kPrimaryNode}, "sender of a forward (the primary)"));
      return ExpectEndpoint(in, to, s.to, {kBackupNode}, "receiver of a forward (the backup)");
    case MessageType::kForwardReply:
      LOCKSIM_RETURN_IF_ERROR(ExpectEndpoint(in, from, s.from, {kBackupNode},
                                             "sender of a forward_reply (the backup)"));
      return ExpectEndpoint(in, to, s.to, {kPrimaryNode},
                            "receiver of a forward_reply (the primary)");
    case MessageType::kRefusal:
      // The refused callee tells the caller: a server to the client, or the backup to the primary
      // (a refused forward).
      LOCKSIM_RETURN_IF_ERROR(ExpectEndpoint(in, from, s.from, {kPrimaryNode, kBackupNode},
                                             "sender of a refusal (the refused server)"));
      LOCKSIM_RETURN_IF_ERROR(
          ExpectEndpoint(in, to, s.to, {client, kPrimaryNode},
                         absl::StrCat("receiver of a refusal of ", call, " (client", s.client,
                                      ", or the primary for a forward)")));
      if (s.from == kPrimaryNode && s.to == kPrimaryNode) {
        return in.Error(to, "the primary cannot refuse itself");
      }
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

// The fields every named message has; `keys` lists every key the object may have.
absl::StatusOr<MessageSelector> ParseSelector(const JsonReader& in, const Json& value,
                                              const std::string& path, int clients,
                                              std::initializer_list<const char*> keys) {
  LOCKSIM_RETURN_IF_ERROR(in.ExpectObject(value, path));
  LOCKSIM_RETURN_IF_ERROR(in.CheckKeys(value, path, keys));
  for (const char* key : {"message", "client", "call"}) {
    if (!value.contains(key)) {
      return in.Error(path, absl::StrCat("a named message needs \"", key,
                                         "\" (e.g. {\"message\": \"reply\", \"client\": 0, "
                                         "\"call\": 1})"));
    }
  }
  MessageSelector s;
  LOCKSIM_ASSIGN_OR_RETURN(const std::string type,
                           in.String(value["message"], Child(path, "message")));
  if (const std::optional<MessageType> known = sim::MessageTypeByName(type)) {
    s.type = *known;
  } else {
    return in.Error(Child(path, "message"),
                    absl::StrCat("\"", type,
                                 "\" is not a message type (expected request, reply, forward, "
                                 "forward_reply or refusal)"));
  }
  const Json& client = value["client"];
  const std::string client_path = Child(path, "client");
  if (!client.is_number_integer() && !client.is_number_unsigned()) {
    return in.Error(client_path,
                    absl::StrCat("expected a client number, found ", TypeName(client)));
  }
  if ((client.is_number_integer() && client.get<int64_t>() < 0) ||
      client.get<uint64_t>() >= static_cast<uint64_t>(clients)) {
    return in.Error(client_path, absl::StrCat("client ", client.dump(),
                                              " does not exist (clients: ", clients, ")"));
  }
  s.client = static_cast<service::ClientId>(client.get<uint64_t>());
  LOCKSIM_ASSIGN_OR_RETURN(const int64_t call,
                           in.Integer(value["call"], Child(path, "call"), 1, kMaxCall));
  s.call = static_cast<uint64_t>(call);
  if (value.contains("from")) {
    LOCKSIM_ASSIGN_OR_RETURN(s.from, ParseNode(in, value["from"], Child(path, "from"), clients));
  }
  if (value.contains("to")) {
    LOCKSIM_ASSIGN_OR_RETURN(s.to, ParseNode(in, value["to"], Child(path, "to"), clients));
  }
  if (value.contains("nth")) {
    LOCKSIM_ASSIGN_OR_RETURN(const int64_t nth,
                             in.Integer(value["nth"], Child(path, "nth"), 1, kMaxNth));
    s.nth = static_cast<uint32_t>(nth);
  }
  LOCKSIM_RETURN_IF_ERROR(CheckEndpoints(in, path, s));
  return s;
}

constexpr std::initializer_list<const char*> kSelectorKeys = {"message", "client", "call",
                                                              "from",    "to",     "nth"};

absl::StatusOr<sim::MessageFateRule> ParseRule(const JsonReader& in, const Json& value,
                                               const std::string& path, int clients) {
  sim::MessageFateRule rule;
  LOCKSIM_ASSIGN_OR_RETURN(rule.message, ParseSelector(in, value, path, clients,
                                                       {"message", "client", "call", "from", "to",
                                                        "nth", "lose", "duplicate", "latency_ms"}));
  rule.label = path;
  if (value.contains("lose")) {
    LOCKSIM_ASSIGN_OR_RETURN(rule.lose, in.Bool(value["lose"], Child(path, "lose")));
  }
  if (value.contains("duplicate")) {
    LOCKSIM_ASSIGN_OR_RETURN(rule.duplicate, in.Bool(value["duplicate"], Child(path, "duplicate")));
  }
  const bool has_latency = value.contains("latency_ms");
  if (!rule.lose && !rule.duplicate && !has_latency) {
    return in.Error(path,
                    "say what happens to the message: \"lose\": true, \"duplicate\": true or "
                    "\"latency_ms\"");
  }
  if (rule.message.type == MessageType::kRefusal && (rule.lose || rule.duplicate)) {
    return in.Error(Child(path, rule.lose ? "lose" : "duplicate"),
                    "a refusal (a refused connection) can only be delayed: give \"latency_ms\"");
  }
  if (rule.lose && (rule.duplicate || has_latency)) {
    return in.Error(Child(path, rule.duplicate ? "duplicate" : "latency_ms"),
                    "a lost message is neither duplicated nor delayed");
  }
  if (has_latency) {
    const Json& latency = value["latency_ms"];
    const std::string latency_path = Child(path, "latency_ms");
    if (latency.is_array()) {
      if (!rule.duplicate || latency.size() != 2) {
        return in.Error(latency_path,
                        "a list gives the two copies of a duplicated message: [first, second] "
                        "with \"duplicate\": true");
      }
      for (size_t copy = 0; copy < 2; ++copy) {
        LOCKSIM_ASSIGN_OR_RETURN(
            rule.latency[copy], in.Millis(latency[copy], Element(latency_path, copy), kMaxLatency));
      }
    } else {
      LOCKSIM_ASSIGN_OR_RETURN(rule.latency[0], in.Millis(latency, latency_path, kMaxLatency));
      if (rule.duplicate) rule.latency[1] = rule.latency[0];
    }
  }
  return rule;
}

}  // namespace

absl::StatusOr<std::vector<sim::MessageFateRule>> ParseMessageRules(const JsonReader& in,
                                                                    const Json& value,
                                                                    const std::string& path,
                                                                    int clients) {
  if (!value.is_array()) {
    return in.Error(path, absl::StrCat("expected an array, found ", TypeName(value)));
  }
  if (value.size() > kMaxRules) {
    return in.Error(path, absl::StrCat("too many rules (at most ", kMaxRules, ")"));
  }
  std::vector<sim::MessageFateRule> rules;
  for (size_t i = 0; i < value.size(); ++i) {
    LOCKSIM_ASSIGN_OR_RETURN(sim::MessageFateRule rule,
                             ParseRule(in, value[i], Element(path, i), clients));
    rules.push_back(std::move(rule));
  }
  return rules;
}

absl::StatusOr<sim::MessageSelector> ParseCrashAnchor(const JsonReader& in, const Json& value,
                                                      const std::string& path, NodeId server,
                                                      int clients) {
  LOCKSIM_ASSIGN_OR_RETURN(MessageSelector s,
                           ParseSelector(in, value, path, clients, kSelectorKeys));
  const std::string name = service::NodeName(server);
  switch (s.type) {
    case MessageType::kRequest:
      if (s.to >= 0 && s.to != server) {
        return in.Error(Child(path, "to"),
                        absl::StrCat("the ", name, " neither sends nor handles a request to ",
                                     service::NodeName(s.to)));
      }
      s.to = server;
      break;
    case MessageType::kReply:
      if (s.from >= 0 && s.from != server) {
        return in.Error(Child(path, "from"),
                        absl::StrCat("the ", name, " neither sends nor handles a reply from ",
                                     service::NodeName(s.from)));
      }
      s.from = server;
      break;
    case MessageType::kForward:
    case MessageType::kForwardReply:
      break;  // between the two servers: the primary sends one and handles the other
    case MessageType::kRefusal:
      return in.Error(Child(path, "message"),
                      "a server neither sends nor handles a refusal; name a request, reply, "
                      "forward or forward_reply");
  }
  return s;
}

absl::StatusOr<sim::MessageSelector> ParseDeafAnchor(const JsonReader& in, const Json& value,
                                                     const std::string& path, NodeId server,
                                                     int clients) {
  LOCKSIM_ASSIGN_OR_RETURN(MessageSelector s,
                           ParseSelector(in, value, path, clients, kSelectorKeys));
  if (s.type != MessageType::kRequest) {
    return in.Error(Child(path, "message"),
                    "a server turns deaf at a client request: expected \"request\"");
  }
  if (s.to >= 0 && s.to != server) {
    return in.Error(Child(path, "to"), absl::StrCat("the request must go to the ",
                                                    service::NodeName(server), " that turns deaf"));
  }
  s.to = server;
  return s;
}

}  // namespace locksim::scenario
