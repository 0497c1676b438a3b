// The protocol's own events, counted by the servers themselves (not by the simulator), so that a
// test harness can ask which parts of the protocol a set of runs exercised: `sweep --coverage`
// and `explore --coverage` report the counts, and CI fails if the shipped pass scenarios
// together leave an event of the failure model at zero (docs/exploration.md, "Coverage").
#ifndef LOCKSIM_SERVICE_PROTOCOL_EVENTS_H_
#define LOCKSIM_SERVICE_PROTOCOL_EVENTS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace locksim::service {

enum class ProtocolEvent : uint8_t {
  kDuplicateAnsweredAtPrimary,   // a re-sent or duplicated request answered from the table
  kDuplicateAnsweredAtBackup,    // the same, at the backup
  kStaleCopyIgnored,             // a copy of a request older than the client's last: no answer
  kReplyHeldForAck,              // a reply waited for its forward's ack
  kForwardBuffered,              // a forward arrived early and waits in the backup's buffer
  kForwardAppliedFromBuffer,     // a buffered forward applied once the gap filled
  kForwardDuplicateIgnored,      // a forward already applied or buffered
  kForwardFailedPrimaryAlone,    // a forward failed: the primary carries on alone
  kRequestAtBackup,              // a clerk re-sent a request to the backup
  kBackupTakeover,               // the backup took over as primary
  kForwardDroppedAfterTakeover,  // a forward reached the backup after it took over
  kAckAfterPrimaryAlone,         // an ack arrived after the primary went alone
  kForwardDroppedBufferFull,     // a forward beyond the buffer bound was dropped
  kCount,
};
inline constexpr size_t kProtocolEventCount = static_cast<size_t>(ProtocolEvent::kCount);

// Counts per event, indexed by ProtocolEvent.
using ProtocolCoverage = std::array<uint64_t, kProtocolEventCount>;

// "duplicate_answered_at_primary", ...: the names the reports and the JSON use.
std::string_view ProtocolEventName(ProtocolEvent event);
// Whether runs within the failure model can reach the event: the coverage gate requires these
// (the others only happen outside it, or by a rare race the gate cannot count on).
bool CoverageGated(ProtocolEvent event);

inline void Add(ProtocolCoverage& into, const ProtocolCoverage& counts) {
  for (size_t i = 0; i < kProtocolEventCount; ++i) into[i] += counts[i];
}

}  // namespace locksim::service

#endif  // LOCKSIM_SERVICE_PROTOCOL_EVENTS_H_
