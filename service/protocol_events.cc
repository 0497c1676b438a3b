#include "service/protocol_events.h"

#include "base/assert.h"

namespace locksim::service {

std::string_view ProtocolEventName(ProtocolEvent event) {
  switch (event) {
    case ProtocolEvent::kDuplicateAnsweredAtPrimary:
      return "duplicate_answered_at_primary";
    case ProtocolEvent::kDuplicateAnsweredAtBackup:
      return "duplicate_answered_at_backup";
    case ProtocolEvent::kStaleCopyIgnored:
      return "stale_copy_ignored";
    case ProtocolEvent::kReplyHeldForAck:
      return "reply_held_for_ack";
    case ProtocolEvent::kForwardBuffered:
      return "forward_buffered";
    case ProtocolEvent::kForwardAppliedFromBuffer:
      return "forward_applied_from_buffer";
    case ProtocolEvent::kForwardDuplicateIgnored:
      return "forward_duplicate_ignored";
    case ProtocolEvent::kForwardFailedPrimaryAlone:
      return "forward_failed_primary_alone";
    case ProtocolEvent::kRequestAtBackup:
      return "request_at_backup";
    case ProtocolEvent::kBackupTakeover:
      return "backup_takeover";
    case ProtocolEvent::kForwardDroppedAfterTakeover:
      return "forward_dropped_after_takeover";
    case ProtocolEvent::kAckAfterPrimaryAlone:
      return "ack_after_primary_alone";
    case ProtocolEvent::kForwardDroppedBufferFull:
      return "forward_dropped_buffer_full";
    case ProtocolEvent::kCount:
      break;
  }
  LOCKSIM_UNREACHABLE("unknown protocol event");
}

bool CoverageGated(ProtocolEvent event) {
  switch (event) {
    case ProtocolEvent::kForwardDroppedBufferFull:  // needs 4,096 forwards lost or stuck
      return false;
    default:
      return true;
  }
}

}  // namespace locksim::service
