// net::Runtime against the rules of service/environment.h: every call gets exactly one outcome,
// never from inside the handler that made it; timeouts; late replies dropped; a reply that does
// not answer its call closes the connection; timers fire once unless cancelled. The servers here
// are scripted by hand on a thread, with blocking sockets.
#include "net/runtime.h"

#include <gtest/gtest.h>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "net/wire.h"

namespace locksim::net {
namespace {

using asio::ip::tcp;
using service::CallFailure;

// Records what the runtime tells it, and checks that no handler starts inside another.
class RecordingNode final : public service::Node {
 public:
  std::vector<std::string> events;
  std::function<void(service::CallId)> on_failed;  // runs inside OnCallFailed

  void OnCall(service::NodeId, service::ReplyToken, const service::Message&) override {
    Enter("call");
  }
  void OnCallReply(service::CallId call, const service::Message&) override {
    Enter(absl::StrCat("reply ", call));
  }
  void OnCallFailed(service::CallId call, CallFailure failure) override {
    Enter(absl::StrCat(failure == CallFailure::kRefused ? "refused " : "timeout ", call));
    ++depth_;
    if (on_failed) on_failed(call);
    --depth_;
  }
  void OnTimer(service::TimerId timer) override { Enter(absl::StrCat("timer ", timer)); }

 private:
  void Enter(std::string event) {
    EXPECT_EQ(depth_, 0) << "a handler ran inside another: " << event;
    events.push_back(std::move(event));
  }
  int depth_ = 0;
};

// Runs `io` until `done` or 20 s; returns whether `done` came true.
bool RunUntil(asio::io_context& io, const std::function<bool()>& done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (io.run_one_until(give_up) == 0) return done();
  }
  return true;
}

tcp::endpoint FreePortThatNobodyListensOn() {
  asio::io_context io;
  tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return probe.local_endpoint();  // closed when `probe` goes out of scope
}

const service::ClientRequest kRequest{.id = {.client = 0, .sequence = 1}, .lock = "a"};

TEST(Runtime, TimersFireOnceUnlessCancelled) {
  asio::io_context io;
  Runtime runtime(io, RuntimeConfig{}, nullptr);
  RecordingNode node;
  runtime.Attach(service::ClientNode(0), &node);
  service::Environment& env = runtime.EnvironmentFor(service::ClientNode(0));
  const service::TimerId kept = env.StartTimer(service::Micros(1000));
  const service::TimerId cancelled = env.StartTimer(service::Micros(1000));
  env.CancelTimer(cancelled);
  env.CancelTimer(cancelled);  // allowed, does nothing
  ASSERT_TRUE(RunUntil(io, [&] { return !node.events.empty(); }));
  io.run_for(std::chrono::milliseconds(20));  // room for a wrong second firing
  EXPECT_EQ(node.events, std::vector<std::string>{absl::StrCat("timer ", kept)});
  env.CancelTimer(kept);  // after firing: allowed, does nothing
}

TEST(Runtime, ACallWithNowhereToGoIsRefusedLaterNotInsideTheCall) {
  asio::io_context io;
  Runtime runtime(io, RuntimeConfig{}, nullptr);  // knows no servers
  RecordingNode node;
  runtime.Attach(service::ClientNode(0), &node);
  const service::CallId call =
      runtime.EnvironmentFor(service::ClientNode(0)).Call(service::kPrimaryNode, kRequest);
  EXPECT_TRUE(node.events.empty()) << "the outcome must come from a fresh handler";
  ASSERT_TRUE(RunUntil(io, [&] { return !node.events.empty(); }));
  EXPECT_EQ(node.events, std::vector<std::string>{absl::StrCat("refused ", call)});
}

TEST(Runtime, ARefusedConnectionFailsEveryCallOnItAndRetriesDoNotReenter) {
  asio::io_context io;
  RuntimeConfig config;
  config.primary = {FreePortThatNobodyListensOn()};
  config.backup = config.primary;
  Runtime runtime(io, config, nullptr);
  RecordingNode node;
  runtime.Attach(service::ClientNode(0), &node);
  service::Environment& env = runtime.EnvironmentFor(service::ClientNode(0));
  // Like a clerk: each failure makes the next call, up to 6 in all.
  int calls = 0;
  node.on_failed = [&](service::CallId) {
    if (++calls < 6)
      env.Call(calls % 2 == 0 ? service::kPrimaryNode : service::kBackupNode, kRequest);
  };
  env.Call(service::kPrimaryNode, kRequest);
  ASSERT_TRUE(RunUntil(io, [&] { return node.events.size() == 6; }));
  for (const std::string& event : node.events) EXPECT_TRUE(event.starts_with("refused ")) << event;
  EXPECT_EQ(runtime.stats().calls_refused, 6u);
}

// A server scripted by hand: accepts one connection, reads the client's hello and answers it as
// `role`, reads one request, then does `after_request` with the socket and the request's call id.
class ScriptedServer {
 public:
  ScriptedServer(PeerRole role,
                 std::function<void(tcp::socket&, uint64_t call, const Frame&)> after_request)
      : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    thread_ = std::thread([this, role, after_request] {
      tcp::socket socket(io_);
      acceptor_.accept(socket);
      Frame hello = ReadFrame(socket);
      EXPECT_EQ(hello.kind, FrameKind::kHello);
      std::vector<uint8_t> out;
      AppendHelloFrame(Hello{.role = role, .incarnation = 1}, &out);
      asio::write(socket, asio::buffer(out));
      const Frame request = ReadFrame(socket);
      after_request(socket, request.call, request);
    });
  }
  ~ScriptedServer() { thread_.join(); }
  tcp::endpoint endpoint() const { return acceptor_.local_endpoint(); }

  static Frame ReadFrame(tcp::socket& socket) {
    std::vector<uint8_t> bytes(kFrameHeaderBytes);
    asio::read(socket, asio::buffer(bytes));
    const uint32_t length =
        static_cast<uint32_t>(bytes[0]) << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3];
    bytes.resize(kFrameHeaderBytes + length);
    asio::read(socket, asio::buffer(bytes.data() + kFrameHeaderBytes, length));
    Frame frame;
    EXPECT_EQ(DecodeFrame(bytes, &frame).status, DecodeStatus::kFrame);
    return frame;
  }

 private:
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

TEST(Runtime, ASilentServerTimesOutAndItsLateReplyIsDropped) {
  std::promise<void> timed_out;
  std::future<void> timed_out_seen = timed_out.get_future();
  ScriptedServer server(PeerRole::kPrimary, [&](tcp::socket& socket, uint64_t call, const Frame&) {
    // Answer only after the client gave up (bounded: 20 s).
    timed_out_seen.wait_for(std::chrono::seconds(20));
    std::vector<uint8_t> out;
    AppendMessageFrame(call, service::ClientReply{.id = kRequest.id, .result = true}, &out);
    asio::write(socket, asio::buffer(out));
  });
  asio::io_context io;
  RuntimeConfig config;
  config.rpc_timeout = service::Micros(50'000);
  config.primary = {server.endpoint()};
  Runtime runtime(io, config, nullptr);
  RecordingNode node;
  runtime.Attach(service::ClientNode(0), &node);
  const service::CallId call =
      runtime.EnvironmentFor(service::ClientNode(0)).Call(service::kPrimaryNode, kRequest);
  ASSERT_TRUE(RunUntil(io, [&] { return !node.events.empty(); }));
  EXPECT_EQ(node.events, std::vector<std::string>{absl::StrCat("timeout ", call)});
  timed_out.set_value();
  ASSERT_TRUE(RunUntil(io, [&] { return runtime.stats().late_replies == 1; }));
  EXPECT_EQ(node.events.size(), 1u) << "a late reply is never handed to the node";
}

TEST(Runtime, AReplyForAnotherRequestClosesTheConnection) {
  ScriptedServer server(PeerRole::kPrimary, [](tcp::socket& socket, uint64_t call, const Frame&) {
    std::vector<uint8_t> out;
    AppendMessageFrame(call, service::ClientReply{.id = {.client = 0, .sequence = 99}}, &out);
    asio::write(socket, asio::buffer(out));
  });
  asio::io_context io;
  RuntimeConfig config;
  config.primary = {server.endpoint()};
  Runtime runtime(io, config, nullptr);
  RecordingNode node;
  runtime.Attach(service::ClientNode(0), &node);
  const service::CallId call =
      runtime.EnvironmentFor(service::ClientNode(0)).Call(service::kPrimaryNode, kRequest);
  ASSERT_TRUE(RunUntil(io, [&] { return !node.events.empty(); }));
  EXPECT_EQ(node.events, std::vector<std::string>{absl::StrCat("refused ", call)});
  EXPECT_EQ(runtime.stats().protocol_errors, 1u);
}

TEST(Runtime, TheWrongServerAtAnAddressIsReportedAsSuch) {
  ScriptedServer server(PeerRole::kBackup, [](tcp::socket&, uint64_t, const Frame&) {});
  asio::io_context io;
  RuntimeConfig config;
  config.primary = {server.endpoint()};
  struct Observer : RuntimeObserver {
    std::string reason;
    bool wrong_peer = false;
    void OnLinkDown(service::NodeId, const std::string&, std::string_view why,
                    bool wrong) override {
      reason = std::string(why);
      wrong_peer = wrong;
    }
  } observer;
  Runtime runtime(io, config, &observer);
  RecordingNode node;
  runtime.Attach(service::ClientNode(0), &node);
  runtime.EnvironmentFor(service::ClientNode(0)).Call(service::kPrimaryNode, kRequest);
  ASSERT_TRUE(RunUntil(io, [&] { return !node.events.empty(); }));
  EXPECT_TRUE(node.events[0].starts_with("refused ")) << node.events[0];
  EXPECT_TRUE(observer.wrong_peer);
  EXPECT_NE(observer.reason.find("is a backup, not the primary"), std::string::npos)
      << observer.reason;
}

}  // namespace
}  // namespace locksim::net
