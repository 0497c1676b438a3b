// Kernel throughput: events scheduled and fired per second, and messages delivered per second
// through the world (network decision, slab, dispatch, handler, trace fingerprint).
// Target (issue 2): at least 10 million events scheduled and fired per second on one core.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "sim/event_queue.h"
#include "sim/prng.h"
#include "sim/world.h"

namespace locksim::sim {
namespace {

// A steady state like a run's: `pending` events in the queue, each fired event schedules one
// more a random short delay ahead.
void BM_EventQueueScheduleAndFire(benchmark::State& state) {
  const int64_t pending = state.range(0);
  Prng prng(1);
  EventQueue queue;
  for (int64_t i = 0; i < pending; ++i) {
    queue.Schedule(Time::FromMicros(prng.Between(0, 1000)), EventPayload{0, 0, 0});
  }
  for (auto _ : state) {
    auto event = queue.PopNext();
    queue.Schedule(event->at + Duration::Micros(prng.Between(1, 1000)), EventPayload{0, 0, 0});
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EventQueueScheduleAndFire)->Arg(16)->Arg(256)->Arg(4096)->Arg(65536);

// Half the events cancelled before they fire (as RPC timeouts are, when the reply comes).
void BM_EventQueueWithCancellation(benchmark::State& state) {
  Prng prng(2);
  EventQueue queue;
  std::vector<EventId> ids;
  for (int i = 0; i < 256; ++i) {
    queue.Schedule(Time::FromMicros(prng.Between(0, 1000)), EventPayload{0, 0, 0});
  }
  for (auto _ : state) {
    auto event = queue.PopNext();
    const EventId doomed =
        queue.Schedule(event->at + Duration::Micros(2000), EventPayload{0, 0, 0});
    queue.Schedule(event->at + Duration::Micros(prng.Between(1, 1000)), EventPayload{0, 0, 0});
    queue.Cancel(doomed);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EventQueueWithCancellation);

// Message delivery through the world: `clients` nodes ping one server in a closed loop; each
// iteration is one RPC (request + reply, both through the network model, with a timeout
// scheduled and cancelled).
class Pinger : public service::Node {
 public:
  Pinger(service::Environment& env) : env_(env) {}
  void Start() { env_.Call(service::kPrimaryNode, service::ForwardReply{1}); }
  void OnCall(service::NodeId, service::ReplyToken, const service::Message&) override {}
  void OnCallReply(service::CallId, const service::Message&) override {
    if (--remaining > 0) Start();
  }
  void OnCallFailed(service::CallId, service::CallFailure) override {}
  void OnTimer(service::TimerId) override {}
  int64_t remaining = 0;

 private:
  service::Environment& env_;
};

class Echo : public service::Node {
 public:
  Echo(service::Environment& env) : env_(env) {}
  void OnCall(service::NodeId, service::ReplyToken token, const service::Message& m) override {
    env_.Reply(token, m);
  }
  void OnCallReply(service::CallId, const service::Message&) override {}
  void OnCallFailed(service::CallId, service::CallFailure) override {}
  void OnTimer(service::TimerId) override {}

 private:
  service::Environment& env_;
};

class StartAll : public WorldObserver {
 public:
  void OnHarnessEvent(uint64_t) override {
    for (size_t i = 0; i < pingers.size(); ++i) {
      world->RunAs(service::ClientNode(static_cast<int>(i)), [&] { pingers[i]->Start(); });
    }
  }
  void OnOperationCompleted(service::NodeId, const service::CompletedOperation&) override {}
  World* world = nullptr;
  std::vector<std::unique_ptr<Pinger>> pingers;
};

void BM_WorldRpcRoundTrips(benchmark::State& state) {
  const int clients = 8;
  const int64_t calls_per_client = 10'000;
  int64_t messages = 0;
  uint64_t events = 0;
  for (auto _ : state) {
    Trace trace;
    StartAll observer;
    WorldConfig config;
    config.node_count = 2 + clients;
    config.network.latency = {Duration::Micros(500), Duration::Millis(5)};
    World world(config, Prng(7), trace, observer);
    observer.world = &world;
    Echo primary(world.EnvironmentFor(service::kPrimaryNode));
    Echo backup(world.EnvironmentFor(service::kBackupNode));
    world.Attach(service::kPrimaryNode, &primary);
    world.Attach(service::kBackupNode, &backup);
    for (int c = 0; c < clients; ++c) {
      observer.pingers.push_back(
          std::make_unique<Pinger>(world.EnvironmentFor(service::ClientNode(c))));
      observer.pingers.back()->remaining = calls_per_client;
      world.Attach(service::ClientNode(c), observer.pingers.back().get());
    }
    world.ScheduleHarness(Time::Zero(), 0);
    world.Run();
    messages += static_cast<int64_t>(world.stats().delivered);
    events += world.events_processed();
  }
  state.SetItemsProcessed(messages);
  state.counters["messages/s"] =
      benchmark::Counter(static_cast<double>(messages), benchmark::Counter::kIsRate);
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WorldRpcRoundTrips)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace locksim::sim

BENCHMARK_MAIN();
