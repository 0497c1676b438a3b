#include "net/wire.h"

#include <type_traits>
#include <variant>

#include "absl/strings/str_cat.h"
#include "base/assert.h"

namespace locksim::net {
namespace {

using service::ClientReply;
using service::ClientRequest;
using service::ForwardReply;
using service::ForwardRequest;
using service::Message;
using service::OpKind;

// Appends big-endian integers. The frame's length is patched in once the body is complete.
class Writer {
 public:
  explicit Writer(std::vector<uint8_t>* out) : out_(*out), start_(out->size()) {
    U32(0);  // the length, patched by Finish
  }
  void U8(uint8_t v) { out_.push_back(v); }
  void U16(uint16_t v) {
    U8(static_cast<uint8_t>(v >> 8));
    U8(static_cast<uint8_t>(v));
  }
  void U32(uint32_t v) {
    U16(static_cast<uint16_t>(v >> 16));
    U16(static_cast<uint16_t>(v));
  }
  void U64(uint64_t v) {
    U32(static_cast<uint32_t>(v >> 32));
    U32(static_cast<uint32_t>(v));
  }
  void Op(OpKind op) { U8(op == OpKind::kLock ? 0 : 1); }
  void Bool(bool b) { U8(b ? 1 : 0); }
  void Lock(const std::string& lock) {
    LOCKSIM_ASSERT(lock.size() <= kMaxLockNameBytes);
    U16(static_cast<uint16_t>(lock.size()));
    out_.insert(out_.end(), lock.begin(), lock.end());
  }
  void Finish() {
    const size_t body = out_.size() - start_ - kFrameHeaderBytes;
    LOCKSIM_ASSERT(body >= 1 && body <= kMaxFrameBody);
    for (int i = 0; i < 4; ++i) {
      out_[start_ + static_cast<size_t>(i)] = static_cast<uint8_t>(body >> (24 - 8 * i));
    }
  }

 private:
  std::vector<uint8_t>& out_;
  const size_t start_;
};

// Reads big-endian integers from one frame's body; any read past its end sets failed().
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> body) : body_(body) {}
  uint8_t U8() { return Fits(1) ? body_[at_++] : 0; }
  uint16_t U16() {
    if (!Fits(2)) return 0;
    const uint16_t v = static_cast<uint16_t>(body_[at_] << 8 | body_[at_ + 1]);
    at_ += 2;
    return v;
  }
  uint32_t U32() {
    const uint32_t high = U16();
    return high << 16 | U16();
  }
  uint64_t U64() {
    const uint64_t high = U32();
    return high << 32 | U32();
  }
  // A byte that must be 0 or 1.
  bool Bool(const char* what) {
    const uint8_t b = U8();
    if (b > 1) Fail(absl::StrCat(what, " byte is ", b, ", not 0 or 1"));
    return b == 1;
  }
  OpKind Op() { return Bool("op") ? OpKind::kUnlock : OpKind::kLock; }
  service::ClientId Client() {
    const int32_t client = static_cast<int32_t>(U32());
    if (client < 0 || client > kMaxWireClientId) {
      Fail(absl::StrCat("client id ", client, " is out of range"));
    }
    return client;
  }
  void Lock(std::string* lock) {
    const uint16_t length = U16();
    if (length > kMaxLockNameBytes) {
      Fail(absl::StrCat("lock name of ", length, " bytes (at most ", kMaxLockNameBytes, ")"));
      return;
    }
    if (!Fits(length)) return;
    lock->assign(reinterpret_cast<const char*>(body_.data() + at_), length);
    at_ += length;
  }
  void Fail(std::string error) {
    if (error_.empty()) error_ = std::move(error);
  }
  bool AtEnd() const { return at_ == body_.size(); }
  const std::string& error() const { return error_; }

 private:
  bool Fits(size_t n) {
    if (body_.size() - at_ >= n) return true;
    Fail("frame is shorter than its kind requires");
    at_ = body_.size();
    return false;
  }
  std::span<const uint8_t> body_;
  size_t at_ = 0;
  std::string error_;
};

// The alternative T of *message, created if it holds another one (its strings keep their
// capacity when it already holds T).
template <typename T>
T& Reuse(Message* message) {
  if (!std::holds_alternative<T>(*message)) message->emplace<T>();
  return std::get<T>(*message);
}

bool IsKnownKind(uint8_t kind) {
  return kind >= static_cast<uint8_t>(FrameKind::kHello) &&
         kind <= static_cast<uint8_t>(FrameKind::kForwardReply);
}

void ReadBody(FrameKind kind, Reader& in, Frame* frame) {
  switch (kind) {
    case FrameKind::kHello: {
      if (frame->call != 0) in.Fail("hello with a call id");
      if (in.U32() != kHelloMagic) in.Fail("hello without the magic \"LKSM\"");
      frame->hello.version = in.U16();
      if (frame->hello.version != kWireVersion) {
        in.Fail(
            absl::StrCat("wire version ", frame->hello.version, " (this is ", kWireVersion, ")"));
      }
      const uint8_t role = in.U8();
      if (role > static_cast<uint8_t>(PeerRole::kClient)) {
        in.Fail(absl::StrCat("unknown role ", role));
      }
      frame->hello.role = static_cast<PeerRole>(role);
      frame->hello.incarnation = in.U64();
      return;
    }
    case FrameKind::kClientRequest: {
      ClientRequest& request = Reuse<ClientRequest>(&frame->message);
      request.id.client = in.Client();
      request.id.sequence = in.U64();
      request.op = in.Op();
      in.Lock(&request.lock);
      return;
    }
    case FrameKind::kClientReply: {
      ClientReply& reply = Reuse<ClientReply>(&frame->message);
      reply.id.client = in.Client();
      reply.id.sequence = in.U64();
      reply.result = in.Bool("result");
      return;
    }
    case FrameKind::kForwardRequest: {
      ForwardRequest& forward = Reuse<ForwardRequest>(&frame->message);
      forward.order = in.U64();
      if (forward.order == 0) in.Fail("forward with order 0");
      forward.id.client = in.Client();
      forward.id.sequence = in.U64();
      forward.op = in.Op();
      forward.result = in.Bool("result");
      in.Lock(&forward.lock);
      return;
    }
    case FrameKind::kForwardReply:
      Reuse<ForwardReply>(&frame->message).order = in.U64();
      return;
  }
}

}  // namespace

const char* PeerRoleName(PeerRole role) {
  switch (role) {
    case PeerRole::kPrimary:
      return "primary";
    case PeerRole::kBackup:
      return "backup";
    case PeerRole::kClient:
      return "client";
  }
  return "?";
}

FrameKind KindOf(const Message& message) {
  return std::visit(
      [](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, ClientRequest>) return FrameKind::kClientRequest;
        if constexpr (std::is_same_v<T, ClientReply>) return FrameKind::kClientReply;
        if constexpr (std::is_same_v<T, ForwardRequest>) return FrameKind::kForwardRequest;
        if constexpr (std::is_same_v<T, ForwardReply>) return FrameKind::kForwardReply;
      },
      message);
}

bool IsRequest(FrameKind kind) {
  return kind == FrameKind::kClientRequest || kind == FrameKind::kForwardRequest;
}

void AppendHelloFrame(const Hello& hello, std::vector<uint8_t>* out) {
  Writer w(out);
  w.U8(static_cast<uint8_t>(FrameKind::kHello));
  w.U64(0);
  w.U32(kHelloMagic);
  w.U16(hello.version);
  w.U8(static_cast<uint8_t>(hello.role));
  w.U64(hello.incarnation);
  w.Finish();
}

void AppendMessageFrame(uint64_t call, const Message& message, std::vector<uint8_t>* out) {
  Writer w(out);
  w.U8(static_cast<uint8_t>(KindOf(message)));
  w.U64(call);
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, ClientRequest>) {
          w.U32(static_cast<uint32_t>(m.id.client));
          w.U64(m.id.sequence);
          w.Op(m.op);
          w.Lock(m.lock);
        } else if constexpr (std::is_same_v<T, ClientReply>) {
          w.U32(static_cast<uint32_t>(m.id.client));
          w.U64(m.id.sequence);
          w.Bool(m.result);
        } else if constexpr (std::is_same_v<T, ForwardRequest>) {
          w.U64(m.order);
          w.U32(static_cast<uint32_t>(m.id.client));
          w.U64(m.id.sequence);
          w.Op(m.op);
          w.Bool(m.result);
          w.Lock(m.lock);
        } else {
          static_assert(std::is_same_v<T, ForwardReply>);
          w.U64(m.order);
        }
      },
      message);
  w.Finish();
}

DecodeResult DecodeFrame(std::span<const uint8_t> bytes, Frame* frame) {
  DecodeResult result;
  if (bytes.size() < kFrameHeaderBytes) return result;  // kNeedMore
  const uint32_t length = static_cast<uint32_t>(bytes[0]) << 24 |
                          static_cast<uint32_t>(bytes[1]) << 16 |
                          static_cast<uint32_t>(bytes[2]) << 8 | static_cast<uint32_t>(bytes[3]);
  // Reject what cannot be a frame as soon as it shows, before waiting for a body that may never
  // come (or come as megabytes of garbage).
  if (length == 0 || length > kMaxFrameBody) {
    result.status = DecodeStatus::kMalformed;
    result.error = absl::StrCat("frame length ", length, " (must be 1 to ", kMaxFrameBody, ")");
    return result;
  }
  if (bytes.size() > kFrameHeaderBytes && !IsKnownKind(bytes[kFrameHeaderBytes])) {
    result.status = DecodeStatus::kMalformed;
    result.error = absl::StrCat("unknown frame kind ", bytes[kFrameHeaderBytes]);
    return result;
  }
  if (bytes.size() - kFrameHeaderBytes < length) return result;  // kNeedMore

  Reader in(bytes.subspan(kFrameHeaderBytes, length));
  frame->kind = static_cast<FrameKind>(in.U8());
  frame->call = in.U64();
  ReadBody(frame->kind, in, frame);
  if (in.error().empty() && !in.AtEnd()) in.Fail("bytes left over after the frame's fields");
  if (!in.error().empty()) {
    result.status = DecodeStatus::kMalformed;
    result.error = in.error();
    return result;
  }
  result.status = DecodeStatus::kFrame;
  result.consumed = kFrameHeaderBytes + length;
  return result;
}

}  // namespace locksim::net
