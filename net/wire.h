// The wire format of the real-network mode: length-prefixed frames carrying a hello or one of the
// four protocol messages with the call id it belongs to. docs/real-network.md describes it byte
// by byte; this file is its only implementation. All integers are big-endian.
//
//   frame := length:u32 body            1 <= length <= kMaxFrameBody; length counts the body only
//   body  := kind:u8 call:u64 payload   payload by kind:
//     1 hello           magic:u32 "LKSM", version:u16, role:u8 (0 primary, 1 backup, 2 client),
//                       incarnation:u64 (drawn at random when the process starts)
//     2 client request  client:i32 sequence:u64 op:u8 lock_length:u16 lock
//     3 client reply    client:i32 sequence:u64 result:u8
//     4 forward         order:u64 client:i32 sequence:u64 op:u8 result:u8 lock_length:u16 lock
//     5 forward reply   order:u64
//   op: 0 lock, 1 unlock; result: 0 false, 1 true; call: the caller's id for the call, echoed by
//   its reply (0 in a hello).
//
// Decoding never trusts its input: any frame that is not exactly one of these (a length out of
// range, an unknown kind or role, a byte that is not 0 or 1, a client id no clerk can have, a
// forward with order 0, bytes left over) is malformed, and the connection that sent it is closed.
#ifndef LOCKSIM_NET_WIRE_H_
#define LOCKSIM_NET_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "service/messages.h"

namespace locksim::net {

inline constexpr uint32_t kHelloMagic = 0x4C4B534D;  // "LKSM"
inline constexpr uint16_t kWireVersion = 1;
// Lock names longer than this are refused before a run starts (`locksim load`).
inline constexpr size_t kMaxLockNameBytes = 1024;
// The largest body any valid frame has (a forward with the longest lock name), rounded up.
inline constexpr uint32_t kMaxFrameBody = 2048;
inline constexpr size_t kFrameHeaderBytes = 4;
// A clerk's id must leave room for service::ClientNode(id) in a NodeId.
inline constexpr service::ClientId kMaxWireClientId = 0x7FFFFFFF - 2;

enum class FrameKind : uint8_t {
  kHello = 1,
  kClientRequest = 2,
  kClientReply = 3,
  kForwardRequest = 4,
  kForwardReply = 5,
};

// What the sender of a hello is.
enum class PeerRole : uint8_t { kPrimary = 0, kBackup = 1, kClient = 2 };
const char* PeerRoleName(PeerRole role);

struct Hello {
  uint16_t version = kWireVersion;
  PeerRole role = PeerRole::kClient;
  // Which process this is: a backup serves only the first primary it heard from, so that a
  // second primary, or a killed one restarted, can never feed it forwards (fail-stop: a server
  // never rejoins).
  uint64_t incarnation = 0;
};

struct Frame {
  FrameKind kind = FrameKind::kHello;
  uint64_t call = 0;
  Hello hello;               // kind == kHello
  service::Message message;  // any other kind
};

// The frame kind that carries `message`.
FrameKind KindOf(const service::Message& message);
// True for client requests and forwards (frames that expect a reply).
bool IsRequest(FrameKind kind);

// Appends one frame to `out`. REQUIRES: any lock name is at most kMaxLockNameBytes long.
void AppendHelloFrame(const Hello& hello, std::vector<uint8_t>* out);
void AppendMessageFrame(uint64_t call, const service::Message& message, std::vector<uint8_t>* out);

enum class DecodeStatus : uint8_t {
  kFrame,      // one frame decoded into *frame; `consumed` bytes used
  kNeedMore,   // `bytes` holds the start of a valid frame; read more
  kMalformed,  // not a frame: close the connection; `error` says why
};

struct DecodeResult {
  DecodeStatus status = DecodeStatus::kNeedMore;
  size_t consumed = 0;
  std::string error;
};

// Decodes the first frame of `bytes`. Reuses *frame's storage (a lock name's string) so that a
// steady stream of frames allocates nothing.
DecodeResult DecodeFrame(std::span<const uint8_t> bytes, Frame* frame);

}  // namespace locksim::net

#endif  // LOCKSIM_NET_WIRE_H_
