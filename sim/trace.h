// The trace: every event of a run, in order, folded into a fingerprint and optionally handed to
// sinks (a JSON-lines file, a timeline builder, a test). The fingerprint is computed from the
// structured record alone, never from the text, so it is the same whether or not a sink is
// attached; two runs of one seed must give equal fingerprints, and a difference shows
// nondeterminism.
#ifndef LOCKSIM_SIM_TRACE_H_
#define LOCKSIM_SIM_TRACE_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.h"

namespace locksim::sim {

enum class TraceKind : uint8_t {
  kSend,           // a message left `node` for `peer`
  kDeliver,        // a message reached `node` from `peer` and was handled
  kDrop,           // the network lost a message (channel drop probability)
  kBlocked,        // a partition lost a message
  kDuplicate,      // the network will deliver a message twice
  kDiscard,        // a message reached a crashed node and vanished
  kLateReply,      // a reply came after its call had already ended (duplicate or too late)
  kCallStart,      // `node` started RPC `id` to `peer`
  kCallReply,      // RPC `id` got its reply
  kCallRefused,    // RPC `id` failed fast: the callee is down
  kCallTimeout,    // RPC `id` got no reply in time
  kTimerStart,     // `node` started timer `id`
  kTimerFire,      // timer `id` fired at `node`
  kCrash,          // `node` halted (fail-stop)
  kDeafArmed,      // `node` will lose the reply to the next client request it receives
  kDeafReplyLost,  // a deaf node's reply was thrown away
  kPartition,      // link `node` -> `peer` blocked
  kHeal,           // link `node` -> `peer` unblocked
  kInvoke,  // client `node` called Lock/Unlock (operation `id`, numbered from 0 as in the history)
  kReturn,  // client `node`'s operation `id` returned
  kFault,   // a fault plan entry fired (detail says which)
  kRunEnd,  // the run stopped (detail says why)
  // An assertion failed in `node`'s protocol code (id: its line; detail: "file:line: condition");
  // the run stops right after this record.
  kAssertion,
};
const char* TraceKindName(TraceKind kind);

struct TraceRecord {
  Time at;
  TraceKind kind = TraceKind::kRunEnd;
  int32_t node = -1;
  int32_t peer = -1;
  uint64_t id = 0;       // message, call, timer or operation id, by kind
  uint64_t content = 0;  // a hash of what the record carries (message fields, result)
};

// Receives every record with a human-readable detail (message contents, reasons).
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void Write(const TraceRecord& record, std::string_view detail) = 0;
};

// Writes one JSON object per line:
// {"t_us":1500,"event":"send","node":"client0","peer":"primary","id":3,"detail":"..."}
class JsonLinesTraceSink : public TraceSink {
 public:
  // `node_names[i]` names node i in the output.
  JsonLinesTraceSink(std::ostream& out, std::vector<std::string> node_names);
  void Write(const TraceRecord& record, std::string_view detail) override;

 private:
  std::string_view NodeName(int32_t node) const;
  std::ostream& out_;
  std::vector<std::string> node_names_;
  std::string line_;  // reused buffer: one allocation for the whole trace
};

class Trace {
 public:
  void AddSink(TraceSink* sink) { sinks_.push_back(sink); }
  // True when a sink wants details: callers skip building detail text otherwise.
  bool wants_detail() const { return !sinks_.empty(); }

  void Record(const TraceRecord& record, std::string_view detail = {});

  // Goes on from `other`'s records (a forked run, runner/simulation.h): its fingerprint so far
  // and its count. The sinks stay this trace's own.
  void ContinueFrom(const Trace& other) {
    fingerprint_ = other.fingerprint_;
    record_count_ = other.record_count_;
  }

  // A final mix of the chained state and the record count.
  uint64_t fingerprint() const;
  uint64_t record_count() const { return record_count_; }

 private:
  std::vector<TraceSink*> sinks_;
  uint64_t fingerprint_ = 0x6c6f636b73696dULL;  // "locksim"
  uint64_t record_count_ = 0;
};

// 64-bit mixing used for fingerprints and content hashes (splitmix64's finaliser).
constexpr uint64_t MixHash(uint64_t h, uint64_t value) {
  uint64_t z = h ^ (value + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
uint64_t HashBytes(std::string_view bytes);

// Fingerprints print as 16 hex digits everywhere (CLI, JSON, tests).
std::string FingerprintHex(uint64_t fingerprint);

// Inline, with one multiply per word: it runs for every event of every run.
inline void Trace::Record(const TraceRecord& record, std::string_view detail) {
  // The words are chained, so any difference in any field, or in the order of records, changes
  // the result.
  constexpr uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;
  const uint64_t words[4] = {static_cast<uint64_t>(record.at.micros()),
                             static_cast<uint64_t>(record.kind) << 48 ^
                                 static_cast<uint64_t>(static_cast<uint16_t>(record.node)) << 16 ^
                                 static_cast<uint16_t>(record.peer),
                             record.id, record.content};
  uint64_t h = fingerprint_;
  for (uint64_t word : words) h = ((h ^ word) * kMultiplier) ^ (h >> 29);
  fingerprint_ = h;
  ++record_count_;
  if (!sinks_.empty()) [[unlikely]] {
    for (TraceSink* sink : sinks_) sink->Write(record, detail);
  }
}

}  // namespace locksim::sim

#endif  // LOCKSIM_SIM_TRACE_H_
