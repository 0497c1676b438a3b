// The simulated world: virtual clock, event queue, network, node lifecycle and RPC, driving the
// real protocol nodes (service::Node) through the service::Environment interface.
//
// A run is a pure function of (config, seed, what the harness does): one thread, integer time,
// events in (time, sequence) order, randomness only from forked Prng streams. The harness (the
// runner) attaches nodes, schedules its own events (workload steps, faults) and reacts through
// WorldObserver; the world never calls a node re-entrantly: every handler runs to completion and
// what it sends is delivered by later events.
#ifndef LOCKSIM_SIM_WORLD_H_
#define LOCKSIM_SIM_WORLD_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "base/assert.h"
#include "service/environment.h"
#include "service/messages.h"
#include "sim/budget.h"
#include "sim/decisions.h"
#include "sim/event_queue.h"
#include "sim/message_rules.h"
#include "sim/network.h"
#include "sim/prng.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace locksim::sim {

struct WorldConfig {
  NetworkConfig network;
  Duration rpc_timeout = Duration::Millis(2000);
  int32_t node_count = 0;  // servers and clients: ids 0..node_count-1 (service/messages.h)
  Budget budget;
  // A scenario's exceptions to the network's fate for named messages (sim/message_rules.h).
  std::vector<MessageFateRule> message_rules;
};

enum class StopReason : uint8_t {
  kQuiescent,      // no event left: everything that was started has ended
  kEventBudget,    // budget.max_events events ran
  kTimeBudget,     // the next event lies beyond budget.max_time
  kStopRequested,  // the harness asked to stop
  kAssertion,      // an assertion failed in a node's protocol code (World::assertion_stop)
};
const char* StopReasonName(StopReason reason);

struct NetworkStats {
  uint64_t sent = 0;        // messages handed to the network (a duplicate counts once)
  uint64_t delivered = 0;   // copies handled by a live node
  uint64_t dropped = 0;     // lost by the channel's drop probability
  uint64_t blocked = 0;     // lost to a partition
  uint64_t duplicated = 0;  // messages delivered twice
  uint64_t discarded = 0;   // copies that reached a crashed node
  uint64_t calls = 0;
  uint64_t calls_refused = 0;
  uint64_t calls_timed_out = 0;
  uint64_t late_replies = 0;
};

// A failed assertion that stopped the run: in which node's handler, when, and which.
struct AssertionStop {
  service::NodeId node = -1;
  Time at;
  FailedAssertion failed;
};

// An RPC that timed out with no fault to explain it (the progress check, runner/run_checks.h).
// A timeout is explained when, from one RPC timeout before the call started until its deadline,
// a message to or from the callee was lost, blocked or slower than a quarter of the RPC timeout,
// a call the callee made timed out or was held by a node that crashed, or the refusal of one was
// that slow; or when the caller or callee is down. A crash elsewhere is no explanation by itself: a
// call to a crashed node is refused within two hops, and a correct callee goes on without it at
// once (a refused forward makes the primary carry on alone), so its caller still gets its answer in
// time: four hops of at most a quarter each arrive by the deadline, and at one instant deliveries
// come first.
struct UnexplainedTimeout {
  service::NodeId caller = -1;
  service::NodeId callee = -1;
  Time started;
  Time deadline;
};

// How the harness hears about the run. Called from inside the event loop; the harness may call
// back into World (Crash, ScheduleHarness, RunAs, ...) from these.
class WorldObserver {
 public:
  virtual ~WorldObserver() = default;
  // An event the harness scheduled with ScheduleHarness fired.
  virtual void OnHarnessEvent(uint64_t tag) = 0;
  // A clerk reported the end of a Lock/Unlock call.
  virtual void OnOperationCompleted(service::NodeId client,
                                    const service::CompletedOperation& operation) = 0;
  // `node` has just handled its `handled_count`-th incoming message (request or reply). A Crash
  // of `node` from here takes effect right after the handler, before any other event.
  virtual void AfterMessageHandled(service::NodeId node, uint64_t handled_count) {
    (void)node;
    (void)handled_count;
  }
  // A client request reaches `server`, its `request_number`-th (1, 2, ...): does the server turn
  // deaf on it (execute it, lose its reply, halt)? `armed`: a MakeDeaf is waiting for this
  // request, which is the answer unless the harness's decision source decides otherwise (so in
  // plain random mode, Decisions::plain(), the world answers `armed` without asking).
  virtual bool TurnDeafAt(service::NodeId server, uint64_t request_number, bool armed) {
    (void)server;
    (void)request_number;
    return armed;
  }
  // `from` has just started a call to `to`. A Crash of `from` from here takes effect when the
  // handler that made the call returns; what it already sent stays in the network.
  virtual void OnCallStarted(service::NodeId from, service::NodeId to,
                             const service::Message& request) {
    (void)from;
    (void)to;
    (void)request;
  }
  // The message World::Watch returned `watch` for reached `event` at `node` (its sender for
  // kSent, its receiver otherwise). A Crash of `node` from here takes effect when the handler
  // returns; a MakeDeaf of the receiver at kArrived applies to this very request.
  virtual void OnWatchedMessage(int watch, service::NodeId node, WatchedEvent event) {
    (void)watch;
    (void)node;
    (void)event;
  }
};

class World {
 public:
  // `network_rng` draws every latency, drop and duplicate of the run, each a decision of
  // `decisions` (sim/decisions.h), which also says whether events due at one instant are ordered
  // by decision (kSimultaneousOrder) instead of first come, first served.
  World(const WorldConfig& config, Prng network_rng, Trace& trace, WorldObserver& observer,
        Decisions decisions = {});
  // A copy of `other`'s run so far, paused between two events (RunUntil), that goes on with its
  // own trace, observer and decisions: a harness forks a run this way (runner/simulation.h,
  // ForkableRun), attaching its own copies of the nodes. REQUIRES: `other` paused, with no message
  // log (LogMessages).
  World(const World& other, Trace& trace, WorldObserver& observer, Decisions decisions);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // The environment protocol code at `node` acts through. Stable for the world's lifetime.
  service::Environment& EnvironmentFor(service::NodeId node);
  // REQUIRES: once per node, before Run; `handler` outlives the world.
  void Attach(service::NodeId node, service::Node* handler);

  // Runs events until quiescence, a budget, RequestStop or a failed assertion in protocol code.
  // Records a run_end trace record.
  //
  // Every handler of a node (and RunAs's action) runs in a SystemUnderTestScope (base/assert.h):
  // a LOCKSIM_ASSERT that fails there, in the protocol or in the environment's REQUIRES it
  // broke, ends the run with kAssertion, an assertion trace record and assertion_stop(); the
  // world's own work on a node's behalf runs in a SimulatorScope, where a failure is a locksim
  // bug and aborts. The world is not used again after such a stop: it stopped mid-handler.
  StopReason Run();
  // Run, pausing once `events` events have run in all and another is due: then it returns
  // nullopt, and a later Run or RunUntil goes on from there. REQUIRES: the run has not ended.
  std::optional<StopReason> RunUntil(uint64_t events);

  // --- Harness controls. ---
  // OnHarnessEvent(tag) at `at` (not before now).
  void ScheduleHarness(Time at, uint64_t tag);
  // Runs `action` as if inside a handler of `node` (e.g. a user calling a clerk): sends are
  // queued and a Crash of `node` waits until `action` returns.
  void RunAs(service::NodeId node, absl::FunctionRef<void()> action);
  // Fail-stop: the node handles nothing more, its timers never fire, messages to it vanish and
  // calls to it fail fast at the caller. Inside that node's handler, it takes effect when the
  // handler returns. Crashing a crashed node does nothing. `reason` goes to the trace.
  void Crash(service::NodeId node, std::string_view reason);
  // The next client request `node` receives is handled in full, but its reply is lost and the
  // node halts right after the handler that replied (the lab's "dying" server).
  void MakeDeaf(service::NodeId node);
  void SetLinkBlocked(service::NodeId from, service::NodeId to, bool blocked);
  // Reports each point the message `selector` names reaches (WorldObserver::OnWatchedMessage)
  // under the returned index. REQUIRES: before Run.
  int Watch(const MessageSelector& selector);
  // Appends every message sent, every copy handled and every refusal notice to `log` (which must
  // outlive the run), with what each message is (sim/message_rules.h). REQUIRES: before Run.
  void LogMessages(std::vector<MessageRecord>* log);
  // Adds a record stamped with the current time (operations, faults).
  void Note(TraceKind kind, service::NodeId node, uint64_t id, uint64_t content,
            std::string_view detail);
  void RequestStop() { stop_requested_ = true; }

  bool IsCrashed(service::NodeId node) const;
  // Set when Run returned kAssertion.
  const std::optional<AssertionStop>& assertion_stop() const { return assertion_stop_; }
  Time now() const { return now_; }
  uint64_t events_processed() const { return events_processed_; }
  const NetworkStats& stats() const { return stats_; }
  const std::vector<UnexplainedTimeout>& unexplained_timeouts() const {
    return unexplained_timeouts_;
  }
  Trace& trace() { return trace_; }

 private:
  class NodeEnvironment;
  friend class NodeEnvironment;

  enum class EventKind : uint8_t { kDeliver, kTimer, kCallRefused, kHarness };
  enum class EnvelopeKind : uint8_t { kRequest, kReply };
  enum class CallState : uint8_t { kOutstanding, kEnded };

  // A message copy on its way; lives in a slab so events carry only an index.
  struct InFlight {
    service::NodeId from = -1;
    service::NodeId to = -1;
    EnvelopeKind kind = EnvelopeKind::kRequest;
    service::CallId call = 0;
    uint64_t message_id = 0;
    uint64_t content = 0;
    int32_t chain = -1;  // the causal chain (DecisionSource::OnMessage)
    service::Message message;
  };
  struct CallRecord {
    service::NodeId caller = -1;
    service::NodeId callee = -1;
    service::RequestId request;  // the client call it carries (a forward's too)
    Time deadline;               // when the call times out unless it ended before
    CallState state = CallState::kOutstanding;
    int32_t chain = -1;      // the causal chain of its request
    bool delivered = false;  // the callee has the request (a crash now cannot refuse it)
  };
  struct IncomingCall {
    service::CallId call = 0;
    bool answered = false;
  };
  struct NodeState {
    service::Node* handler = nullptr;
    bool crashed = false;
    bool deaf_armed = false;
    service::ReplyToken deaf_token = 0;  // the request whose reply will be lost; 0: none
    uint64_t messages_handled = 0;
    uint64_t client_requests_received = 0;
    Time last_fault;  // when a fault last touched the node (NoteFault); valid if touched
    bool touched = false;
  };

  // Environment operations, on behalf of `node`.
  service::CallId StartCall(service::NodeId node, service::NodeId to, service::Message request);
  void SendReply(service::NodeId node, service::ReplyToken token, service::Message reply);
  service::TimerId StartTimer(service::NodeId node, service::Micros delay);
  void CancelTimer(service::TimerId timer);
  void OperationCompleted(service::NodeId node, const service::CompletedOperation& operation);

  void Dispatch(const QueuedEvent& event);
  // Which of the events due at one instant fires first, by a kSimultaneousOrder decision.
  size_t ChooseSimultaneous(std::span<const QueuedEvent> due);
  // The deadline of the first call still waiting for its timeout, dropping ended calls.
  std::optional<Time> NextTimeout();
  void Deliver(uint32_t slot);
  void DeliverRequest(InFlight& message);
  void DeliverReply(InFlight& message);
  void FireTimer(service::NodeId node, service::TimerId timer);
  void EndCallWithFailure(service::CallId call, service::CallFailure failure);
  // Hands a message to the network and schedules what it decides.
  void Transmit(service::NodeId from, service::NodeId to, EnvelopeKind kind, service::CallId call,
                service::Message message);
  void MakeEnvironments();
  uint32_t AllocateSlot();
  void FreeSlot(uint32_t slot);
  void BeginHandler(service::NodeId node);
  void EndHandler(service::NodeId node);
  void CrashNow(service::NodeId node, std::string_view reason);
  // A fault touched `a` and `b` now (what explains a timeout, UnexplainedTimeout).
  void NoteFault(service::NodeId a, service::NodeId b);
  bool TimeoutExplained(const CallRecord& call) const;
  // What a message is (only when traffic_ exists: rules, watches or a log).
  MessageKey KeyOf(service::NodeId from, service::NodeId to, service::CallId call,
                   const service::Message& message) const;
  MessageTraffic& traffic();
  // The watch callbacks of message `message_id` reaching `event` at `node`.
  void NotifyWatches(uint64_t message_id, service::NodeId node, WatchedEvent event);
  NodeState& node_state(service::NodeId node);
  const NodeState& node_state(service::NodeId node) const;
  void Record(TraceKind kind, service::NodeId node, service::NodeId peer, uint64_t id,
              uint64_t content, absl::FunctionRef<std::string()> detail);

  WorldConfig config_;
  Decisions decisions_;
  const bool order_decisions_;  // decisions_.wants_order_decisions(), asked once
  Trace& trace_;
  WorldObserver& observer_;
  EventQueue queue_;
  Time now_;
  // Outstanding calls by deadline. Every call gets the same timeout and the clock never goes
  // back, so deadlines arrive in call order: a FIFO replaces a heap entry per call, most of which
  // would be cancelled by the reply. Ended calls are skipped when they reach the front. At equal
  // times, queued events fire before timeouts.
  std::deque<service::CallId> timeouts_;
  Network network_;
  // Message rules, watches and the message log; null when the run has none (every random run).
  std::unique_ptr<MessageTraffic> traffic_;
  std::vector<NodeState> nodes_;
  std::vector<std::unique_ptr<NodeEnvironment>> environments_;
  std::vector<InFlight> slab_;
  std::vector<uint32_t> free_slots_;
  std::vector<CallRecord> calls_;       // index: CallId (0 unused)
  std::vector<IncomingCall> incoming_;  // index: ReplyToken (0 unused)
  uint64_t next_message_id_ = 1;
  uint64_t events_processed_ = 0;
  NetworkStats stats_;
  std::vector<UnexplainedTimeout> unexplained_timeouts_;
  service::NodeId current_node_ = -1;  // whose handler is running, or -1
  // The causal chain of what the running handler handles: a message's chain is the client whose
  // operation caused it, passed on to everything its handler sends (DecisionSource::OnMessage).
  int32_t current_chain_ = -1;
  bool crash_current_after_handler_ = false;
  std::string crash_reason_;
  bool stop_requested_ = false;
  std::optional<AssertionStop> assertion_stop_;
  bool ended_ = false;  // Run returned a StopReason
};

}  // namespace locksim::sim

#endif  // LOCKSIM_SIM_WORLD_H_
