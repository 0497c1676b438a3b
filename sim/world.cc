#include "sim/world.h"

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "base/assert.h"
#include "sim/message_text.h"

namespace locksim::sim {

using service::CallFailure;
using service::CallId;
using service::NodeId;

const char* StopReasonName(StopReason reason) {
  switch (reason) {
    case StopReason::kQuiescent:
      return "quiescent";
    case StopReason::kEventBudget:
      return "event budget exhausted";
    case StopReason::kTimeBudget:
      return "simulated-time budget exhausted";
    case StopReason::kStopRequested:
      return "stopped by the harness";
    case StopReason::kAssertion:
      return "stopped by a failed assertion in the protocol";
  }
  return "?";
}

// The Environment one node sees: every call is forwarded to the world on that node's behalf.
class World::NodeEnvironment : public service::Environment {
 public:
  NodeEnvironment(World& world, NodeId node) : world_(world), node_(node) {}
  CallId Call(NodeId to, service::Message request) override {
    return world_.StartCall(node_, to, std::move(request));
  }
  void Reply(service::ReplyToken token, service::Message reply) override {
    world_.SendReply(node_, token, std::move(reply));
  }
  service::TimerId StartTimer(service::Micros delay) override {
    return world_.StartTimer(node_, delay);
  }
  void CancelTimer(service::TimerId id) override { world_.CancelTimer(id); }
  service::Micros Now() const override { return service::Micros(world_.now().micros()); }
  void OperationCompleted(const service::CompletedOperation& operation) override {
    world_.OperationCompleted(node_, operation);
  }

 private:
  World& world_;
  NodeId node_;
};

World::World(const WorldConfig& config, Prng network_rng, Trace& trace, WorldObserver& observer,
             Decisions decisions)
    : config_(config),
      decisions_(decisions),
      order_decisions_(decisions.wants_order_decisions()),
      trace_(trace),
      observer_(observer),
      network_(config.network, static_cast<size_t>(config.node_count), network_rng, decisions),
      nodes_(static_cast<size_t>(config.node_count)),
      calls_(1),
      incoming_(1) {
  LOCKSIM_ASSERT(config.node_count > 0);
  LOCKSIM_ASSERT(config.rpc_timeout > Duration::Micros(0));
  if (!config.message_rules.empty()) {
    traffic_ = std::make_unique<MessageTraffic>(config.message_rules);
  }
  MakeEnvironments();
}

// Every member: one left out here would make a forked run part from the run it copies, which
// tests/runner/forkable_run_test.cc catches.
World::World(const World& other, Trace& trace, WorldObserver& observer, Decisions decisions)
    : config_(other.config_),
      decisions_(decisions),
      order_decisions_(decisions.wants_order_decisions()),
      trace_(trace),
      observer_(observer),
      queue_(other.queue_),
      now_(other.now_),
      timeouts_(other.timeouts_),
      network_(other.network_, decisions),
      traffic_(other.traffic_ != nullptr ? std::make_unique<MessageTraffic>(*other.traffic_)
                                         : nullptr),
      nodes_(other.nodes_),
      slab_(other.slab_),
      free_slots_(other.free_slots_),
      calls_(other.calls_),
      incoming_(other.incoming_),
      next_message_id_(other.next_message_id_),
      events_processed_(other.events_processed_),
      stats_(other.stats_),
      unexplained_timeouts_(other.unexplained_timeouts_),
      current_node_(other.current_node_),
      current_chain_(other.current_chain_),
      crash_current_after_handler_(other.crash_current_after_handler_),
      crash_reason_(other.crash_reason_),
      stop_requested_(other.stop_requested_),
      assertion_stop_(other.assertion_stop_),
      ended_(other.ended_) {
  LOCKSIM_ASSERT(!other.ended_ && other.current_node_ < 0);
  LOCKSIM_ASSERT(other.traffic_ == nullptr || !other.traffic_->logging());
  for (NodeState& node : nodes_) node.handler = nullptr;  // the harness attaches its copies
  MakeEnvironments();
}

void World::MakeEnvironments() {
  environments_.reserve(nodes_.size());
  for (NodeId node = 0; node < static_cast<NodeId>(nodes_.size()); ++node) {
    environments_.push_back(std::make_unique<NodeEnvironment>(*this, node));
  }
}

World::~World() = default;

service::Environment& World::EnvironmentFor(NodeId node) {
  node_state(node);  // asserts the id is valid
  return *environments_[static_cast<size_t>(node)];
}

void World::Attach(NodeId node, service::Node* handler) {
  LOCKSIM_ASSERT(handler != nullptr);
  LOCKSIM_ASSERT(node_state(node).handler == nullptr);
  node_state(node).handler = handler;
}

World::NodeState& World::node_state(NodeId node) {
  LOCKSIM_ASSERT(node >= 0 && static_cast<size_t>(node) < nodes_.size());
  return nodes_[static_cast<size_t>(node)];
}

const World::NodeState& World::node_state(NodeId node) const {
  LOCKSIM_ASSERT(node >= 0 && static_cast<size_t>(node) < nodes_.size());
  return nodes_[static_cast<size_t>(node)];
}

bool World::IsCrashed(NodeId node) const { return node_state(node).crashed; }

void World::Record(TraceKind kind, NodeId node, NodeId peer, uint64_t id, uint64_t content,
                   absl::FunctionRef<std::string()> detail) {
  const TraceRecord record{now(), kind, node, peer, id, content};
  if (trace_.wants_detail()) {
    trace_.Record(record, detail());
  } else {
    trace_.Record(record);
  }
}

void World::Note(TraceKind kind, NodeId node, uint64_t id, uint64_t content,
                 std::string_view detail) {
  trace_.Record(TraceRecord{now(), kind, node, -1, id, content}, detail);
}

StopReason World::Run() {
  const std::optional<StopReason> reason = RunUntil(UINT64_MAX);
  LOCKSIM_ASSERT(reason.has_value());
  return *reason;
}

std::optional<StopReason> World::RunUntil(uint64_t events) {
  LOCKSIM_ASSERT(!ended_);
  for (NodeState& node : nodes_) LOCKSIM_ASSERT(node.handler != nullptr);
  const Time time_limit = Time::Zero() + config_.budget.max_time;
  StopReason reason = StopReason::kQuiescent;
  while (true) {
    if (stop_requested_) {
      reason = StopReason::kStopRequested;
      break;
    }
    const std::optional<Time> next_event = queue_.PeekTime();
    const std::optional<Time> next_timeout = NextTimeout();
    if (!next_event.has_value() && !next_timeout.has_value()) break;
    const bool timeout_first =
        next_timeout.has_value() && (!next_event.has_value() || *next_timeout < *next_event);
    const Time next = timeout_first ? *next_timeout : *next_event;
    if (next > time_limit) {
      reason = StopReason::kTimeBudget;
      break;
    }
    if (events_processed_ >= config_.budget.max_events) {
      reason = StopReason::kEventBudget;
      break;
    }
    if (events_processed_ >= events) return std::nullopt;  // paused: the next event is due
    ++events_processed_;
    decisions_.NoteEvent(events_processed_);
    now_ = next;
    try {
      if (timeout_first) {
        const CallId call = timeouts_.front();
        timeouts_.pop_front();
        EndCallWithFailure(call, CallFailure::kTimeout);
      } else if (order_decisions_) [[unlikely]] {
        Dispatch(*queue_.PopNextChoosing(
            [&](std::span<const QueuedEvent> due) { return ChooseSimultaneous(due); }));
      } else {
        Dispatch(*queue_.PopNext());
      }
    } catch (const AssertionFailure& failure) {
      // Thrown only inside a node's handler (base/assert.h), which therefore never returned:
      // current_node_ still names the node.
      LOCKSIM_ASSERT(current_node_ >= 0);
      assertion_stop_ = AssertionStop{current_node_, now_, failure.failed()};
      const std::string described = failure.failed().Describe();
      Record(TraceKind::kAssertion, current_node_, -1, static_cast<uint64_t>(failure.failed().line),
             HashBytes(described), [&] { return described; });
      reason = StopReason::kAssertion;
      break;
    }
  }
  Record(TraceKind::kRunEnd, -1, -1, events_processed_, static_cast<uint64_t>(reason),
         [&] { return std::string(StopReasonName(reason)); });
  ended_ = true;
  return reason;
}

std::optional<Time> World::NextTimeout() {
  while (!timeouts_.empty() && calls_[timeouts_.front()].state != CallState::kOutstanding) {
    timeouts_.pop_front();
  }
  if (timeouts_.empty()) return std::nullopt;
  return calls_[timeouts_.front()].deadline;
}

size_t World::ChooseSimultaneous(std::span<const QueuedEvent> due) {
  std::vector<int32_t> chains;
  chains.reserve(due.size());
  for (const QueuedEvent& event : due) {
    switch (static_cast<EventKind>(event.payload.kind)) {
      case EventKind::kDeliver:
        chains.push_back(slab_[event.payload.data].chain);
        break;
      case EventKind::kCallRefused:
        chains.push_back(calls_[event.payload.data].chain);
        break;
      default:
        chains.push_back(-1);
    }
  }
  decisions_.NoteSimultaneousEvents(chains);
  return static_cast<size_t>(decisions_.Decide(DecisionStream::Order(),
                                               DecisionKind::kSimultaneousOrder, due.size(),
                                               [] { return uint64_t{0}; }));
}

void World::Dispatch(const QueuedEvent& event) {
  const EventPayload& payload = event.payload;
  switch (static_cast<EventKind>(payload.kind)) {
    case EventKind::kDeliver:
      Deliver(static_cast<uint32_t>(payload.data));
      return;
    case EventKind::kTimer:
      FireTimer(payload.node, event.sequence);
      return;
    case EventKind::kCallRefused:
      EndCallWithFailure(payload.data, CallFailure::kRefused);
      return;
    case EventKind::kHarness:
      observer_.OnHarnessEvent(payload.data);
      return;
  }
  LOCKSIM_UNREACHABLE("unknown event kind");
}

// --- Handlers and crashes. ---

void World::BeginHandler(NodeId node) {
  LOCKSIM_ASSERT(current_node_ == -1);  // handlers never nest: no re-entrant delivery
  current_node_ = node;
}

void World::EndHandler(NodeId node) {
  LOCKSIM_ASSERT(current_node_ == node);
  current_node_ = -1;
  if (crash_current_after_handler_) {
    crash_current_after_handler_ = false;
    CrashNow(node, crash_reason_);
  }
}

void World::RunAs(NodeId node, absl::FunctionRef<void()> action) {
  LOCKSIM_ASSERT(!node_state(node).crashed);
  current_chain_ = service::IsServerNode(node) ? -1 : service::ClientOf(node);
  BeginHandler(node);
  {
    const SystemUnderTestScope protocol;
    action();
  }
  EndHandler(node);
}

void World::Crash(NodeId node, std::string_view reason) {
  if (node_state(node).crashed) return;
  if (current_node_ == node) {
    crash_current_after_handler_ = true;
    crash_reason_ = std::string(reason);
    return;
  }
  CrashNow(node, reason);
}

void World::CrashNow(NodeId node, std::string_view reason) {
  NodeState& state = node_state(node);
  if (state.crashed) return;
  state.crashed = true;
  state.deaf_armed = false;
  NoteFault(node, node);
  // A call the node had received and not answered now waits for its timeout: that explains the
  // timeouts of the calls its caller was serving. (A call still on its way is refused instead,
  // quickly enough for its caller to go on without the node.)
  for (const CallRecord& call : calls_) {
    if (call.callee == node && call.delivered && call.state == CallState::kOutstanding) {
      NoteFault(call.caller, node);
    }
  }
  Record(TraceKind::kCrash, node, -1, 0, 0, [&] { return std::string(reason); });
  if (traffic_ != nullptr) [[unlikely]]
    traffic_->Crashed(node, now());
}

void World::NoteFault(NodeId a, NodeId b) {
  for (NodeId node : {a, b}) {
    NodeState& state = node_state(node);
    state.last_fault = now_;
    state.touched = true;
  }
}

bool World::TimeoutExplained(const CallRecord& call) const {
  if (node_state(call.caller).crashed || node_state(call.callee).crashed) return true;
  // From one timeout before the call started: a fault the callee was still recovering from
  // (a forward it was waiting for) when the call reached it.
  const Time since = Time::FromMicros(call.deadline.micros() - 2 * config_.rpc_timeout.micros());
  const NodeState& callee = node_state(call.callee);
  return callee.touched && callee.last_fault >= since;
}

void World::MakeDeaf(NodeId node) {
  NodeState& state = node_state(node);
  if (state.crashed) return;
  state.deaf_armed = true;
  Record(TraceKind::kDeafArmed, node, -1, 0, 0,
         [] { return std::string("the next client request's reply will be lost"); });
}

void World::SetLinkBlocked(NodeId from, NodeId to, bool blocked) {
  if (network_.IsBlocked(from, to) == blocked) return;
  NoteFault(from, to);
  network_.SetBlocked(from, to, blocked);
  Record(blocked ? TraceKind::kPartition : TraceKind::kHeal, from, to, 0, 0,
         [] { return std::string(); });
}

MessageTraffic& World::traffic() {
  if (traffic_ == nullptr) traffic_ = std::make_unique<MessageTraffic>(config_.message_rules);
  return *traffic_;
}

int World::Watch(const MessageSelector& selector) {
  LOCKSIM_ASSERT(events_processed_ == 0);
  return traffic().Watch(selector);
}

void World::LogMessages(std::vector<MessageRecord>* log) {
  LOCKSIM_ASSERT(events_processed_ == 0);
  traffic().set_log(log);
}

MessageKey World::KeyOf(NodeId from, NodeId to, CallId call,
                        const service::Message& message) const {
  MessageKey key{.from = from, .to = to};
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, service::ClientRequest>) {
          key.type = MessageType::kRequest;
          key.client = m.id.client;
          key.call = m.id.sequence;
        } else if constexpr (std::is_same_v<T, service::ClientReply>) {
          key.type = MessageType::kReply;
          key.client = m.id.client;
          key.call = m.id.sequence;
        } else if constexpr (std::is_same_v<T, service::ForwardRequest>) {
          key.type = MessageType::kForward;
          key.client = m.id.client;
          key.call = m.id.sequence;
        } else {
          // An acknowledgement carries only an order: it belongs to the call it answers.
          key.type = MessageType::kForwardReply;
          key.client = calls_[call].request.client;
          key.call = calls_[call].request.sequence;
        }
      },
      message);
  return key;
}

void World::NotifyWatches(uint64_t message_id, NodeId node, WatchedEvent event) {
  // A copy: a callback may add nothing to the traffic, but it may crash nodes.
  const std::vector<int> watches = traffic_->WatchesOf(message_id);
  for (int watch : watches) observer_.OnWatchedMessage(watch, node, event);
}

void World::ScheduleHarness(Time at, uint64_t tag) {
  queue_.Schedule(at, EventPayload{static_cast<uint8_t>(EventKind::kHarness), -1, tag});
}

// --- Messages. ---

namespace {

Channel ChannelOf(NodeId from, NodeId to, bool is_request) {
  const bool server_to_server = service::IsServerNode(from) && service::IsServerNode(to);
  if (is_request) return server_to_server ? Channel::kForward : Channel::kRequest;
  return server_to_server ? Channel::kForwardReply : Channel::kReply;
}

}  // namespace

uint32_t World::AllocateSlot() {
  if (!free_slots_.empty()) {
    const uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  slab_.emplace_back();
  return static_cast<uint32_t>(slab_.size() - 1);
}

void World::FreeSlot(uint32_t slot) { free_slots_.push_back(slot); }

void World::Transmit(NodeId from, NodeId to, EnvelopeKind kind, CallId call,
                     service::Message message) {
  const uint64_t message_id = next_message_id_++;
  const uint64_t content = MessageHash(message);
  const Channel channel = ChannelOf(from, to, kind == EnvelopeKind::kRequest);
  ++stats_.sent;
  Record(TraceKind::kSend, from, to, message_id, content, [&] { return DescribeMessage(message); });
  if (!decisions_.plain()) decisions_.NoteMessage(from, to, current_chain_);

  MessageFate fate = network_.Decide(from, to, channel);
  const std::string* rule = nullptr;  // the scenario rule that decided this message's fate
  if (traffic_ != nullptr) [[unlikely]] {
    rule = traffic_->Sent(KeyOf(from, to, call, message), message_id, now(), fate,
                          config_.network.latency.min);
  }
  const auto by_rule = [&rule] { return rule == nullptr ? "" : absl::StrCat(" (", *rule, ")"); };
  if (fate.outcome == MessageFate::Outcome::kDropped) {
    ++stats_.dropped;
    NoteFault(from, to);
    Record(TraceKind::kDrop, from, to, message_id, content, [&] {
      return absl::StrCat(ChannelName(channel), " lost", by_rule(), ": ", DescribeMessage(message));
    });
    if (traffic_ != nullptr) [[unlikely]]
      NotifyWatches(message_id, from, WatchedEvent::kSent);
    return;
  }
  if (fate.outcome == MessageFate::Outcome::kBlocked) {
    ++stats_.blocked;
    NoteFault(from, to);
    Record(TraceKind::kBlocked, from, to, message_id, content,
           [&] { return absl::StrCat("partitioned: ", DescribeMessage(message)); });
    if (traffic_ != nullptr) [[unlikely]]
      NotifyWatches(message_id, from, WatchedEvent::kSent);
    return;
  }
  if (fate.copies == 2) {
    ++stats_.duplicated;
    Record(TraceKind::kDuplicate, from, to, message_id, content,
           [&] { return absl::StrCat(ChannelName(channel), " duplicated", by_rule()); });
  }
  for (int copy = 0; copy < fate.copies; ++copy) {
    if (fate.latency[static_cast<size_t>(copy)].micros() > config_.rpc_timeout.micros() / 4) {
      NoteFault(from, to);
    }
    const uint32_t slot = AllocateSlot();
    InFlight& in_flight = slab_[slot];
    in_flight.from = from;
    in_flight.to = to;
    in_flight.kind = kind;
    in_flight.call = call;
    in_flight.message_id = message_id;
    in_flight.content = content;
    in_flight.chain = current_chain_;
    in_flight.message = copy + 1 < fate.copies ? message : std::move(message);
    queue_.Schedule(now() + fate.latency[static_cast<size_t>(copy)],
                    EventPayload{static_cast<uint8_t>(EventKind::kDeliver), to, slot});
  }
  if (traffic_ != nullptr) [[unlikely]]
    NotifyWatches(message_id, from, WatchedEvent::kSent);
}

void World::Deliver(uint32_t slot) {
  InFlight& message = slab_[slot];
  if (node_state(message.to).crashed) {
    ++stats_.discarded;
    Record(TraceKind::kDiscard, message.to, message.from, message.message_id, message.content,
           [] { return std::string("the receiver is down"); });
    // A request to a crashed node fails fast at its caller, one network hop later, as a refused
    // connection does.
    if (message.kind == EnvelopeKind::kRequest &&
        calls_[message.call].state == CallState::kOutstanding) {
      if (!decisions_.plain()) {
        decisions_.NoteMessage(message.to, message.from, calls_[message.call].chain);
      }
      Duration latency = network_.RefusalLatency(message.to, message.from);
      if (traffic_ != nullptr) [[unlikely]] {
        MessageKey key = KeyOf(message.from, message.to, message.call, message.message);
        key.type = MessageType::kRefusal;
        std::swap(key.from, key.to);
        latency = traffic_->Refusal(key, now(), latency);
      }
      if (latency.micros() > config_.rpc_timeout.micros() / 4) NoteFault(message.from, message.to);
      queue_.Schedule(now() + latency, EventPayload{static_cast<uint8_t>(EventKind::kCallRefused),
                                                    message.from, message.call});
    }
  } else if (message.kind == EnvelopeKind::kRequest) {
    DeliverRequest(message);
  } else {
    DeliverReply(message);
  }
  // The slab may have grown while a handler ran, so `message` must not be used past here.
  FreeSlot(slot);
}

void World::DeliverRequest(InFlight& message) {
  NodeState& callee = node_state(message.to);
  const service::ReplyToken token = incoming_.size();
  incoming_.push_back(IncomingCall{message.call, false});
  calls_[message.call].delivered = true;
  std::optional<MessageKey> key;
  if (traffic_ != nullptr) [[unlikely]] {
    key = KeyOf(message.from, message.to, message.call, message.message);
    // Before the deaf check: a watch may make the receiver deaf on this very request.
    NotifyWatches(message.message_id, message.to, WatchedEvent::kArrived);
  }
  // Plain random mode has no one to decide otherwise than the armed deaf fault (the hook's
  // contract), so it skips the call.
  if (!service::IsServerNode(message.from) &&
      (decisions_.plain() ? callee.deaf_armed
                          : observer_.TurnDeafAt(message.to, ++callee.client_requests_received,
                                                 callee.deaf_armed))) {
    callee.deaf_armed = false;
    callee.deaf_token = token;
    if (key.has_value()) [[unlikely]]
      traffic_->DeafAt(*key, message.message_id, now());
  }
  ++stats_.delivered;
  const NodeId to = message.to;
  const NodeId from = message.from;
  Record(TraceKind::kDeliver, to, from, message.message_id, message.content,
         [&] { return DescribeMessage(message.message); });
  // Copy out what the handler needs: the handler may send, and sending may grow the slab.
  const service::Message request = std::move(message.message);
  const uint64_t message_id = message.message_id;
  current_chain_ = message.chain;
  BeginHandler(to);
  {
    const SystemUnderTestScope protocol;
    callee.handler->OnCall(from, token, request);
  }
  if (key.has_value()) [[unlikely]] {
    traffic_->Handled(*key, message_id, now());
    NotifyWatches(message_id, to, WatchedEvent::kHandled);
  }
  observer_.AfterMessageHandled(to, ++node_state(to).messages_handled);
  EndHandler(to);
}

void World::DeliverReply(InFlight& message) {
  CallRecord& call = calls_[message.call];
  const NodeId to = message.to;
  if (call.state != CallState::kOutstanding) {
    ++stats_.late_replies;
    Record(TraceKind::kLateReply, to, message.from, message.message_id, message.content,
           [&] { return DescribeMessage(message.message); });
    return;
  }
  call.state = CallState::kEnded;
  ++stats_.delivered;
  Record(TraceKind::kDeliver, to, message.from, message.message_id, message.content,
         [&] { return DescribeMessage(message.message); });
  Record(TraceKind::kCallReply, to, message.from, message.call, 0, [] { return std::string(); });
  const CallId call_id = message.call;
  const uint64_t message_id = message.message_id;
  std::optional<MessageKey> key;
  if (traffic_ != nullptr) [[unlikely]] {
    key = KeyOf(message.from, to, call_id, message.message);
    NotifyWatches(message_id, to, WatchedEvent::kArrived);
  }
  const service::Message reply = std::move(message.message);
  current_chain_ = message.chain;
  BeginHandler(to);
  {
    const SystemUnderTestScope protocol;
    node_state(to).handler->OnCallReply(call_id, reply);
  }
  if (key.has_value()) [[unlikely]] {
    traffic_->Handled(*key, message_id, now());
    NotifyWatches(message_id, to, WatchedEvent::kHandled);
  }
  observer_.AfterMessageHandled(to, ++node_state(to).messages_handled);
  EndHandler(to);
}

// --- RPC. ---

CallId World::StartCall(NodeId node, NodeId to, service::Message request) {
  // The environment's REQUIRES, checked in the caller's scope: breaking one is the node's bug.
  LOCKSIM_ASSERT(node != to);
  node_state(to);  // asserts the id is valid
  const SimulatorScope simulator;
  const CallId call = calls_.size();
  service::RequestId carried;
  if (const auto* client_request = std::get_if<service::ClientRequest>(&request)) {
    carried = client_request->id;
  } else if (const auto* forward = std::get_if<service::ForwardRequest>(&request)) {
    carried = forward->id;
  }
  calls_.push_back(CallRecord{node, to, carried, now() + config_.rpc_timeout,
                              CallState::kOutstanding, current_chain_});
  timeouts_.push_back(call);
  ++stats_.calls;
  Record(TraceKind::kCallStart, node, to, call, 0, [] { return std::string(); });
  observer_.OnCallStarted(node, to, request);
  Transmit(node, to, EnvelopeKind::kRequest, call, std::move(request));
  return call;
}

void World::SendReply(NodeId node, service::ReplyToken token, service::Message reply) {
  LOCKSIM_ASSERT(token > 0 && token < incoming_.size());
  IncomingCall& incoming = incoming_[token];
  LOCKSIM_ASSERT(!incoming.answered);  // Environment::Reply: at most once per token
  const CallRecord& call = calls_[incoming.call];
  LOCKSIM_ASSERT(call.callee == node);
  const SimulatorScope simulator;
  incoming.answered = true;
  NodeState& state = node_state(node);
  if (state.deaf_token == token) {
    state.deaf_token = 0;
    Record(TraceKind::kDeafReplyLost, node, call.caller, incoming.call, 0,
           [&] { return DescribeMessage(reply); });
    Crash(node, "deaf: halted after handling the request whose reply it lost");
    return;
  }
  Transmit(node, call.caller, EnvelopeKind::kReply, incoming.call, std::move(reply));
}

void World::EndCallWithFailure(CallId call_id, CallFailure failure) {
  CallRecord& call = calls_[call_id];
  if (call.state != CallState::kOutstanding) return;
  call.state = CallState::kEnded;
  if (failure == CallFailure::kRefused) {
    ++stats_.calls_refused;
  } else {
    ++stats_.calls_timed_out;
    if (!TimeoutExplained(call)) {
      unexplained_timeouts_.push_back(UnexplainedTimeout{
          call.caller, call.callee,
          Time::FromMicros(call.deadline.micros() - config_.rpc_timeout.micros()), call.deadline});
    }
  }
  // A call that timed out explains the timeouts of the calls its caller was serving.
  if (failure == CallFailure::kTimeout) NoteFault(call.caller, call.callee);
  // Copy out: the handler may start calls, which grows calls_ and invalidates `call`.
  const NodeId caller = call.caller;
  const NodeId callee = call.callee;
  if (node_state(caller).crashed) return;
  current_chain_ = call.chain;
  Record(failure == CallFailure::kRefused ? TraceKind::kCallRefused : TraceKind::kCallTimeout,
         caller, callee, call_id, 0, [] { return std::string(); });
  BeginHandler(caller);
  {
    const SystemUnderTestScope protocol;
    node_state(caller).handler->OnCallFailed(call_id, failure);
  }
  EndHandler(caller);
}

// --- Timers and completions. ---

service::TimerId World::StartTimer(NodeId node, service::Micros delay) {
  LOCKSIM_ASSERT(delay.count() >= 0);
  const SimulatorScope simulator;
  const EventId id =
      queue_.Schedule(now() + Duration::Micros(delay.count()),
                      EventPayload{static_cast<uint8_t>(EventKind::kTimer), node, 0});
  Record(TraceKind::kTimerStart, node, -1, id.sequence, static_cast<uint64_t>(delay.count()),
         [] { return std::string(); });
  return id.sequence;
}

void World::CancelTimer(service::TimerId timer) {
  const SimulatorScope simulator;
  queue_.Cancel(EventId{timer});
}

void World::FireTimer(NodeId node, service::TimerId timer) {
  if (node_state(node).crashed) return;  // a crashed node's timers never fire
  Record(TraceKind::kTimerFire, node, -1, timer, 0, [] { return std::string(); });
  current_chain_ = -1;
  BeginHandler(node);
  {
    const SystemUnderTestScope protocol;
    node_state(node).handler->OnTimer(timer);
  }
  EndHandler(node);
}

void World::OperationCompleted(NodeId node, const service::CompletedOperation& operation) {
  // Still the clerk's scope: the harness checks the clerk's side of the contract here (one
  // completion per call).
  observer_.OnOperationCompleted(node, operation);
}

}  // namespace locksim::sim
