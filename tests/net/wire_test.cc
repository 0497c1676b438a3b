// The wire codec (net/wire.h): every message survives a round trip, frames split anywhere are
// reassembled, and anything that is not a frame is rejected with a reason, never a crash.
#include "net/wire.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sim/prng.h"

namespace locksim::net {
namespace {

using service::ClientReply;
using service::ClientRequest;
using service::ForwardReply;
using service::ForwardRequest;
using service::Message;
using service::OpKind;

std::vector<Message> SampleMessages() {
  return {
      ClientRequest{.id = {.client = 0, .sequence = 1}, .op = OpKind::kLock, .lock = "l0"},
      ClientRequest{.id = {.client = kMaxWireClientId, .sequence = UINT64_MAX},
                    .op = OpKind::kUnlock,
                    .lock = std::string(kMaxLockNameBytes, 'x')},
      ClientRequest{.id = {.client = 7, .sequence = 3}, .op = OpKind::kLock, .lock = ""},
      ClientReply{.id = {.client = 3, .sequence = 9}, .result = true},
      ClientReply{.id = {.client = 0, .sequence = 0}, .result = false},
      ForwardRequest{.order = 1,
                     .id = {.client = 2, .sequence = 5},
                     .op = OpKind::kUnlock,
                     .lock = "1f2e/l63",
                     .result = true},
      ForwardRequest{.order = UINT64_MAX,
                     .id = {.client = 1, .sequence = 1},
                     .op = OpKind::kLock,
                     .lock = "a",
                     .result = false},
      ForwardReply{.order = 0},
      ForwardReply{.order = 12345678901234ULL},
  };
}

bool SameMessage(const Message& a, const Message& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<ClientRequest>(&a)) {
    const auto& y = std::get<ClientRequest>(b);
    return x->id == y.id && x->op == y.op && x->lock == y.lock;
  }
  if (const auto* x = std::get_if<ClientReply>(&a)) {
    const auto& y = std::get<ClientReply>(b);
    return x->id == y.id && x->result == y.result;
  }
  if (const auto* x = std::get_if<ForwardRequest>(&a)) {
    const auto& y = std::get<ForwardRequest>(b);
    return x->order == y.order && x->id == y.id && x->op == y.op && x->lock == y.lock &&
           x->result == y.result;
  }
  return std::get<ForwardReply>(a).order == std::get<ForwardReply>(b).order;
}

DecodeResult Decode(const std::vector<uint8_t>& bytes, Frame* frame) {
  return DecodeFrame(std::span<const uint8_t>(bytes.data(), bytes.size()), frame);
}

// A well-formed client request frame, to be broken by the tests.
std::vector<uint8_t> RequestFrame() {
  std::vector<uint8_t> bytes;
  AppendMessageFrame(42, ClientRequest{.id = {.client = 1, .sequence = 2}, .lock = "ab"}, &bytes);
  return bytes;
}

TEST(Wire, EveryMessageRoundTrips) {
  uint64_t call = 1;
  for (const Message& message : SampleMessages()) {
    std::vector<uint8_t> bytes;
    AppendMessageFrame(call, message, &bytes);
    Frame frame;
    const DecodeResult decoded = Decode(bytes, &frame);
    ASSERT_EQ(decoded.status, DecodeStatus::kFrame) << decoded.error;
    EXPECT_EQ(decoded.consumed, bytes.size());
    EXPECT_EQ(frame.kind, KindOf(message));
    EXPECT_EQ(frame.call, call);
    EXPECT_TRUE(SameMessage(frame.message, message)) << "message " << call;
    call = call * 977 + 13;
  }
}

TEST(Wire, HelloRoundTrips) {
  for (PeerRole role : {PeerRole::kPrimary, PeerRole::kBackup, PeerRole::kClient}) {
    std::vector<uint8_t> bytes;
    AppendHelloFrame(Hello{.role = role, .incarnation = 0x0123456789ABCDEFULL}, &bytes);
    Frame frame;
    const DecodeResult decoded = Decode(bytes, &frame);
    ASSERT_EQ(decoded.status, DecodeStatus::kFrame) << decoded.error;
    EXPECT_EQ(frame.kind, FrameKind::kHello);
    EXPECT_EQ(frame.hello.role, role);
    EXPECT_EQ(frame.hello.incarnation, 0x0123456789ABCDEFULL);
    EXPECT_EQ(frame.hello.version, kWireVersion);
  }
}

TEST(Wire, TheLayoutIsTheDocumentedOne) {
  // docs/real-network.md spells this frame out byte by byte.
  std::vector<uint8_t> bytes;
  AppendMessageFrame(
      5, ClientRequest{.id = {.client = 3, .sequence = 7}, .op = OpKind::kUnlock, .lock = "l1"},
      &bytes);
  const std::vector<uint8_t> expected = {0, 0, 0,   26,              // length of what follows
                                         2,                          // kind: client request
                                         0, 0, 0,   0,  0, 0, 0, 5,  // call id
                                         0, 0, 0,   3,               // client
                                         0, 0, 0,   0,  0, 0, 0, 7,  // sequence
                                         1,                          // op: unlock
                                         0, 2, 'l', '1'};            // lock name
  EXPECT_EQ(bytes, expected);
}

TEST(Wire, ConcatenatedFramesDecodeOneByOne) {
  std::vector<uint8_t> bytes;
  const std::vector<Message> messages = SampleMessages();
  for (size_t i = 0; i < messages.size(); ++i) AppendMessageFrame(i + 1, messages[i], &bytes);
  size_t at = 0;
  Frame frame;
  for (size_t i = 0; i < messages.size(); ++i) {
    const DecodeResult decoded =
        DecodeFrame(std::span<const uint8_t>(bytes.data() + at, bytes.size() - at), &frame);
    ASSERT_EQ(decoded.status, DecodeStatus::kFrame) << "frame " << i << ": " << decoded.error;
    EXPECT_EQ(frame.call, i + 1);
    EXPECT_TRUE(SameMessage(frame.message, messages[i])) << "frame " << i;
    at += decoded.consumed;
  }
  EXPECT_EQ(at, bytes.size());
}

TEST(Wire, EveryProperPrefixNeedsMore) {
  for (const Message& message : SampleMessages()) {
    std::vector<uint8_t> bytes;
    AppendMessageFrame(9, message, &bytes);
    Frame frame;
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
      const DecodeResult decoded = DecodeFrame(std::span<const uint8_t>(bytes.data(), cut), &frame);
      ASSERT_EQ(decoded.status, DecodeStatus::kNeedMore)
          << "a frame cut after " << cut << " of " << bytes.size() << " bytes";
      EXPECT_EQ(decoded.consumed, 0u);
    }
  }
}

TEST(Wire, LengthsOutOfRangeAreRejectedAtOnce) {
  Frame frame;
  // Zero, one past the limit, and the largest u32: rejected from the header alone.
  for (uint32_t length : {0u, kMaxFrameBody + 1, 0xFFFFFFFFu}) {
    const std::vector<uint8_t> header = {
        static_cast<uint8_t>(length >> 24), static_cast<uint8_t>(length >> 16),
        static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)};
    const DecodeResult decoded = Decode(header, &frame);
    EXPECT_EQ(decoded.status, DecodeStatus::kMalformed) << "length " << length;
    EXPECT_NE(decoded.error.find("frame length"), std::string::npos) << decoded.error;
  }
}

TEST(Wire, UnknownKindIsRejectedBeforeTheBodyArrives) {
  Frame frame;
  for (uint8_t kind : {0, 6, 255}) {
    const std::vector<uint8_t> start = {0, 0, 0, 20, kind};
    const DecodeResult decoded = Decode(start, &frame);
    EXPECT_EQ(decoded.status, DecodeStatus::kMalformed) << "kind " << int{kind};
  }
}

TEST(Wire, MalformedBodiesSayWhy) {
  struct Case {
    const char* what;
    size_t offset;  // byte of RequestFrame() to change
    uint8_t value;
    const char* error;
  };
  // RequestFrame(): length 4, kind 1, call 8, client 4 (bytes 13..16), sequence 8, op 1 (byte 25),
  // lock length 2 (26..27), "ab".
  const Case cases[] = {
      {"op byte 2", 25, 2, "op byte"},
      {"negative client", 13, 0x80, "client id"},
      {"lock longer than the frame", 27, 50, "shorter than its kind"},
      {"lock length beyond the limit", 26, 0xFF, "lock name of"},
  };
  for (const Case& c : cases) {
    std::vector<uint8_t> bytes = RequestFrame();
    bytes[c.offset] = c.value;
    Frame frame;
    const DecodeResult decoded = Decode(bytes, &frame);
    EXPECT_EQ(decoded.status, DecodeStatus::kMalformed) << c.what;
    EXPECT_NE(decoded.error.find(c.error), std::string::npos) << c.what << ": " << decoded.error;
  }
}

TEST(Wire, TrailingBytesInAFrameAreMalformed) {
  std::vector<uint8_t> bytes = RequestFrame();
  bytes.push_back(0);
  bytes[3] += 1;  // the length now covers the extra byte
  Frame frame;
  const DecodeResult decoded = Decode(bytes, &frame);
  EXPECT_EQ(decoded.status, DecodeStatus::kMalformed);
  EXPECT_NE(decoded.error.find("left over"), std::string::npos) << decoded.error;
}

TEST(Wire, BadHellosAreMalformed) {
  std::vector<uint8_t> good;
  AppendHelloFrame(Hello{.role = PeerRole::kClient, .incarnation = 5}, &good);
  // Layout: length 4, kind 1, call 8 (5..12), magic 4 (13..16), version 2 (17..18), role 1 (19).
  const struct {
    const char* what;
    size_t offset;
    uint8_t value;
  } cases[] = {{"magic", 13, 'X'}, {"version", 18, 9}, {"role", 19, 3}, {"call id", 12, 1}};
  for (const auto& c : cases) {
    std::vector<uint8_t> bytes = good;
    bytes[c.offset] = c.value;
    Frame frame;
    EXPECT_EQ(Decode(bytes, &frame).status, DecodeStatus::kMalformed) << c.what;
  }
}

TEST(Wire, ForwardWithOrderZeroIsMalformed) {
  std::vector<uint8_t> bytes;
  AppendMessageFrame(1, ForwardRequest{.order = 1, .id = {}, .lock = "a"}, &bytes);
  bytes[20] = 0;  // the low byte of order (bytes 13..20)
  Frame frame;
  const DecodeResult decoded = Decode(bytes, &frame);
  EXPECT_EQ(decoded.status, DecodeStatus::kMalformed);
  EXPECT_NE(decoded.error.find("order 0"), std::string::npos) << decoded.error;
}

// Random bytes, and valid frames with random bytes flipped: the decoder must answer every input
// with a frame that fits inside it, a request for more, or a rejection, and never read past it.
TEST(Wire, GarbageNeverCrashesTheDecoder) {
  constexpr uint64_t kSeed = 20261127;
  sim::Prng rng(kSeed);
  Frame frame;
  std::vector<uint8_t> valid;
  for (const Message& m : SampleMessages()) AppendMessageFrame(3, m, &valid);
  for (int round = 0; round < 20000; ++round) {
    std::vector<uint8_t> bytes;
    if (round % 2 == 0) {
      bytes.resize(rng.Below(64));
      for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng.NextU64());
      // Small lengths, so that some random bodies are parsed rather than waited for.
      if (bytes.size() >= 4 && rng.Below(2) == 0) {
        bytes[0] = bytes[1] = 0;
        bytes[2] = 0;
        bytes[3] = static_cast<uint8_t>(rng.Below(40));
      }
    } else {
      bytes = valid;
      for (int flips = 1 + static_cast<int>(rng.Below(4)); flips > 0; --flips) {
        bytes[rng.Below(bytes.size())] = static_cast<uint8_t>(rng.NextU64());
      }
    }
    const DecodeResult decoded = Decode(bytes, &frame);
    if (decoded.status == DecodeStatus::kFrame) {
      ASSERT_LE(decoded.consumed, bytes.size()) << "seed " << kSeed << ", round " << round;
    } else {
      ASSERT_EQ(decoded.consumed, 0u) << "seed " << kSeed << ", round " << round;
    }
    if (decoded.status == DecodeStatus::kMalformed) {
      ASSERT_FALSE(decoded.error.empty()) << "seed " << kSeed << ", round " << round;
    }
  }
}

}  // namespace
}  // namespace locksim::net
