// One TCP connection carrying frames (net/wire.h) both ways: it connects (or starts from an
// accepted socket), reads and decodes frames, and writes batches of them.
//
// Writes are batched: Send* only appends to a buffer, and one write per connection goes out
// after the handler that produced the frames returns (and everything else that was ready to run
// with it), so a burst of replies or forwards costs one system call. TCP_NODELAY is on, since
// the batching is done here and Nagle's delay would only add latency to every round trip.
//
// Everything runs on the io_context's one thread. The owner hears of a connection's end once,
// through OnClosed, always from a fresh handler (never from inside Close or a Send), so that it
// may fail the calls that were waiting on the connection without re-entering a node.
#ifndef LOCKSIM_NET_FRAME_CONNECTION_H_
#define LOCKSIM_NET_FRAME_CONNECTION_H_

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/wire.h"
#include "service/messages.h"

namespace locksim::net {

class FrameConnection : public std::enable_shared_from_this<FrameConnection> {
 public:
  class Owner {
   public:
    virtual ~Owner() = default;
    // An outgoing connection is established (frames sent before this are on their way now).
    virtual void OnConnected(FrameConnection& connection) = 0;
    // One decoded frame. The owner may Close the connection from here; no later frame of this
    // connection is then delivered.
    virtual void OnFrame(FrameConnection& connection, const Frame& frame) = 0;
    // The connection has ended (refused, reset, end of stream, a malformed frame, or Close).
    // Called exactly once per connection, unless the owner Detached it first.
    virtual void OnClosed(FrameConnection& connection, std::string_view reason) = 0;
  };

  // Connects to the first of `endpoints` that accepts. `id` is the owner's name for it.
  static std::shared_ptr<FrameConnection> Connect(
      asio::io_context& io, const std::vector<asio::ip::tcp::endpoint>& endpoints, Owner& owner,
      uint64_t id);
  // Takes over an accepted socket and starts reading.
  static std::shared_ptr<FrameConnection> Accepted(asio::io_context& io,
                                                   asio::ip::tcp::socket socket, Owner& owner,
                                                   uint64_t id);

  FrameConnection(const FrameConnection&) = delete;
  FrameConnection& operator=(const FrameConnection&) = delete;

  // Queue one frame; written after the current handler. Frames sent while connecting wait for
  // the connection; frames sent after Close are discarded.
  void SendHello(const Hello& hello);
  void SendMessage(uint64_t call, const service::Message& message);

  // Ends the connection; OnClosed(reason) follows from a fresh handler. `abortive`: reset it
  // (SO_LINGER 0), as a process killed with unread input does, instead of a clean close.
  void Close(std::string_view reason, bool abortive = false);
  // Ends it because the peer broke the protocol (the owner found a frame it must not send).
  void CloseForProtocolError(std::string_view error);
  // The same, but only once the frames already queued are written: a server refusing a peer's
  // hello first sends its own, so that the peer can tell the user whom it reached. Only a few
  // bytes are ever queued then, so the socket takes them at once; frames arriving meanwhile are
  // ignored.
  void CloseForProtocolErrorAfterFlush(std::string_view error);
  // The owner will not hear of this connection again (it is shutting down).
  void Detach() { owner_ = nullptr; }

  uint64_t id() const { return id_; }
  bool closed() const { return closed_; }
  // Closed because the peer sent a malformed frame or broke the protocol (not a network error).
  bool protocol_error() const { return protocol_error_; }
  // "127.0.0.1:7000" once known; the address being tried while connecting.
  const std::string& remote() const { return remote_; }

 private:
  FrameConnection(asio::io_context& io, Owner& owner, uint64_t id);
  void StartConnect(const std::vector<asio::ip::tcp::endpoint>& endpoints);
  void Opened();
  void ReadMore();
  void OnRead(size_t bytes);
  void ScheduleFlush();
  void Flush();
  void Fail(std::string reason);

  asio::io_context& io_;
  asio::ip::tcp::socket socket_;
  Owner* owner_;
  const uint64_t id_;
  std::string remote_;
  bool open_ = false;  // connected and reading
  bool closed_ = false;
  bool protocol_error_ = false;
  bool closing_ = false;  // CloseForProtocolErrorAfterFlush: Fail(closing_reason_) once flushed
  std::string closing_reason_;

  // Reading: bytes received and not yet decoded, at the front of `in_`.
  std::vector<uint8_t> in_;
  size_t in_filled_ = 0;
  Frame frame_;  // decoded into in place, reused

  // Writing: frames queued since the last write began, and the batch being written.
  std::vector<uint8_t> out_queued_;
  std::vector<uint8_t> out_writing_;
  bool writing_ = false;
  bool flush_scheduled_ = false;
};

}  // namespace locksim::net

#endif  // LOCKSIM_NET_FRAME_CONNECTION_H_
