// Naming a message by what it is rather than when it is sent, and acting on the messages a
// scenario names. "The reply from the primary to client 0's call 2" keeps meaning the same
// message when other clients' calls come and go, which a count of messages on a link does not;
// so scripted scenarios (and the shrinker, which deletes steps from them) name messages this way.
//
// - MessageKey: what one message is: its type, sender and receiver, and the client call it
//   belongs to (a forward and its acknowledgement belong to the call they replicate).
// - MessageSelector: names one message: a type, a call, optionally the sender and the receiver,
//   and which one of the messages matching that (nth, counted from the start of the run: a
//   re-sent request is the 2nd request of its call to that server).
// - MessageFateRule (a scenario's `network.messages`): overrides the network's fate for the
//   message it selects: lost, duplicated, or delivered after a given latency.
// - MessageTraffic: one run's rules, the selectors the harness watches, and an optional log of
//   every message, for the world (sim/world.h) to consult as messages are sent and handled.
//
// None of this is built when a run has no rules, watches or log: random runs and sweeps never
// compute a key.
#ifndef LOCKSIM_SIM_MESSAGE_RULES_H_
#define LOCKSIM_SIM_MESSAGE_RULES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "service/node_id.h"
#include "sim/network.h"
#include "sim/time.h"

namespace locksim::sim {

enum class MessageType : uint8_t {
  kRequest = 0,       // client -> server: a call (re-sent requests carry the same call)
  kReply = 1,         // server -> client
  kForward = 2,       // primary -> backup: one executed call, replicated
  kForwardReply = 3,  // backup -> primary: the forward's acknowledgement
  kRefusal = 4,       // crashed callee -> caller: the "connection refused" notice of a call
};
inline constexpr int kMessageTypeCount = 5;
// "request", "reply", "forward", "forward_reply", "refusal": the names scenario files use.
const char* MessageTypeName(MessageType type);
std::optional<MessageType> MessageTypeByName(std::string_view name);

// What one message is.
struct MessageKey {
  MessageType type = MessageType::kRequest;
  service::NodeId from = -1;
  service::NodeId to = -1;
  service::ClientId client = 0;  // whose call
  uint64_t call = 0;             // the client's call number: 1 for its first call, ...
  bool operator==(const MessageKey&) const = default;
};

// Names one message of a run. `from` and `to` of -1 match any node.
struct MessageSelector {
  MessageType type = MessageType::kRequest;
  service::ClientId client = 0;
  uint64_t call = 1;  // >= 1
  service::NodeId from = -1;
  service::NodeId to = -1;
  uint32_t nth = 1;  // >= 1: the nth message matching the fields above, from the start of the run
  bool operator==(const MessageSelector&) const = default;

  // Whether `key` matches every field but nth.
  bool Matches(const MessageKey& key) const;
};

// "the reply from the primary to client 0's call 2", "the 2nd request of client 1's call 1 to
// the backup": how reports and scenario descriptions say which message.
std::string DescribeSelector(const MessageSelector& selector);

// A scenario's exception to the network's fate for one message (`network.messages[i]`). The
// network still takes its decisions for that message (so the other messages' fates do not
// move); the rule then overrides the outcome.
struct MessageFateRule {
  MessageSelector message;
  bool lose = false;       // lost (not for a refusal, which is not a message on the wire)
  bool duplicate = false;  // delivered twice
  // Latency of the first and of the second copy; a copy without one keeps the network's latency
  // (the range's minimum for a copy the network did not make).
  std::array<std::optional<Duration>, 2> latency;
  std::string label;  // e.g. "network.messages[2]", named in the trace when the rule applies
  bool operator==(const MessageFateRule&) const = default;
};

// One entry of a run's message log (World::LogMessages): a message sent (with the fate the
// network and the rules gave it), a message copy a live node handled, a refusal notice, a server
// turning deaf at a request (`key` is the request), or a node halting (`key.from` is the node).
struct MessageRecord {
  enum class Event : uint8_t { kSent, kHandled, kRefusal, kDeafAt, kCrashed };
  Event event = Event::kSent;
  Time at;
  uint64_t message_id = 0;  // as in the trace's send/deliver records (0 for a refusal)
  MessageKey key;
  MessageFate fate;  // kSent: the message's fate; kRefusal: one copy with the notice's latency
};

// When a watched message reaches a point (World::Watch, WorldObserver::OnWatchedMessage).
enum class WatchedEvent : uint8_t {
  kSent,     // its sender sent it (inside the sender's handler)
  kArrived,  // a copy reached a live receiver, before the receiver handles it
  kHandled,  // the receiver handled that copy (still inside its handler)
};

// The rules, watches and log of one run, consulted by the world for every message when any of
// them is present.
class MessageTraffic {
 public:
  explicit MessageTraffic(std::vector<MessageFateRule> rules);

  // Adds a watched selector; returns its index (0, 1, ...). REQUIRES: before any message.
  int Watch(const MessageSelector& selector);
  // Appends every message event to `log` from now on (it must outlive the run).
  void set_log(std::vector<MessageRecord>* log) { log_ = log; }
  bool logging() const { return log_ != nullptr; }

  // A message was handed to the network with `fate`. Applies the rule that selects it (not to a
  // message a partition blocked), logs it, and notes the watches that select it. Returns the
  // label of the rule that applied, or nullptr.
  const std::string* Sent(const MessageKey& key, uint64_t message_id, Time at, MessageFate& fate,
                          Duration min_latency);
  // A refusal notice of the call `key` names, with the network's `latency`; returns the latency a
  // rule gives it instead, if any.
  Duration Refusal(const MessageKey& key, Time at, Duration latency);
  // A copy of message `message_id` was handled by its receiver.
  void Handled(const MessageKey& key, uint64_t message_id, Time at);
  // For the log only: the receiver of request `key` turned deaf on it; `node` halted.
  void DeafAt(const MessageKey& key, uint64_t message_id, Time at);
  void Crashed(service::NodeId node, Time at);

  // The watches that selected message `message_id` (empty for most messages).
  const std::vector<int>& WatchesOf(uint64_t message_id) const;

 private:
  struct Counted {
    MessageSelector selector;
    uint32_t seen = 0;  // messages matching it so far
  };
  // Counts `key` against `counted`; true when this message is the selected one.
  static bool Selects(Counted& counted, const MessageKey& key);

  std::vector<MessageFateRule> rules_;
  std::vector<Counted> rule_counts_;  // parallel to rules_
  std::vector<Counted> watches_;
  absl::btree_map<uint64_t, std::vector<int>> watches_by_message_;
  std::vector<MessageRecord>* log_ = nullptr;
};

}  // namespace locksim::sim

#endif  // LOCKSIM_SIM_MESSAGE_RULES_H_
