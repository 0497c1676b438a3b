// Every choice a run takes goes through one place: a *decision*, a bounded integer taken at one
// point of the code, labelled with what it decides (DecisionKind) and the *stream* it belongs to
// (DecisionStream). A run is then a pure function of its decision sequence, and where the values
// come from is the run's *source*:
//
// - random mode (no source: `run --seed`, `sweep`): each decision's "natural" value, drawn from the
//   run's forked PRNG streams exactly as before decisions existed, so every seed gives the same
//   run (fingerprint) as it always did;
// - a strategy (`explore`): a DecisionSource that overrides some decisions (a crash here, a lost
//   reply there, a latency from a priority) and lets the rest take their natural value;
// - a replayed list (`run --decisions FILE`, the shrinker): ReplaySource below.
//
// Rules every decision site keeps (docs/architecture.md, "Decisions"):
// 1. Zero is the simplest choice: no drop, no duplicate, the minimum latency (a latency is the
//    offset in µs above the range's minimum), the first lock, Lock rather than Unlock, no more
//    operations, no fault fired, no crash or deaf point here, first-come order. So a shorter list
//    or smaller values tell a simpler story, and "the list ran out" means zero.
// 2. The natural value is < bound. A decision whose bound is 1 has one possible value (0): it is
//    neither recorded nor replayed, but its natural draw still happens in random mode, so the
//    PRNG streams stay as they were.
// 3. Every decision site is taken in every mode, except same-instant order (kSimultaneousOrder),
//    taken only when the source asks for it (WantsOrderDecisions); its value 0 is the first-come
//    order random mode uses, so a list without order decisions replays the same either way.
// 4. Each decision belongs to a stream with its own cursor in replay: editing one stream shifts
//    only that stream's later decisions.
//
// Recording: Decisions::Recording(source, &records) appends every decision taken (bound > 1) to
// `records` in the order taken; DecisionList::FromRecords groups them by stream for replay. The
// JSON form of a list (a "decision file") is runner/decision_file.h.
#ifndef LOCKSIM_SIM_DECISIONS_H_
#define LOCKSIM_SIM_DECISIONS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/functional/function_ref.h"
#include "base/assert.h"
#include "sim/prng.h"
#include "sim/time.h"

namespace locksim::sim {

enum class DecisionKind : uint8_t {
  // Network, stream Link(from, to).
  kDrop = 0,            // 1: the message is lost (natural: the channel's drop probability)
  kDuplicate = 1,       // 1: the message is delivered twice
  kLatency = 2,         // one per delivered copy: µs above the latency range's minimum
  kRefusalLatency = 3,  // the "connection refused" notice's hop, on Link(callee, caller)
  // Workload, stream Workload(client).
  kMoreOperations = 4,  // 1: the client issues another operation (natural: it has ops left)
  kThinkTime = 5,       // µs above think_ms's minimum, before the operation
  kLockChoice = 6,      // index into the workload's locks
  kUnlockChoice = 7,    // 1: Unlock, 0: Lock
  // The fault plan's draws (runner/fault_plan.h), stream Plan().
  kFaultServer = 8,  // "either": 0 primary, 1 backup
  kFaultTime = 9,    // µs above the fault's at_ms minimum
  kFaultCount = 10,  // above the trigger count's minimum
  kFaultHeal = 11,   // µs above heal_after_ms's minimum
  // Firing.
  kFireFault = 12,  // stream Plan(): a timed plan entry fires (natural 1) or not (0)
  // Injection points, stream Injection(server): crash the server right after it handled this
  // message (the first one of the stream is taken at the start of the run: "after 0 messages").
  // Natural: a plan entry `after_messages` says so.
  kCrashAfterHandling = 13,
  // Crash the primary right after it sent this forward (natural: `after_forwards` says so).
  kCrashAfterForward = 14,
  // A client request reaches the server: it turns deaf on it (its reply is lost and it halts).
  // Natural: a `deaf` step or fault armed it.
  kDeafAtRequest = 15,
  // Scheduling, stream Order(): which of the k events due at the same instant goes first
  // (index in first-come order). Taken only when the source wants it.
  kSimultaneousOrder = 16,
};
inline constexpr int kDecisionKindCount = 17;
// "drop", "latency", "crash_after_handling", ...: the names decision files use.
const char* DecisionKindName(DecisionKind kind);
std::optional<DecisionKind> DecisionKindByName(std::string_view name);

// Which cursor a decision advances in replay. Nodes are service::NodeId values.
class DecisionStream {
 public:
  enum class Kind : uint8_t { kLink = 0, kWorkload = 1, kPlan = 2, kInjection = 3, kOrder = 4 };

  static constexpr DecisionStream Link(int32_t from, int32_t to) {
    return DecisionStream(Kind::kLink, from, to);
  }
  static constexpr DecisionStream Workload(int32_t client) {
    return DecisionStream(Kind::kWorkload, client, 0);
  }
  static constexpr DecisionStream Plan() { return DecisionStream(Kind::kPlan, 0, 0); }
  static constexpr DecisionStream Injection(int32_t server) {
    return DecisionStream(Kind::kInjection, server, 0);
  }
  static constexpr DecisionStream Order() { return DecisionStream(Kind::kOrder, 0, 0); }

  constexpr Kind kind() const { return kind_; }
  // Link: the sender; Workload: the client (0, 1, ...); Injection: the server's node id.
  constexpr int32_t a() const { return a_; }
  constexpr int32_t b() const { return b_; }  // Link: the receiver
  // A total order (and map key): kind, then a, then b.
  constexpr uint64_t key() const {
    return static_cast<uint64_t>(kind_) << 56 |
           static_cast<uint64_t>(static_cast<uint32_t>(a_)) << 24 |
           static_cast<uint64_t>(static_cast<uint32_t>(b_));
  }
  constexpr bool operator==(const DecisionStream&) const = default;

  // "link primary>client0", "workload client0", "plan", "inject backup", "order".
  std::string Name() const;
  // The inverse of Name for a run with `clients` clients; nullopt when it names no stream.
  static std::optional<DecisionStream> Parse(std::string_view name, int clients);

 private:
  constexpr DecisionStream(Kind kind, int32_t a, int32_t b) : kind_(kind), a_(a), b_(b) {}
  Kind kind_;
  int32_t a_;
  int32_t b_;
};

// One decision as taken: 0 <= value < bound.
struct DecisionRecord {
  DecisionStream stream = DecisionStream::Plan();
  DecisionKind kind = DecisionKind::kDrop;
  uint64_t bound = 0;
  uint64_t value = 0;
  bool operator==(const DecisionRecord&) const = default;
};

// Supplies decisions in place of the PRNG (a strategy, a replayed list).
class DecisionSource {
 public:
  virtual ~DecisionSource() = default;
  // The value of one decision; the caller clamps it to bound - 1. `natural()` is the value
  // random mode would take (it draws from the PRNG, so calling it keeps the streams where random
  // mode has them; not calling it is allowed). Only called with bound >= 2.
  virtual uint64_t Choose(DecisionStream stream, DecisionKind kind, uint64_t bound,
                          absl::FunctionRef<uint64_t()> natural) = 0;
  // Whether the world should ask for kSimultaneousOrder decisions (costs a look at every event
  // due at the same instant).
  virtual bool WantsOrderDecisions() const { return false; }
  // Whether Choose wants to see decisions of `kind`; the others take their natural value without
  // a call (a strategy that only places faults skips the latency draws, most of a run's
  // decisions). Asked once per kind when the run starts.
  virtual bool Chooses(DecisionKind kind) const {
    (void)kind;
    return true;
  }

  // Context for strategies that schedule by causal chain (pct); ignored by default. A message's
  // *chain* is the client whose operation caused it (the world passes each message's cause on
  // to what its handler sends), or -1 when no client's operation did.
  // The world is about to decide the fate of a message from `from` to `to` (the link's drop,
  // duplicate and latency decisions follow).
  virtual void OnMessage(int32_t from, int32_t to, int32_t chain) {
    (void)from;
    (void)to;
    (void)chain;
  }
  // The chains of the events due at one instant, in first-come order, just before the
  // kSimultaneousOrder decision that picks one of them (-1: not a message).
  virtual void OnSimultaneousEvents(std::span<const int32_t> chains) { (void)chains; }
  // The world starts its `index`-th event (1, 2, ...); decisions before the first are the
  // harness's, as the run begins. A strategy that forks runs between events notes it
  // (runner/fault_schedule.h).
  virtual void OnEvent(uint64_t index) { (void)index; }
};

// The decisions of one run: where values come from and whether they are recorded. Cheap to copy
// (two pointers); random mode without recording costs one branch per decision.
class Decisions {
 public:
  // Random mode, no recording.
  Decisions() = default;
  // `source` (may be null: random mode) and `record` (may be null) must outlive every use.
  Decisions(DecisionSource* source, std::vector<DecisionRecord>* record);

  // The value of one decision. REQUIRES: bound >= 1; natural() < bound.
  template <typename Natural>
  uint64_t Decide(DecisionStream stream, DecisionKind kind, uint64_t bound,
                  Natural&& natural) const {
    // Random mode without recording, the path of every sweep: exactly the old draw.
    if (plain_) [[likely]]
      return natural();
    if (TakesNatural(kind)) return natural();
    return DecideSlowly(stream, kind, bound, natural);
  }
  // Whether decisions of `kind` take their natural value: nobody chooses or records them.
  bool TakesNatural(DecisionKind kind) const {
    return (chosen_kinds_ >> static_cast<unsigned>(kind) & 1) == 0;
  }
  // A yes/no decision (bound 2).
  template <typename Natural>
  bool DecideYes(DecisionStream stream, DecisionKind kind, Natural&& natural) const {
    return Decide(stream, kind, 2, [&]() -> uint64_t { return natural() ? 1 : 0; }) == 1;
  }

  // Pass the world's context on to the source (DecisionSource::OnMessage...); nothing in plain
  // random mode.
  void NoteMessage(int32_t from, int32_t to, int32_t chain) const {
    if (source_ != nullptr) source_->OnMessage(from, to, chain);
  }
  void NoteSimultaneousEvents(std::span<const int32_t> chains) const {
    if (source_ != nullptr) source_->OnSimultaneousEvents(chains);
  }
  void NoteEvent(uint64_t index) const {
    if (source_ != nullptr) source_->OnEvent(index);
  }

  bool wants_order_decisions() const {
    return source_ != nullptr && source_->WantsOrderDecisions();
  }
  // Random mode and not recording: every decision is its natural value.
  bool plain() const { return plain_; }

 private:
  // A source or recording: asks the source (bound >= 2), clamps, records.
  uint64_t DecideSlowly(DecisionStream stream, DecisionKind kind, uint64_t bound,
                        absl::FunctionRef<uint64_t()> natural) const;

  DecisionSource* source_ = nullptr;
  std::vector<DecisionRecord>* record_ = nullptr;
  bool plain_ = true;
  uint32_t chosen_kinds_ = 0;  // bit k: the source chooses, or the list records, DecisionKind k
};

// A duration in `range` as one decision: its offset in µs above range.min. Natural:
// rng.DurationIn(range), the draw random mode always made (none when the range is one value).
inline Duration DecideDuration(const Decisions& decisions, DecisionStream stream, DecisionKind kind,
                               DurationRange range, Prng& rng) {
  if (decisions.plain() || decisions.TakesNatural(kind)) [[likely]]
    return rng.DurationIn(range);
  const auto span = static_cast<uint64_t>((range.max - range.min).micros());
  const uint64_t offset = decisions.Decide(stream, kind, span + 1, [&] {
    return static_cast<uint64_t>((rng.DurationIn(range) - range.min).micros());
  });
  return range.min + Duration::Micros(static_cast<int64_t>(offset));
}

// A recorded (or edited) decision sequence, one list per stream, in the order each stream's
// decisions are taken.
class DecisionList {
 public:
  struct Entry {
    DecisionKind kind = DecisionKind::kDrop;
    uint64_t bound = 0;  // what the recording run saw; replay clamps to the replaying run's bound
    uint64_t value = 0;
    bool operator==(const Entry&) const = default;
  };
  // Keyed by DecisionStream::key(): streams in a fixed order.
  using Streams = absl::btree_map<uint64_t, std::pair<DecisionStream, std::vector<Entry>>>;

  static DecisionList FromRecords(const std::vector<DecisionRecord>& records);

  void Append(DecisionStream stream, Entry entry);
  const Streams& streams() const { return streams_; }
  // nullptr when the stream has no decisions.
  const std::vector<Entry>* Find(DecisionStream stream) const;
  size_t size() const;  // decisions over all streams
  bool operator==(const DecisionList&) const = default;

 private:
  Streams streams_;
};

// Replays a DecisionList: the value of a stream's next decision is its next entry's value,
// clamped to bound - 1; once the stream's list is used up (or absent), 0. The entry's kind is not
// checked: after an edit the list may not line up with the run any more, and that is allowed.
//
// It asks for same-instant order decisions only when the list has some: without them every
// order decision would be 0, first come first served, which is what not asking gives.
class ReplaySource final : public DecisionSource {
 public:
  explicit ReplaySource(const DecisionList& list) : list_(list) {}
  uint64_t Choose(DecisionStream stream, DecisionKind kind, uint64_t bound,
                  absl::FunctionRef<uint64_t()> natural) override;
  bool WantsOrderDecisions() const override {
    return list_.Find(DecisionStream::Order()) != nullptr;
  }

 private:
  const DecisionList& list_;
  absl::btree_map<uint64_t, size_t> cursors_;
};

}  // namespace locksim::sim

#endif  // LOCKSIM_SIM_DECISIONS_H_
