// The messages of the primary/backup lock protocol. Plain values: the protocol code builds and
// reads them; an environment (the simulator, or one day a real network) carries them.
#ifndef LOCKSIM_SERVICE_MESSAGES_H_
#define LOCKSIM_SERVICE_MESSAGES_H_

#include <compare>
#include <cstdint>
#include <string>
#include <variant>

#include "service/node_id.h"

namespace locksim::service {

enum class OpKind : uint8_t { kLock, kUnlock };

// Unique per call of a clerk; a re-sent request carries the same id (at-most-once).
struct RequestId {
  ClientId client = 0;
  uint64_t sequence = 0;  // 1, 2, 3, ... per clerk
  auto operator<=>(const RequestId&) const = default;
};

// Client -> server (primary, or backup after the primary failed).
struct ClientRequest {
  RequestId id;
  OpKind op = OpKind::kLock;
  std::string lock;
};

// Server -> client: the result recorded when the request first executed.
struct ClientReply {
  RequestId id;
  bool result = false;
};

// Primary -> backup: one operation, in the primary's execution order (`order` = 1, 2, 3, ...).
struct ForwardRequest {
  uint64_t order = 0;
  RequestId id;
  OpKind op = OpKind::kLock;
  std::string lock;
  bool result = false;  // what the primary computed; the backup must compute the same
};

// Backup -> primary: the backup has applied every forward up to and including `order`.
struct ForwardReply {
  uint64_t order = 0;
};

using Message = std::variant<ClientRequest, ClientReply, ForwardRequest, ForwardReply>;

}  // namespace locksim::service

#endif  // LOCKSIM_SERVICE_MESSAGES_H_
