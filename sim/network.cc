#include "sim/network.h"

#include "base/assert.h"

namespace locksim::sim {

const char* ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kRequest:
      return "request";
    case Channel::kReply:
      return "reply";
    case Channel::kForward:
      return "forward";
    case Channel::kForwardReply:
      return "forward_reply";
  }
  return "?";
}

Network::Network(const NetworkConfig& config, size_t node_count, Prng rng, Decisions decisions)
    : config_(config),
      node_count_(node_count),
      blocked_(node_count * node_count, 0),
      rng_(rng),
      decisions_(decisions) {
  LOCKSIM_ASSERT(config.latency.min <= config.latency.max);
  LOCKSIM_ASSERT(config.latency.min >= Duration::Micros(0));
}

size_t Network::LinkIndex(int32_t from, int32_t to) const {
  LOCKSIM_ASSERT(from >= 0 && static_cast<size_t>(from) < node_count_);
  LOCKSIM_ASSERT(to >= 0 && static_cast<size_t>(to) < node_count_);
  return static_cast<size_t>(from) * node_count_ + static_cast<size_t>(to);
}

MessageFate Network::Decide(int32_t from, int32_t to, Channel channel) {
  MessageFate fate;
  // A blocked link loses the message without a draw, so a partition that starts or heals does
  // not shift the stream for the messages that do get through.
  if (blocked_[LinkIndex(from, to)]) {
    fate.outcome = MessageFate::Outcome::kBlocked;
    return fate;
  }
  const ChannelFaults& faults = config_.channels[static_cast<size_t>(channel)];
  if (decisions_.plain()) [[likely]] {
    // Random mode without recording (every sweep): the natural values of the decisions below,
    // drawn directly. Recording takes the path below with the same draws, and the replay tests
    // compare the two runs' fingerprints for every shipped scenario.
    if (rng_.Chance(faults.drop)) {
      fate.outcome = MessageFate::Outcome::kDropped;
      return fate;
    }
    fate.copies = rng_.Chance(faults.duplicate) ? 2 : 1;
    for (int i = 0; i < fate.copies; ++i) {
      fate.latency[static_cast<size_t>(i)] = rng_.DurationIn(config_.latency);
    }
    return fate;
  }
  const DecisionStream link = DecisionStream::Link(from, to);
  if (decisions_.DecideYes(link, DecisionKind::kDrop, [&] { return rng_.Chance(faults.drop); })) {
    fate.outcome = MessageFate::Outcome::kDropped;
    return fate;
  }
  fate.copies = decisions_.DecideYes(link, DecisionKind::kDuplicate,
                                     [&] { return rng_.Chance(faults.duplicate); })
                    ? 2
                    : 1;
  for (int i = 0; i < fate.copies; ++i) {
    fate.latency[static_cast<size_t>(i)] = DecideLatency(link, DecisionKind::kLatency);
  }
  return fate;
}

Duration Network::RefusalLatency(int32_t from, int32_t to) {
  return DecideLatency(DecisionStream::Link(from, to), DecisionKind::kRefusalLatency);
}

Duration Network::DecideLatency(DecisionStream stream, DecisionKind kind) {
  return DecideDuration(decisions_, stream, kind, config_.latency, rng_);
}

void Network::SetBlocked(int32_t from, int32_t to, bool blocked) {
  blocked_[LinkIndex(from, to)] = blocked ? 1 : 0;
}

bool Network::IsBlocked(int32_t from, int32_t to) const {
  return blocked_[LinkIndex(from, to)] != 0;
}

}  // namespace locksim::sim
