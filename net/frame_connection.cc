#include "net/frame_connection.h"

#include <asio/connect.hpp>
#include <asio/post.hpp>
#include <asio/write.hpp>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/assert.h"
#include "net/host_port.h"

namespace locksim::net {
namespace {

// Room for the largest frame and many small ones: a read usually drains the socket at once.
constexpr size_t kReadBufferBytes = 64 * 1024;
static_assert(kReadBufferBytes >= kFrameHeaderBytes + kMaxFrameBody);

}  // namespace

FrameConnection::FrameConnection(asio::io_context& io, Owner& owner, uint64_t id)
    : io_(io), socket_(io), owner_(&owner), id_(id), in_(kReadBufferBytes) {}

std::shared_ptr<FrameConnection> FrameConnection::Connect(
    asio::io_context& io, const std::vector<asio::ip::tcp::endpoint>& endpoints, Owner& owner,
    uint64_t id) {
  LOCKSIM_ASSERT(!endpoints.empty());
  std::shared_ptr<FrameConnection> connection(new FrameConnection(io, owner, id));
  connection->StartConnect(endpoints);
  return connection;
}

std::shared_ptr<FrameConnection> FrameConnection::Accepted(asio::io_context& io,
                                                           asio::ip::tcp::socket socket,
                                                           Owner& owner, uint64_t id) {
  std::shared_ptr<FrameConnection> connection(new FrameConnection(io, owner, id));
  connection->socket_ = std::move(socket);
  asio::error_code error;
  const asio::ip::tcp::endpoint remote = connection->socket_.remote_endpoint(error);
  connection->remote_ = error ? std::string("?") : FormatEndpoint(remote);
  connection->Opened();
  return connection;
}

void FrameConnection::StartConnect(const std::vector<asio::ip::tcp::endpoint>& endpoints) {
  remote_ = FormatEndpoint(endpoints.front());
  asio::async_connect(socket_, endpoints,
                      [self = shared_from_this()](const asio::error_code& error,
                                                  const asio::ip::tcp::endpoint& endpoint) {
                        if (self->closed_) return;
                        if (error) {
                          self->Fail(absl::StrCat("cannot connect: ", error.message()));
                          return;
                        }
                        self->remote_ = FormatEndpoint(endpoint);
                        self->Opened();
                        if (self->owner_ != nullptr) self->owner_->OnConnected(*self);
                      });
}

void FrameConnection::Opened() {
  open_ = true;
  asio::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  ReadMore();
  ScheduleFlush();  // frames queued while connecting
}

void FrameConnection::SendHello(const Hello& hello) {
  if (closed_ || closing_) return;
  AppendHelloFrame(hello, &out_queued_);
  ScheduleFlush();
}

void FrameConnection::SendMessage(uint64_t call, const service::Message& message) {
  if (closed_ || closing_) return;
  AppendMessageFrame(call, message, &out_queued_);
  ScheduleFlush();
}

void FrameConnection::Close(std::string_view reason, bool abortive) {
  if (closed_) return;
  if (abortive) {
    asio::error_code ignored;
    socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  }
  Fail(std::string(reason));
}

void FrameConnection::CloseForProtocolError(std::string_view error) {
  if (closed_) return;
  protocol_error_ = true;
  Fail(absl::StrCat("protocol error: ", std::string(error)));
}

void FrameConnection::CloseForProtocolErrorAfterFlush(std::string_view error) {
  if (closed_ || closing_) return;
  protocol_error_ = true;
  closing_ = true;
  closing_reason_ = absl::StrCat("protocol error: ", std::string(error));
  if (!writing_ && out_queued_.empty()) {
    Fail(closing_reason_);
    return;
  }
  ScheduleFlush();
}

void FrameConnection::Fail(std::string reason) {
  if (closed_) return;
  closed_ = true;
  open_ = false;
  asio::error_code ignored;
  socket_.close(ignored);  // cancels the pending read, write or connect
  out_queued_.clear();
  asio::post(io_, [self = shared_from_this(), reason = std::move(reason)] {
    if (self->owner_ != nullptr) self->owner_->OnClosed(*self, reason);
  });
}

void FrameConnection::ReadMore() {
  LOCKSIM_ASSERT(in_filled_ < in_.size());
  socket_.async_read_some(asio::buffer(in_.data() + in_filled_, in_.size() - in_filled_),
                          [self = shared_from_this()](const asio::error_code& error, size_t bytes) {
                            if (self->closed_) return;
                            if (error) {
                              self->Fail(error == asio::error::eof
                                             ? std::string("the peer closed the connection")
                                             : error.message());
                              return;
                            }
                            self->OnRead(bytes);
                          });
}

void FrameConnection::OnRead(size_t bytes) {
  if (closing_) return;  // waiting for the last write; the peer has nothing more to say
  in_filled_ += bytes;
  size_t at = 0;
  // Each pass consumes one frame or stops: bounded by the bytes read.
  while (!closed_ && !closing_ && owner_ != nullptr) {
    const DecodeResult decoded =
        DecodeFrame(std::span<const uint8_t>(in_.data() + at, in_filled_ - at), &frame_);
    if (decoded.status == DecodeStatus::kNeedMore) break;
    if (decoded.status == DecodeStatus::kMalformed) {
      CloseForProtocolError(absl::StrCat("malformed frame: ", decoded.error));
      return;
    }
    at += decoded.consumed;
    owner_->OnFrame(*this, frame_);
  }
  if (closed_ || closing_ || owner_ == nullptr) return;
  // Keep the start of an incomplete frame; the buffer always has room for a whole one.
  if (at > 0) {
    std::memmove(in_.data(), in_.data() + at, in_filled_ - at);
    in_filled_ -= at;
  }
  ReadMore();
}

void FrameConnection::ScheduleFlush() {
  if (!open_ || writing_ || flush_scheduled_ || (out_queued_.empty() && !closing_)) return;
  flush_scheduled_ = true;
  asio::post(io_, [self = shared_from_this()] {
    self->flush_scheduled_ = false;
    self->Flush();
  });
}

void FrameConnection::Flush() {
  if (closing_ && !writing_ && out_queued_.empty()) {
    Fail(closing_reason_);
    return;
  }
  if (!open_ || writing_ || out_queued_.empty()) return;
  writing_ = true;
  out_writing_.swap(out_queued_);
  asio::async_write(socket_, asio::buffer(out_writing_),
                    [self = shared_from_this()](const asio::error_code& error, size_t) {
                      self->writing_ = false;
                      self->out_writing_.clear();  // keeps its capacity for the next batch
                      if (self->closed_) return;
                      if (error) {
                        self->Fail(error.message());
                        return;
                      }
                      // What queued up during the write goes out now, as one batch.
                      self->Flush();
                    });
}

}  // namespace locksim::net
