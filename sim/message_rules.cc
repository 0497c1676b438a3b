#include "sim/message_rules.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/assert.h"

namespace locksim::sim {
namespace {

constexpr std::array<const char*, kMessageTypeCount> kTypeNames = {"request", "reply", "forward",
                                                                   "forward_reply", "refusal"};

std::string Ordinal(uint32_t n) {
  const char* suffix = "th";
  if (n % 100 < 11 || n % 100 > 13) {
    if (n % 10 == 1) suffix = "st";
    if (n % 10 == 2) suffix = "nd";
    if (n % 10 == 3) suffix = "rd";
  }
  return absl::StrCat(n, suffix);
}

}  // namespace

const char* MessageTypeName(MessageType type) {
  const auto index = static_cast<size_t>(type);
  LOCKSIM_ASSERT(index < kTypeNames.size());
  return kTypeNames[index];
}

std::optional<MessageType> MessageTypeByName(std::string_view name) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (name == kTypeNames[i]) return static_cast<MessageType>(i);
  }
  return std::nullopt;
}

bool MessageSelector::Matches(const MessageKey& key) const {
  return key.type == type && key.client == client && key.call == call &&
         (from < 0 || key.from == from) && (to < 0 || key.to == to);
}

std::string DescribeSelector(const MessageSelector& s) {
  std::string text = s.nth == 1 ? "the " : absl::StrCat("the ", Ordinal(s.nth), " ");
  absl::StrAppend(&text,
                  s.type == MessageType::kForwardReply ? "forward ack" : MessageTypeName(s.type),
                  " of client ", s.client, "'s call ", s.call);
  if (s.from >= 0) absl::StrAppend(&text, " from ", service::NodeName(s.from));
  if (s.to >= 0) absl::StrAppend(&text, " to ", service::NodeName(s.to));
  return text;
}

MessageTraffic::MessageTraffic(std::vector<MessageFateRule> rules) : rules_(std::move(rules)) {
  for (const MessageFateRule& rule : rules_) rule_counts_.push_back(Counted{rule.message});
}

int MessageTraffic::Watch(const MessageSelector& selector) {
  watches_.push_back(Counted{selector});
  return static_cast<int>(watches_.size() - 1);
}

bool MessageTraffic::Selects(Counted& counted, const MessageKey& key) {
  if (!counted.selector.Matches(key)) return false;
  return ++counted.seen == counted.selector.nth;
}

const std::string* MessageTraffic::Sent(const MessageKey& key, uint64_t message_id, Time at,
                                        MessageFate& fate, Duration min_latency) {
  const std::string* applied = nullptr;
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (!Selects(rule_counts_[i], key) || fate.outcome == MessageFate::Outcome::kBlocked) {
      continue;
    }
    const MessageFateRule& rule = rules_[i];
    applied = &rule.label;
    if (rule.lose) {
      fate = MessageFate{MessageFate::Outcome::kDropped, 0, {}};
      continue;
    }
    if (fate.outcome != MessageFate::Outcome::kDelivered) {
      // A rule that does not lose the message delivers it: the rule says what happens to it.
      fate = MessageFate{MessageFate::Outcome::kDelivered, 1, {min_latency, min_latency}};
    }
    if (rule.duplicate && fate.copies == 1) {
      fate.copies = 2;
      fate.latency[1] = min_latency;
    }
    for (size_t copy = 0; copy < 2; ++copy) {
      if (rule.latency[copy].has_value()) fate.latency[copy] = *rule.latency[copy];
    }
  }
  for (size_t i = 0; i < watches_.size(); ++i) {
    if (Selects(watches_[i], key)) watches_by_message_[message_id].push_back(static_cast<int>(i));
  }
  if (log_ != nullptr) {
    log_->push_back(MessageRecord{MessageRecord::Event::kSent, at, message_id, key, fate});
  }
  return applied;
}

Duration MessageTraffic::Refusal(const MessageKey& key, Time at, Duration latency) {
  LOCKSIM_ASSERT(key.type == MessageType::kRefusal);
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (Selects(rule_counts_[i], key) && rules_[i].latency[0].has_value()) {
      latency = *rules_[i].latency[0];
    }
  }
  if (log_ != nullptr) {
    log_->push_back(MessageRecord{MessageRecord::Event::kRefusal, at, 0, key,
                                  MessageFate{MessageFate::Outcome::kDelivered, 1, {latency, {}}}});
  }
  return latency;
}

void MessageTraffic::Handled(const MessageKey& key, uint64_t message_id, Time at) {
  if (log_ != nullptr) {
    log_->push_back(MessageRecord{MessageRecord::Event::kHandled, at, message_id, key, {}});
  }
}

void MessageTraffic::DeafAt(const MessageKey& key, uint64_t message_id, Time at) {
  if (log_ != nullptr) {
    log_->push_back(MessageRecord{MessageRecord::Event::kDeafAt, at, message_id, key, {}});
  }
}

void MessageTraffic::Crashed(service::NodeId node, Time at) {
  if (log_ != nullptr) {
    log_->push_back(
        MessageRecord{MessageRecord::Event::kCrashed, at, 0, MessageKey{.from = node}, {}});
  }
}

const std::vector<int>& MessageTraffic::WatchesOf(uint64_t message_id) const {
  static const std::vector<int> kNone;
  if (watches_by_message_.empty()) return kNone;
  const auto it = watches_by_message_.find(message_id);
  return it == watches_by_message_.end() ? kNone : it->second;
}

}  // namespace locksim::sim
