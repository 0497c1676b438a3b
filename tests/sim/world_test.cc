// The world's contract, with two tiny nodes instead of the lock protocol: a server that answers
// every call (optionally later, by timer) and a client that records what became of its calls.
#include "sim/world.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace locksim::sim {
namespace {

using service::CallFailure;
using service::CallId;
using service::Message;
using service::NodeId;

constexpr NodeId kServer = service::kPrimaryNode;
constexpr NodeId kOther = service::kBackupNode;
constexpr NodeId kClient = service::ClientNode(0);

class EchoServer : public service::Node {
 public:
  explicit EchoServer(service::Environment& env) : env_(env) {}
  void OnCall(NodeId, service::ReplyToken token, const Message& request) override {
    ++calls_handled;
    const auto& forward = std::get<service::ForwardRequest>(request);
    env_.Reply(token, service::ForwardReply{forward.order});
  }
  void OnCallReply(CallId, const Message&) override {}
  void OnCallFailed(CallId, CallFailure) override {}
  void OnTimer(service::TimerId) override {}
  int calls_handled = 0;

 private:
  service::Environment& env_;
};

// Records each call's outcome as text: "reply 7", "refused", "timeout".
class RecordingClient : public service::Node {
 public:
  explicit RecordingClient(service::Environment& env) : env_(env) {}
  CallId Ping(NodeId to, uint64_t order) {
    return env_.Call(to, service::ForwardRequest{order, {}, service::OpKind::kLock, "x", false});
  }
  void OnCall(NodeId, service::ReplyToken, const Message&) override {}
  void OnCallReply(CallId call, const Message& reply) override {
    outcomes[call] = "reply " + std::to_string(std::get<service::ForwardReply>(reply).order) +
                     " at " + std::to_string(env_.Now().count());
  }
  void OnCallFailed(CallId call, CallFailure failure) override {
    outcomes[call] = std::string(failure == CallFailure::kRefused ? "refused" : "timeout") +
                     " at " + std::to_string(env_.Now().count());
  }
  void OnTimer(service::TimerId timer) override { fired_timers.push_back(timer); }
  std::map<CallId, std::string> outcomes;  // ordered: printed in tests
  std::vector<service::TimerId> fired_timers;
  service::Environment& env_;
};

// Runs harness tags as lambdas so each test scripts its own run.
class ScriptedObserver : public WorldObserver {
 public:
  void OnHarnessEvent(uint64_t tag) override { actions.at(tag)(); }
  void OnOperationCompleted(NodeId, const service::CompletedOperation&) override {}
  void AfterMessageHandled(NodeId node, uint64_t count) override {
    if (on_handled) on_handled(node, count);
  }
  std::vector<std::function<void()>> actions;
  std::function<void(NodeId, uint64_t)> on_handled;
};

// Echo servers at kServer and kOther, unless a derived fixture attaches its own nodes there.
struct Fixture {
  explicit Fixture(uint64_t seed = 1, NetworkConfig network = {}, bool attach_servers = true) {
    WorldConfig config;
    config.network = network;
    config.node_count = 3;
    config.rpc_timeout = Duration::Millis(100);
    world = std::make_unique<World>(config, Prng(seed), trace, observer);
    server = std::make_unique<EchoServer>(world->EnvironmentFor(kServer));
    other = std::make_unique<EchoServer>(world->EnvironmentFor(kOther));
    client = std::make_unique<RecordingClient>(world->EnvironmentFor(kClient));
    if (attach_servers) {
      world->Attach(kServer, server.get());
      world->Attach(kOther, other.get());
    }
    world->Attach(kClient, client.get());
  }
  // Schedules `action` at `ms` as the client.
  void At(int64_t ms, std::function<void()> action) {
    observer.actions.push_back([this, action] { world->RunAs(kClient, action); });
    world->ScheduleHarness(Time::Zero() + Duration::Millis(ms), observer.actions.size() - 1);
  }
  Trace trace;
  ScriptedObserver observer;
  std::unique_ptr<World> world;
  std::unique_ptr<EchoServer> server;
  std::unique_ptr<EchoServer> other;
  std::unique_ptr<RecordingClient> client;
};

TEST(World, CallGetsItsReplyAfterTwoHops) {
  Fixture f;
  CallId call = 0;
  f.At(0, [&] { call = f.client->Ping(kServer, 7); });
  EXPECT_EQ(f.world->Run(), StopReason::kQuiescent);
  EXPECT_EQ(f.client->outcomes[call], "reply 7 at 2000");  // 1 ms each way
  EXPECT_EQ(f.world->stats().sent, 2u);
  EXPECT_EQ(f.world->stats().calls_timed_out, 0u) << "the timeout is cancelled by the reply";
}

TEST(World, CallToCrashedNodeFailsFastAndNothingReachesIt) {
  Fixture f;
  CallId call = 0;
  f.At(0, [&] { f.world->Crash(kServer, "test"); });
  f.At(5, [&] { call = f.client->Ping(kServer, 1); });
  f.world->Run();
  EXPECT_EQ(f.client->outcomes[call], "refused at 7000") << "one hop there, one hop back";
  EXPECT_EQ(f.server->calls_handled, 0);
  EXPECT_EQ(f.world->stats().discarded, 1u);
}

TEST(World, LostReplyEndsInTimeout) {
  NetworkConfig network;
  network.channels[static_cast<size_t>(Channel::kReply)].drop = Probability::Always();
  Fixture f(1, network);
  CallId call = 0;
  f.At(0, [&] { call = f.client->Ping(kServer, 1); });
  f.world->Run();
  EXPECT_EQ(f.server->calls_handled, 1) << "the request executed; only the reply was lost";
  EXPECT_EQ(f.client->outcomes[call], "timeout at 100000");
}

// A server that answers nothing: every call to it times out.
class SilentServer : public service::Node {
 public:
  void OnCall(NodeId, service::ReplyToken, const Message&) override {}
  void OnCallReply(CallId, const Message&) override {}
  void OnCallFailed(CallId, CallFailure) override {}
  void OnTimer(service::TimerId) override {}
};

// kServer answers nothing (every call to it times out); kOther echoes.
struct SilentServerFixture : Fixture {
  SilentServerFixture() : Fixture(1, {}, /*attach_servers=*/false) {
    world->Attach(kServer, &silent);
    world->Attach(kOther, other.get());
  }
  SilentServer silent;
};

// The progress check's input: a timeout with no fault on its path is unexplained; each kind of
// fault near the callee explains it.
TEST(World, ATimeoutWithNoFaultIsUnexplained) {
  SilentServerFixture f;
  f.At(0, [&] { f.client->Ping(kServer, 1); });
  f.world->Run();
  ASSERT_EQ(f.world->unexplained_timeouts().size(), 1u);
  EXPECT_EQ(f.world->unexplained_timeouts()[0].caller, kClient);
  EXPECT_EQ(f.world->unexplained_timeouts()[0].callee, kServer);
  EXPECT_EQ(f.world->unexplained_timeouts()[0].deadline, Time::FromMicros(100000));
}

TEST(World, ALostReplyExplainsItsTimeout) {
  NetworkConfig network;
  network.channels[static_cast<size_t>(Channel::kReply)].drop = Probability::Always();
  Fixture f(1, network);
  f.At(0, [&] { f.client->Ping(kServer, 1); });
  f.world->Run();
  EXPECT_EQ(f.world->stats().calls_timed_out, 1u);
  EXPECT_TRUE(f.world->unexplained_timeouts().empty());
}

TEST(World, ASlowMessageExplainsATimeout) {
  NetworkConfig network;
  // Over a quarter of the 100 ms timeout each way, and a round trip beyond it.
  network.latency = {Duration::Millis(60), Duration::Millis(60)};
  Fixture f(1, network);
  f.At(0, [&] { f.client->Ping(kServer, 1); });
  f.world->Run();
  EXPECT_EQ(f.world->stats().calls_timed_out, 1u);
  EXPECT_TRUE(f.world->unexplained_timeouts().empty());
}

TEST(World, ADeafServerExplainsItsTimeout) {
  Fixture f;
  f.At(0, [&] { f.world->MakeDeaf(kServer); });
  f.At(1, [&] { f.client->Ping(kServer, 1); });
  f.world->Run();
  EXPECT_EQ(f.world->stats().calls_timed_out, 1u);
  EXPECT_TRUE(f.world->unexplained_timeouts().empty());
}

TEST(World, APartitionExplainsATimeout) {
  Fixture f;
  f.At(0, [&] { f.world->SetLinkBlocked(kServer, kClient, true); });
  f.At(1, [&] { f.client->Ping(kServer, 1); });
  f.world->Run();
  EXPECT_EQ(f.world->stats().calls_timed_out, 1u);
  EXPECT_TRUE(f.world->unexplained_timeouts().empty());
}

// Passes each call on to kOther and answers with its reply. When that call fails, it answers at
// once if `answers_on_failure` (what the primary does when its backup is gone), else never (the
// bug of a primary that keeps its replies held after it went on alone).
class RelayServer : public service::Node {
 public:
  RelayServer(service::Environment& env, bool answers_on_failure)
      : env_(env), answers_on_failure_(answers_on_failure) {}
  void OnCall(NodeId, service::ReplyToken token, const Message& request) override {
    held_[env_.Call(kOther, request)] = token;
  }
  void OnCallReply(CallId call, const Message& reply) override {
    env_.Reply(held_.at(call), reply);
  }
  void OnCallFailed(CallId call, CallFailure) override {
    if (answers_on_failure_) env_.Reply(held_.at(call), service::ForwardReply{0});
  }
  void OnTimer(service::TimerId) override {}

 private:
  service::Environment& env_;
  bool answers_on_failure_;
  std::map<CallId, service::ReplyToken> held_;
};

// kServer relays to kOther, which echoes or is silent.
struct RelayFixture : Fixture {
  RelayFixture(bool answers_on_failure, bool other_silent, NetworkConfig network = {})
      : Fixture(1, network, /*attach_servers=*/false),
        relay(world->EnvironmentFor(kServer), answers_on_failure) {
    world->Attach(kServer, &relay);
    world->Attach(kOther, other_silent ? static_cast<service::Node*>(&silent) : other.get());
  }
  RelayServer relay;
  SilentServer silent;
};

TEST(World, ACalleeThatGoesOnWithoutACrashedNodeAnswersInTime) {
  RelayFixture f(/*answers_on_failure=*/true, /*other_silent=*/false);
  CallId call = 0;
  f.At(0, [&] { f.world->Crash(kOther, "test"); });
  f.At(5, [&] { call = f.client->Ping(kServer, 1); });
  f.world->Run();
  EXPECT_EQ(f.client->outcomes[call], "reply 0 at 9000") << "four hops: there, refused, back";
  EXPECT_EQ(f.world->stats().calls_timed_out, 0u);
}

// Four hops of exactly a quarter of the timeout each (the longest answer a correct primary owes
// when its backup is down) bring the answer at the deadline itself: the progress check counts
// such hops as no fault, so the answer must win over the timeout due at the same instant.
TEST(World, AnAnswerDueAtTheDeadlineBeatsTheTimeout) {
  NetworkConfig network;
  network.latency = {Duration::Millis(25), Duration::Millis(25)};
  RelayFixture f(/*answers_on_failure=*/true, /*other_silent=*/false, network);
  CallId call = 0;
  f.At(0, [&] { f.world->Crash(kOther, "test"); });
  f.At(5, [&] { call = f.client->Ping(kServer, 1); });
  f.world->Run();
  EXPECT_EQ(f.client->outcomes[call], "reply 0 at 105000");
  EXPECT_EQ(f.world->stats().calls_timed_out, 0u);
}

// The crash of another node was noticed (its call was refused) in time to answer: it does not
// explain a timeout, so a callee that holds its answer anyway is caught.
TEST(World, ARefusedCallOfTheCalleeDoesNotExplainItsTimeout) {
  RelayFixture f(/*answers_on_failure=*/false, /*other_silent=*/false);
  CallId call = 0;
  f.At(0, [&] { f.world->Crash(kOther, "test"); });
  f.At(5, [&] { call = f.client->Ping(kServer, 1); });
  f.world->Run();
  EXPECT_EQ(f.client->outcomes[call], "timeout at 105000");
  ASSERT_EQ(f.world->unexplained_timeouts().size(), 1u);
  EXPECT_EQ(f.world->unexplained_timeouts()[0].callee, kServer);
}

// A node that crashed holding the callee's call (delivered, not answered) makes the callee wait
// for that call's timeout: that explains the timeout of the call the callee was serving.
TEST(World, ACrashHoldingTheCalleesCallExplainsItsTimeout) {
  RelayFixture f(/*answers_on_failure=*/true, /*other_silent=*/true);
  f.observer.on_handled = [&](NodeId node, uint64_t) {
    if (node == kOther) f.world->Crash(kOther, "test");
  };
  CallId call = 0;
  f.At(0, [&] { call = f.client->Ping(kServer, 1); });
  f.world->Run();
  EXPECT_EQ(f.client->outcomes[call], "timeout at 100000");
  EXPECT_EQ(f.world->stats().calls_timed_out, 2u) << "the relay's call and the client's";
  EXPECT_TRUE(f.world->unexplained_timeouts().empty());
}

// A server crash off the call's path explains nothing.
TEST(World, ACrashElsewhereDoesNotExplainATimeout) {
  SilentServerFixture f;
  f.At(0, [&] { f.world->Crash(kOther, "test"); });
  f.At(1, [&] { f.client->Ping(kServer, 1); });
  f.world->Run();
  ASSERT_EQ(f.world->unexplained_timeouts().size(), 1u);
  EXPECT_EQ(f.world->unexplained_timeouts()[0].callee, kServer);
}

TEST(World, DuplicatedRequestIsHandledTwiceButCallEndsOnce) {
  NetworkConfig network;
  network.channels[static_cast<size_t>(Channel::kRequest)].duplicate = Probability::Always();
  Fixture f(1, network);
  CallId call = 0;
  f.At(0, [&] { call = f.client->Ping(kServer, 3); });
  f.world->Run();
  EXPECT_EQ(f.server->calls_handled, 2);
  EXPECT_EQ(f.client->outcomes.size(), 1u);
  EXPECT_EQ(f.world->stats().late_replies, 1u) << "the second reply is traced, not handed over";
}

// A caller that retries from its failure handler: each retry starts a call while the world is
// still ending the previous one (the clerk does exactly this).
class Retrier : public RecordingClient {
 public:
  using RecordingClient::RecordingClient;
  void OnCallFailed(CallId call, CallFailure failure) override {
    RecordingClient::OnCallFailed(call, failure);
    if (++failures < 100) Ping(kServer, 0);
  }
  int failures = 0;
};

TEST(World, CallsStartedFromAFailureHandlerAreSafe) {
  Trace trace;
  ScriptedObserver observer;
  WorldConfig config;
  config.node_count = 3;
  World world(config, Prng(1), trace, observer);
  EchoServer server(world.EnvironmentFor(kServer));
  EchoServer other(world.EnvironmentFor(kOther));
  Retrier client(world.EnvironmentFor(kClient));
  world.Attach(kServer, &server);
  world.Attach(kOther, &other);
  world.Attach(kClient, &client);
  observer.actions.push_back([&] {
    world.Crash(kServer, "test");
    world.RunAs(kClient, [&] { client.Ping(kServer, 0); });
  });
  world.ScheduleHarness(Time::Zero(), 0);
  EXPECT_EQ(world.Run(), StopReason::kQuiescent);
  EXPECT_EQ(client.failures, 100);
  EXPECT_EQ(world.stats().calls_refused, 100u);
}

TEST(World, CrashedNodesTimersNeverFire) {
  Fixture f;
  f.At(0, [&] { f.client->env_.StartTimer(service::Micros(10'000)); });
  f.At(1, [&] { f.client->env_.StartTimer(service::Micros(1'000)); });
  f.At(5, [&] { f.world->Crash(kClient, "test"); });
  f.world->Run();
  EXPECT_EQ(f.client->fired_timers.size(), 1u) << "only the timer due before the crash";
}

TEST(World, CancelledTimerDoesNotFire) {
  Fixture f;
  f.At(0, [&] {
    const service::TimerId timer = f.client->env_.StartTimer(service::Micros(10));
    f.client->env_.CancelTimer(timer);
    f.client->env_.CancelTimer(timer);  // twice is allowed
  });
  f.world->Run();
  EXPECT_TRUE(f.client->fired_timers.empty());
}

TEST(World, CrashInsideHandlerWaitsForTheHandlerToReturn) {
  Fixture f;
  CallId call = 0;
  // The server crashes "right after handling its first message": its reply still goes out.
  f.observer.on_handled = [&](NodeId node, uint64_t count) {
    if (node == kServer && count == 1) f.world->Crash(kServer, "after 1 message");
  };
  f.At(0, [&] { call = f.client->Ping(kServer, 4); });
  CallId second = 0;
  f.At(10, [&] { second = f.client->Ping(kServer, 5); });
  f.world->Run();
  EXPECT_EQ(f.client->outcomes[call], "reply 4 at 2000");
  EXPECT_EQ(f.client->outcomes[second], "refused at 12000");
  EXPECT_TRUE(f.world->IsCrashed(kServer));
}

TEST(World, DeafServerLosesOneClientReplyThenHalts) {
  Fixture f;
  CallId call = 0;
  f.At(0, [&] { f.world->MakeDeaf(kServer); });
  f.At(1, [&] { call = f.client->Ping(kServer, 9); });
  f.world->Run();
  EXPECT_EQ(f.server->calls_handled, 1);
  EXPECT_TRUE(f.world->IsCrashed(kServer));
  EXPECT_EQ(f.client->outcomes[call], "timeout at 101000");
}

TEST(World, PartitionLosesMessagesUntilHealed) {
  Fixture f;
  CallId blocked = 0;
  CallId healed = 0;
  f.At(0, [&] { f.world->SetLinkBlocked(kClient, kServer, true); });
  f.At(1, [&] { blocked = f.client->Ping(kServer, 1); });
  f.At(200, [&] { f.world->SetLinkBlocked(kClient, kServer, false); });
  f.At(201, [&] { healed = f.client->Ping(kServer, 2); });
  f.world->Run();
  EXPECT_EQ(f.client->outcomes[blocked], "timeout at 101000");
  EXPECT_EQ(f.client->outcomes[healed], "reply 2 at 203000");
  EXPECT_EQ(f.world->stats().blocked, 1u);
}

// A node that re-arms its timer forever: the run must end by budget, never hang.
class Ticker : public service::Node {
 public:
  explicit Ticker(service::Environment& env) : env_(env) {}
  void OnCall(NodeId, service::ReplyToken, const Message&) override {}
  void OnCallReply(CallId, const Message&) override {}
  void OnCallFailed(CallId, CallFailure) override {}
  void OnTimer(service::TimerId) override { env_.StartTimer(service::Micros(1000)); }
  service::Environment& env_;
};

StopReason RunTicker(Budget budget) {
  Trace trace;
  ScriptedObserver observer;
  WorldConfig config;
  config.node_count = 1;
  config.budget = budget;
  World world(config, Prng(1), trace, observer);
  Ticker ticker(world.EnvironmentFor(0));
  world.Attach(0, &ticker);
  observer.actions.push_back([&] { world.RunAs(0, [&] { ticker.OnTimer(0); }); });
  world.ScheduleHarness(Time::Zero(), 0);
  return world.Run();
}

TEST(World, EventBudgetEndsAnEndlessRun) {
  EXPECT_EQ(RunTicker(Budget{1000, Duration::Seconds(3600)}), StopReason::kEventBudget);
}

TEST(World, TimeBudgetEndsAnEndlessRun) {
  EXPECT_EQ(RunTicker(Budget{100'000'000, Duration::Seconds(1)}), StopReason::kTimeBudget);
}

// --- Assertions in protocol code (base/assert.h): a finding that stops the run. ---

// Answers calls like EchoServer, but its invariant breaks on the call with order 3.
class BrokenServer : public EchoServer {
 public:
  using EchoServer::EchoServer;
  void OnCall(NodeId from, service::ReplyToken token, const Message& request) override {
    const uint64_t order = std::get<service::ForwardRequest>(request).order;
    LOCKSIM_ASSERT(order != 3);
    EchoServer::OnCall(from, token, request);
  }
};

// Records every trace line, to read what a run wrote.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(World, AFailedAssertionInAHandlerStopsTheRunAndNamesNodeTimeAndPlace) {
  WorldConfig config;
  config.node_count = 3;
  Trace trace;
  std::ostringstream jsonl;
  JsonLinesTraceSink sink(jsonl, {"primary", "backup", "client0"});
  trace.AddSink(&sink);
  ScriptedObserver observer;
  World world(config, Prng(1), trace, observer);
  BrokenServer server(world.EnvironmentFor(kServer));
  EchoServer other(world.EnvironmentFor(kOther));
  RecordingClient client(world.EnvironmentFor(kClient));
  world.Attach(kServer, &server);
  world.Attach(kOther, &other);
  world.Attach(kClient, &client);
  for (uint64_t order = 1; order <= 5; ++order) {
    observer.actions.push_back(
        [&, order] { world.RunAs(kClient, [&] { client.Ping(kServer, order); }); });
    world.ScheduleHarness(Time::Zero() + Duration::Millis(10 * static_cast<int64_t>(order)),
                          order - 1);
  }
  EXPECT_EQ(world.Run(), StopReason::kAssertion);
  EXPECT_FALSE(InSystemUnderTest()) << "the scope is left as the exception unwinds";
  ASSERT_TRUE(world.assertion_stop().has_value());
  const AssertionStop& stop = *world.assertion_stop();
  EXPECT_EQ(stop.node, kServer);
  EXPECT_EQ(stop.at, Time::Zero() + Duration::Millis(31)) << "sent at 30 ms, one hop";
  EXPECT_EQ(stop.failed.file, "tests/sim/world_test.cc") << "relative to the source tree";
  EXPECT_EQ(stop.failed.condition, "order != 3");
  EXPECT_EQ(client.outcomes.size(), 2u) << "calls 1 and 2 ended; the run stopped at the third";
  const std::vector<std::string> lines = Lines(jsonl.str());
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[lines.size() - 2],
            "{\"t_us\":31000,\"event\":\"assertion\",\"node\":\"primary\",\"id\":" +
                std::to_string(stop.failed.line) + ",\"detail\":\"tests/sim/world_test.cc:" +
                std::to_string(stop.failed.line) + ": order != 3\"}");
  EXPECT_NE(lines.back().find("\"event\":\"run_end\""), std::string::npos);
  EXPECT_NE(lines.back().find("stopped by a failed assertion in the protocol"), std::string::npos)
      << lines.back();
}

// Breaking the environment's contract (answering a call twice) is the node's bug: a finding too.
class DoubleReplier : public EchoServer {
 public:
  DoubleReplier(service::Environment& env) : EchoServer(env), env_(env) {}
  void OnCall(NodeId from, service::ReplyToken token, const Message& request) override {
    EchoServer::OnCall(from, token, request);
    env_.Reply(token, service::ForwardReply{0});
  }

 private:
  service::Environment& env_;
};

TEST(World, BreakingTheEnvironmentsRequiresIsTheNodesFinding) {
  WorldConfig config;
  config.node_count = 3;
  Trace trace;
  ScriptedObserver observer;
  World world(config, Prng(1), trace, observer);
  DoubleReplier server(world.EnvironmentFor(kServer));
  EchoServer other(world.EnvironmentFor(kOther));
  RecordingClient client(world.EnvironmentFor(kClient));
  world.Attach(kServer, &server);
  world.Attach(kOther, &other);
  world.Attach(kClient, &client);
  observer.actions.push_back([&] { world.RunAs(kClient, [&] { client.Ping(kServer, 1); }); });
  world.ScheduleHarness(Time::Zero(), 0);
  EXPECT_EQ(world.Run(), StopReason::kAssertion);
  ASSERT_TRUE(world.assertion_stop().has_value());
  EXPECT_EQ(world.assertion_stop()->node, kServer);
  EXPECT_EQ(world.assertion_stop()->failed.file, "sim/world.cc");
  EXPECT_EQ(world.assertion_stop()->failed.condition, "!incoming.answered");
}

// The harness (the simulator's side) is not the system under test: its assertions abort, asking
// for a bug report.
TEST(WorldDeathTest, AFailedAssertionOutsideProtocolCodeIsALocksimBug) {
  EXPECT_DEATH(
      {
        Fixture f;
        f.observer.actions.push_back([] { LOCKSIM_ASSERT(1 + 1 == 3); });
        f.world->ScheduleHarness(Time::Zero(), 0);
        f.world->Run();
      },
      "internal invariant broken: 1 \\+ 1 == 3 .*\nThis is a bug in locksim itself");
}

// Many calls through a lossy, duplicating, reordering network.
uint64_t RunBusyWorld(uint64_t seed, std::ostream* jsonl = nullptr) {
  NetworkConfig network;
  network.latency = {Duration::Millis(1), Duration::Millis(20)};
  for (ChannelFaults& faults : network.channels) {
    faults.drop = Probability::FromDouble(0.1);
    faults.duplicate = Probability::FromDouble(0.1);
  }
  Fixture f(seed, network);
  std::unique_ptr<JsonLinesTraceSink> sink;
  if (jsonl != nullptr) {
    sink = std::make_unique<JsonLinesTraceSink>(
        *jsonl, std::vector<std::string>{"primary", "backup", "client0"});
    f.trace.AddSink(sink.get());
  }
  for (int i = 0; i < 50; ++i) {
    f.At(i, [&f, i] { f.client->Ping(i % 2 == 0 ? kServer : kOther, static_cast<uint64_t>(i)); });
  }
  f.At(25, [&] { f.world->Crash(kOther, "test"); });
  f.world->Run();
  return f.trace.fingerprint();
}

TEST(World, SameSeedSameFingerprintDifferentSeedDifferentRun) {
  EXPECT_EQ(RunBusyWorld(5), RunBusyWorld(5));
  EXPECT_NE(RunBusyWorld(5), RunBusyWorld(6));
}

TEST(World, WritingTheTraceDoesNotChangeTheFingerprint) {
  std::ostringstream jsonl;
  EXPECT_EQ(RunBusyWorld(5, &jsonl), RunBusyWorld(5));
  const std::string text = jsonl.str();
  EXPECT_NE(text.find("{\"t_us\":0,\"event\":\"call_start\",\"node\":\"client0\",\"peer\":"
                      "\"primary\",\"id\":1}"),
            std::string::npos)
      << text.substr(0, 400);
  EXPECT_NE(text.find("\"event\":\"crash\",\"node\":\"backup\""), std::string::npos);
  EXPECT_NE(text.find("\"event\":\"run_end\""), std::string::npos);
}

}  // namespace
}  // namespace locksim::sim
