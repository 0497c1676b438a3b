// The simulated network's fault model: for each message it decides whether it is lost, blocked by
// a partition or delivered (once or twice), and after what one-way latency. It knows nothing of
// what messages mean; the world classifies each message into a channel and schedules what this
// decides. Delivery order follows the drawn latencies, so interleavings arise naturally.
#ifndef LOCKSIM_SIM_NETWORK_H_
#define LOCKSIM_SIM_NETWORK_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/decisions.h"
#include "sim/prng.h"
#include "sim/probability.h"
#include "sim/time.h"

namespace locksim::sim {

// The four channels of a scenario's `network.drop` and `network.duplicate`
// (docs/scenario-format.md).
enum class Channel : uint8_t {
  kRequest = 0,       // client -> server
  kReply = 1,         // server -> client
  kForward = 2,       // primary -> backup
  kForwardReply = 3,  // backup -> primary
};
inline constexpr size_t kChannelCount = 4;
const char* ChannelName(Channel channel);

struct ChannelFaults {
  Probability drop;
  Probability duplicate;
  bool operator==(const ChannelFaults&) const = default;
};

struct NetworkConfig {
  DurationRange latency{Duration::Millis(1), Duration::Millis(1)};
  std::array<ChannelFaults, kChannelCount> channels{};
};

// What happens to one message.
struct MessageFate {
  enum class Outcome : uint8_t { kDelivered, kDropped, kBlocked };
  Outcome outcome = Outcome::kDelivered;
  int copies = 0;  // 1, or 2 when duplicated; 0 when not delivered
  std::array<Duration, 2> latency{};
};

// Every drop, duplicate and latency is a decision (sim/decisions.h) on the link's stream, taken in
// this order per message: drop; then, if delivered, duplicate; then one latency per copy. In random
// mode each takes exactly the draw it always took from `rng`.
class Network {
 public:
  // `node_count` nodes with ids 0..node_count-1.
  Network(const NetworkConfig& config, size_t node_count, Prng rng, Decisions decisions = {});
  // A copy of `other` (its partitions and PRNG state) whose decisions go to `decisions`.
  Network(const Network& other, Decisions decisions) : Network(other) { decisions_ = decisions; }

  MessageFate Decide(int32_t from, int32_t to, Channel channel);
  // The latency of a "connection refused" notice from `from` (the crashed callee) to `to`:
  // traffic the fault model does not touch.
  Duration RefusalLatency(int32_t from, int32_t to);

  // Partitions: a set of blocked directed links, changeable during a run.
  void SetBlocked(int32_t from, int32_t to, bool blocked);
  bool IsBlocked(int32_t from, int32_t to) const;

  const NetworkConfig& config() const { return config_; }

 private:
  size_t LinkIndex(int32_t from, int32_t to) const;

  NetworkConfig config_;
  size_t node_count_;
  // One latency decision: its offset above the range's minimum.
  Duration DecideLatency(DecisionStream stream, DecisionKind kind);

  std::vector<uint8_t> blocked_;  // node_count x node_count matrix; ordered, never hashed
  Prng rng_;
  Decisions decisions_;
};

}  // namespace locksim::sim

#endif  // LOCKSIM_SIM_NETWORK_H_
