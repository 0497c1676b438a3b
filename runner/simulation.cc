#include "runner/simulation.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "base/assert.h"
#include "runner/fault_plan.h"
#include "runner/run_checks.h"
#include "scenario/workload_draw.h"
#include "service/clerk.h"
#include "service/lock_server.h"
#include "sim/message_text.h"
#include "sim/prng.h"
#include "sim/time.h"
#include "sim/world.h"

namespace locksim::runner {
namespace {

using service::NodeId;
using sim::Duration;
using sim::Time;

// Harness events carry a kind in the top byte and an argument below it.
enum class HarnessKind : uint64_t { kContinueScript = 1, kClientNext = 2, kFault = 3, kHeal = 4 };
constexpr uint64_t Tag(HarnessKind kind, uint64_t arg) {
  return static_cast<uint64_t>(kind) << 56 | arg;
}
constexpr HarnessKind KindOf(uint64_t tag) { return static_cast<HarnessKind>(tag >> 56); }
constexpr uint64_t ArgOf(uint64_t tag) { return tag & ((uint64_t{1} << 56) - 1); }

sim::NetworkConfig NetworkOf(const scenario::Scenario& s) {
  sim::NetworkConfig config;
  config.latency = s.network.latency;
  const auto set = [&](sim::Channel channel, const scenario::ChannelProbabilities& drop,
                       const scenario::ChannelProbabilities& duplicate, auto member) {
    config.channels[static_cast<size_t>(channel)] = {drop.*member, duplicate.*member};
  };
  set(sim::Channel::kRequest, s.network.drop, s.network.duplicate,
      &scenario::ChannelProbabilities::request);
  set(sim::Channel::kReply, s.network.drop, s.network.duplicate,
      &scenario::ChannelProbabilities::reply);
  set(sim::Channel::kForward, s.network.drop, s.network.duplicate,
      &scenario::ChannelProbabilities::forward);
  set(sim::Channel::kForwardReply, s.network.drop, s.network.duplicate,
      &scenario::ChannelProbabilities::forward_reply);
  return config;
}

}  // namespace

class ScenarioRun : public sim::WorldObserver {
 public:
  ScenarioRun(const scenario::Scenario& scenario, const RunOptions& options)
      : scenario_(scenario),
        options_(options),
        decisions_(options.decision_source, options.record_decisions),
        root_(options.seed),
        world_(WorldConfigOf(scenario), root_.Fork(sim::Stream::kNetwork), trace_, *this,
               decisions_),
        primary_(world_.EnvironmentFor(service::kPrimaryNode), service::LockServer::Role::kPrimary,
                 options.flaw),
        backup_(world_.EnvironmentFor(service::kBackupNode), service::LockServer::Role::kBackup,
                options.flaw) {
    for (sim::TraceSink* sink : options.sinks) trace_.AddSink(sink);
    if (options.message_log != nullptr) world_.LogMessages(options.message_log);
    WatchAnchoredSteps();
    Attach(service::kPrimaryNode, primary_);
    Attach(service::kBackupNode, backup_);
    client_state_.resize(static_cast<size_t>(scenario.clients));
    for (int c = 0; c < scenario.clients; ++c) {
      clerks_.push_back(std::make_unique<service::Clerk>(
          world_.EnvironmentFor(service::ClientNode(c)), c, options.flaw));
      Attach(service::ClientNode(c), *clerks_.back());
      client_state_[static_cast<size_t>(c)].rng = scenario::WorkloadStream(options.seed, c);
    }
  }

  // A copy of `base`, paused between two events, that goes on with `options`'s decisions. Every
  // member: one left out here would make the fork part from the run it copies, which
  // tests/runner/forkable_run_test.cc catches.
  ScenarioRun(const ScenarioRun& base, const RunOptions& options)
      : scenario_(base.scenario_),
        options_(options),
        decisions_(options.decision_source, options.record_decisions),
        root_(base.root_),
        world_(base.world_, trace_, *this, decisions_),
        primary_(base.primary_, world_.EnvironmentFor(service::kPrimaryNode)),
        backup_(base.backup_, world_.EnvironmentFor(service::kBackupNode)),
        client_state_(base.client_state_),
        history_(base.history_),
        gave_up_(base.gave_up_),
        expectations_(base.expectations_),
        completed_(base.completed_),
        failed_(base.failed_),
        faults_(base.faults_),
        stop_reason_(base.stop_reason_),
        next_step_(base.next_step_),
        waiting_for_client_(base.waiting_for_client_),
        anchors_(base.anchors_),
        anchor_of_step_(base.anchor_of_step_),
        plan_(base.plan_),
        message_triggers_(base.message_triggers_),
        forward_triggers_(base.forward_triggers_),
        forwards_sent_(base.forwards_sent_) {
    // What a fork cannot copy: test doubles, and logs that would miss the prefix.
    LOCKSIM_ASSERT(base.doubles_.empty() && !options.node_double);
    LOCKSIM_ASSERT(options.message_log == nullptr && options.record_decisions == nullptr);
    LOCKSIM_ASSERT(options.seed == base.options_.seed && options.flaw == base.options_.flaw);
    LOCKSIM_ASSERT(!stop_reason_.has_value());
    trace_.ContinueFrom(base.trace_);
    for (sim::TraceSink* sink : options.sinks) trace_.AddSink(sink);
    world_.Attach(service::kPrimaryNode, &primary_);
    world_.Attach(service::kBackupNode, &backup_);
    for (int c = 0; c < scenario_.clients; ++c) {
      const service::Clerk& original = *base.clerks_[static_cast<size_t>(c)];
      clerks_.push_back(std::make_unique<service::Clerk>(
          original, world_.EnvironmentFor(service::ClientNode(c))));
      world_.Attach(service::ClientNode(c), clerks_.back().get());
    }
  }

  // The decisions taken before the first event, and the first events scheduled.
  void Begin() {
    // "Crash right after 0 messages": the injection point before anything happens.
    for (NodeId server : {service::kPrimaryNode, service::kBackupNode}) {
      if (decisions_.DecideYes(sim::DecisionStream::Injection(server),
                               sim::DecisionKind::kCrashAfterHandling, [] { return false; })) {
        InjectCrash(server, absl::StrCat("crash ", service::NodeName(server),
                                         " before it handled any message (schedule)"));
      }
    }
    if (scenario_.workload.has_value()) {
      StartWorkload();
      ScheduleFaults();
    } else {
      world_.ScheduleHarness(Time::Zero(), Tag(HarnessKind::kContinueScript, 0));
    }
  }

  // Runs until `events` events have run in all (true: paused) or the run ended (false).
  bool RunUntil(uint64_t events) {
    LOCKSIM_ASSERT(!stop_reason_.has_value());
    stop_reason_ = world_.RunUntil(events);
    return !stop_reason_.has_value();
  }
  uint64_t events() const { return world_.events_processed(); }

  // Runs to the end; the result with every check's verdict.
  RunResult Finish() {
    if (!stop_reason_.has_value()) stop_reason_ = world_.Run();
    return Conclude(*stop_reason_);
  }

  // --- WorldObserver. ---

  void OnHarnessEvent(uint64_t tag) override {
    switch (KindOf(tag)) {
      case HarnessKind::kContinueScript:
        ContinueScript();
        return;
      case HarnessKind::kClientNext:
        IssueRandomOperation(static_cast<int>(ArgOf(tag)));
        return;
      case HarnessKind::kFault:
        FireTimedFault(ArgOf(tag));
        return;
      case HarnessKind::kHeal:
        HealPartition(ArgOf(tag));
        return;
    }
    LOCKSIM_UNREACHABLE("unknown harness event");
  }

  void OnOperationCompleted(NodeId client_node,
                            const service::CompletedOperation& completed) override {
    const int client = service::ClientOf(client_node);
    ClientState& state = client_state_[static_cast<size_t>(client)];
    LOCKSIM_ASSERT(state.open_operation.has_value());
    const size_t index = *state.open_operation;
    state.open_operation.reset();
    check::HistoryOperation& op = history_.operations[index];
    if (completed.result.has_value()) {
      op.ret = world_.now().micros();
      op.result = completed.result;
      ++completed_;
    } else {
      gave_up_[index] = true;
      ++failed_;
    }
    world_.Note(sim::TraceKind::kReturn, client_node, index,
                completed.result.has_value() ? (*completed.result ? 1 : 0) : 2,
                completed.result.has_value() ? (*completed.result ? "true" : "false")
                                             : "failed: the clerk gave up, both servers refused");
    // Start what waits for this client from a fresh event: never call back into a node from
    // inside its own handler.
    if (scenario_.workload.has_value()) {
      ScheduleNextOperation(client);
    } else if (waiting_for_client_ == client) {
      waiting_for_client_ = -1;
      world_.ScheduleHarness(world_.now(), Tag(HarnessKind::kContinueScript, 0));
    }
  }

  // Injection points: each is a decision whose natural value is what the plan's counted crashes
  // say; a strategy or a replayed list may crash the server where the plan does not, or not
  // where it does.
  void AfterMessageHandled(NodeId node, uint64_t handled_count) override {
    if (!service::IsServerNode(node)) return;  // plans crash servers only
    const auto due = [&](const CountTrigger& trigger) {
      return !trigger.fired && CrashOf(trigger).node == node &&
             CrashOf(trigger).count == handled_count;
    };
    if (!decisions_.DecideYes(
            sim::DecisionStream::Injection(node), sim::DecisionKind::kCrashAfterHandling,
            [&] { return std::any_of(message_triggers_.begin(), message_triggers_.end(), due); })) {
      return;
    }
    if (!FireDueTriggers(message_triggers_, due)) {
      InjectCrash(
          node, absl::StrCat("crash ", service::NodeName(node), " right after it handled message #",
                             handled_count, " (schedule)"));
    }
  }

  void OnCallStarted(NodeId from, NodeId to, const service::Message& request) override {
    if (from != service::kPrimaryNode || to != service::kBackupNode ||
        !std::holds_alternative<service::ForwardRequest>(request)) {
      return;
    }
    ++forwards_sent_;
    const auto due = [&](const CountTrigger& trigger) {
      return !trigger.fired && CrashOf(trigger).count == forwards_sent_;
    };
    if (!decisions_.DecideYes(
            sim::DecisionStream::Injection(service::kPrimaryNode),
            sim::DecisionKind::kCrashAfterForward,
            [&] { return std::any_of(forward_triggers_.begin(), forward_triggers_.end(), due); })) {
      return;
    }
    if (!FireDueTriggers(forward_triggers_, due)) {
      InjectCrash(service::kPrimaryNode,
                  absl::StrCat("crash primary right after it sent forward #", forwards_sent_,
                               ", before it could reply (schedule)"));
    }
  }

  // A crash or deaf step tied to a message: fires once, when the step has armed it and the
  // message reaches its server (sent or handled for a crash, arrived for deaf).
  void OnWatchedMessage(int watch, NodeId node, sim::WatchedEvent event) override {
    Anchor& anchor = anchors_.at(static_cast<size_t>(watch));
    if (!anchor.armed || anchor.fired || anchor.server != node || world_.IsCrashed(node)) return;
    if (anchor.deaf != (event == sim::WatchedEvent::kArrived)) return;
    anchor.fired = true;
    const std::string what =
        absl::StrCat(sim::DescribeSelector(anchor.message), " (steps[", anchor.step, "])");
    if (anchor.deaf) {
      RecordFault(
          absl::StrCat(service::NodeName(node), " turns deaf at ", what, ": its reply is lost"));
      world_.MakeDeaf(node);
    } else {
      const std::string description =
          absl::StrCat("crash ", service::NodeName(node), " right after ",
                       event == sim::WatchedEvent::kSent ? "it sent " : "it handled ", what);
      RecordFault(description);
      world_.Crash(node, description);
    }
  }

  bool TurnDeafAt(NodeId server, uint64_t request_number, bool armed) override {
    const bool deaf =
        decisions_.DecideYes(sim::DecisionStream::Injection(server),
                             sim::DecisionKind::kDeafAtRequest, [&] { return armed; });
    if (deaf && !armed) {
      RecordFault(absl::StrCat(service::NodeName(server), " turns deaf at client request #",
                               request_number, " (schedule): its reply is lost"));
    }
    return deaf;
  }

 private:
  // A counted crash of the plan and whether it has fired.
  struct CountTrigger {
    size_t plan_index = 0;  // a CountedCrash in plan_
    bool fired = false;
  };
  const CountedCrash& CrashOf(const CountTrigger& trigger) const {
    return std::get<CountedCrash>(plan_[trigger.plan_index]);
  }

  // A crash or deaf step tied to a message (scenario::CrashStep::after, DeafStep::at).
  struct Anchor {
    size_t step = 0;
    NodeId server = service::kPrimaryNode;
    bool deaf = false;
    sim::MessageSelector message;
    bool armed = false;  // the script has reached the step
    bool fired = false;
  };

  // Watches the message of every anchored step; anchors_[i] is watch i.
  void WatchAnchoredSteps() {
    for (size_t i = 0; i < scenario_.steps.size(); ++i) {
      std::optional<Anchor> anchor;
      if (const auto* crash = std::get_if<scenario::CrashStep>(&scenario_.steps[i]);
          crash != nullptr && crash->after.has_value()) {
        anchor = Anchor{i, crash->server, false, *crash->after};
      } else if (const auto* deaf = std::get_if<scenario::DeafStep>(&scenario_.steps[i]);
                 deaf != nullptr && deaf->at.has_value()) {
        anchor = Anchor{i, deaf->server, true, *deaf->at};
      }
      if (!anchor.has_value()) continue;
      const int watch = world_.Watch(anchor->message);
      LOCKSIM_ASSERT(static_cast<size_t>(watch) == anchors_.size());
      anchor_of_step_[i] = anchors_.size();
      anchors_.push_back(*anchor);
    }
  }

  struct ClientState {
    sim::Prng rng{0};
    int64_t issued = 0;
    std::optional<size_t> open_operation;  // index into the history
  };

  // Attaches `node`, or the test double RunOptions::node_double puts in front of it.
  void Attach(NodeId id, service::Node& node) {
    std::unique_ptr<service::Node> stand_in =
        options_.node_double ? options_.node_double(id, node) : nullptr;
    world_.Attach(id, stand_in != nullptr ? stand_in.get() : &node);
    if (stand_in != nullptr) doubles_.push_back(std::move(stand_in));
  }

  static sim::WorldConfig WorldConfigOf(const scenario::Scenario& s) {
    sim::WorldConfig config;
    config.network = NetworkOf(s);
    config.rpc_timeout = s.rpc_timeout;
    config.node_count = service::ClientNode(s.clients);  // the servers, then every client
    config.budget = s.budget;
    config.message_rules = s.network.messages;
    return config;
  }

  // Starts client `client`'s call. REQUIRES: the client has no call open.
  size_t StartOperation(int client, service::OpKind op, const std::string& lock) {
    ClientState& state = client_state_[static_cast<size_t>(client)];
    LOCKSIM_ASSERT(!state.open_operation.has_value());
    const size_t index = history_.operations.size();
    history_.operations.push_back(check::HistoryOperation{
        client, op == service::OpKind::kLock ? check::LockOp::kLock : check::LockOp::kUnlock, lock,
        world_.now().micros(), std::nullopt, std::nullopt});
    gave_up_.push_back(false);
    state.open_operation = index;
    ++state.issued;
    const NodeId node = service::ClientNode(client);
    world_.Note(sim::TraceKind::kInvoke, node, index,
                sim::MixHash(static_cast<uint64_t>(op), sim::HashBytes(lock)),
                trace_.wants_detail()
                    ? absl::StrCat(op == service::OpKind::kLock ? "lock(" : "unlock(", lock, ")")
                    : std::string());
    service::Clerk& clerk = *clerks_[static_cast<size_t>(client)];
    world_.RunAs(node, [&] {
      if (op == service::OpKind::kLock) {
        clerk.Lock(lock);
      } else {
        clerk.Unlock(lock);
      }
    });
    return index;
  }

  // --- Scripted runs. ---

  void ContinueScript() {
    const std::vector<scenario::Step>& steps = scenario_.steps;
    while (next_step_ < steps.size() && waiting_for_client_ < 0) {
      const size_t step_index = next_step_;
      const bool proceed = std::visit(
          [&](const auto& step) -> bool {
            using T = std::decay_t<decltype(step)>;
            if constexpr (std::is_same_v<T, scenario::CallStep>) {
              ClientState& state = client_state_[static_cast<size_t>(step.client)];
              if (state.open_operation.has_value()) {
                // One call per client: wait for its async call to return first.
                waiting_for_client_ = step.client;
                return false;
              }
              const size_t op = StartOperation(step.client, step.op, step.lock);
              if (step.expect.has_value()) {
                expectations_.push_back(Expectation{op, step_index, *step.expect});
              }
              ++next_step_;
              if (!step.async) waiting_for_client_ = step.client;
              return true;
            } else if constexpr (std::is_same_v<T, scenario::CrashStep>) {
              ++next_step_;
              if (step.after.has_value()) {
                anchors_[anchor_of_step_.at(step_index)].armed = true;
                return true;
              }
              RecordFault(absl::StrCat("crash ", service::NodeName(step.server), " (steps[",
                                       step_index, "])"));
              world_.Crash(step.server, absl::StrCat("scripted crash, steps[", step_index, "]"));
              return true;
            } else if constexpr (std::is_same_v<T, scenario::DeafStep>) {
              ++next_step_;
              if (step.at.has_value()) {
                anchors_[anchor_of_step_.at(step_index)].armed = true;
                return true;
              }
              RecordFault(absl::StrCat(service::NodeName(step.server), " turns deaf (steps[",
                                       step_index, "]): its next client request's reply is lost"));
              world_.MakeDeaf(step.server);
              return true;
            } else if constexpr (std::is_same_v<T, scenario::WaitStep>) {
              if (client_state_[static_cast<size_t>(step.client)].open_operation.has_value()) {
                waiting_for_client_ = step.client;
                return false;
              }
              ++next_step_;
              return true;
            } else {
              static_assert(std::is_same_v<T, scenario::SleepStep>);
              ++next_step_;
              world_.ScheduleHarness(world_.now() + step.duration,
                                     Tag(HarnessKind::kContinueScript, 0));
              return false;
            }
          },
          steps[step_index]);
      if (!proceed) return;
    }
  }

  // --- Random runs. ---

  void StartWorkload() {
    for (int c = 0; c < scenario_.clients; ++c) ScheduleNextOperation(c);
  }

  // At the start and after each completion: another operation, after a think time?
  void ScheduleNextOperation(int client) {
    const scenario::Workload& workload = *scenario_.workload;
    ClientState& state = client_state_[static_cast<size_t>(client)];
    if (!scenario::DecideMoreOperations(workload, state.issued, decisions_, client)) return;
    world_.ScheduleHarness(
        world_.now() + scenario::DrawThinkTime(workload, state.rng, decisions_, client),
        Tag(HarnessKind::kClientNext, static_cast<uint64_t>(client)));
  }

  void IssueRandomOperation(int client) {
    const scenario::Workload& workload = *scenario_.workload;
    ClientState& state = client_state_[static_cast<size_t>(client)];
    const scenario::WorkloadOperation next =
        scenario::DrawOperation(workload, state.rng, decisions_, client);
    StartOperation(client, next.op, workload.locks[next.lock]);
  }

  // Draws the whole plan before anything runs, then schedules what fires at a time in plan order
  // (faults due at one instant fire in the scenario's order); counted crashes wait for their
  // counts.
  void ScheduleFaults() {
    plan_ = DrawFaultPlan(scenario_, root_.Fork(sim::Stream::kFaults), decisions_);
    for (size_t i = 0; i < plan_.size(); ++i) {
      if (const auto* timed = std::get_if<TimedFault>(&plan_[i])) {
        world_.ScheduleHarness(timed->at, Tag(HarnessKind::kFault, i));
      } else if (const auto* partition = std::get_if<PlannedPartition>(&plan_[i])) {
        world_.ScheduleHarness(partition->at, Tag(HarnessKind::kFault, i));
      } else {
        const CountedCrash& crash = std::get<CountedCrash>(plan_[i]);
        (crash.counter == CountedCrash::Counter::kMessagesHandled ? message_triggers_
                                                                  : forward_triggers_)
            .push_back(CountTrigger{i});
      }
    }
  }

  void FireTimedFault(uint64_t index) {
    if (!decisions_.DecideYes(sim::DecisionStream::Plan(), sim::DecisionKind::kFireFault,
                              [] { return true; })) {
      return;
    }
    if (const auto* partition = std::get_if<PlannedPartition>(&plan_.at(index))) {
      RecordFault(partition->heal_at.has_value()
                      ? absl::StrCat(partition->description, " until ",
                                     sim::FormatSimTime(*partition->heal_at))
                      : absl::StrCat(partition->description, ", never healed"));
      for (const auto& [from, to] : partition->links) world_.SetLinkBlocked(from, to, true);
      if (partition->heal_at.has_value()) {
        world_.ScheduleHarness(*partition->heal_at, Tag(HarnessKind::kHeal, index));
      }
      return;
    }
    const TimedFault& fault = std::get<TimedFault>(plan_.at(index));
    if (world_.IsCrashed(fault.node)) return;  // already down: nothing fires
    RecordFault(fault.description);
    if (fault.action == TimedFault::Action::kDeaf) {
      world_.MakeDeaf(fault.node);
    } else {
      world_.Crash(fault.node, fault.description);
    }
  }

  void HealPartition(uint64_t index) {
    const PlannedPartition& partition = std::get<PlannedPartition>(plan_.at(index));
    RecordFault(absl::StrCat("heal: ", partition.description));
    for (const auto& [from, to] : partition.links) world_.SetLinkBlocked(from, to, false);
  }

  // Fires every trigger `due` says is due (normally one); false when none is.
  template <typename Due>
  bool FireDueTriggers(std::vector<CountTrigger>& triggers, Due due) {
    bool fired = false;
    for (CountTrigger& trigger : triggers) {
      if (due(trigger)) {
        FireCrash(trigger);
        fired = true;
      }
    }
    return fired;
  }

  // A crash the schedule placed where the plan has none.
  void InjectCrash(NodeId server, std::string description) {
    if (world_.IsCrashed(server)) return;
    RecordFault(description);
    world_.Crash(server, description);
  }

  void FireCrash(CountTrigger& trigger) {
    trigger.fired = true;
    const CountedCrash& crash = CrashOf(trigger);
    if (world_.IsCrashed(crash.node)) return;
    RecordFault(crash.description);
    world_.Crash(crash.node, crash.description);
  }

  void RecordFault(std::string description) {
    world_.Note(sim::TraceKind::kFault, -1, faults_.size() + 1, sim::HashBytes(description),
                description);
    faults_.push_back(FiredFault{world_.now(), std::move(description)});
  }

  // --- The end. ---

  RunResult Conclude(sim::StopReason reason) {
    RunResult result;
    result.scenario = scenario_.name;
    result.scenario_path = options_.scenario_path;
    result.seed = options_.seed;
    if (options_.flaw != service::Flaw::kNone) {
      result.flaw = std::string(service::FlawName(options_.flaw));
    }
    result.repro = ReproCommand(options_.scenario_path, options_.seed, options_.flaw,
                                options_.repro_decisions);
    result.schedule = options_.schedule;
    result.faults = std::move(faults_);
    result.operations_invoked = static_cast<int64_t>(history_.operations.size());
    result.operations_completed = completed_;
    result.operations_failed = failed_;
    result.network = world_.stats();
    result.coverage = primary_.coverage();
    service::Add(result.coverage, backup_.coverage());
    result.end_time = world_.now();
    result.stop_reason = reason;
    result.assertion = world_.assertion_stop();
    result.events = world_.events_processed();
    result.fingerprint = trace_.fingerprint();

    FinishedRun finished;
    finished.history = &history_;
    finished.expectations = std::move(expectations_);
    finished.gave_up = std::move(gave_up_);
    finished.stop_reason = reason;
    finished.budget = scenario_.budget;
    finished.assertion = world_.assertion_stop();
    if (!scenario_.workload.has_value() && next_step_ < scenario_.steps.size()) {
      finished.unfinished_step = next_step_;
    }
    finished.end_time = world_.now();
    finished.events = world_.events_processed();
    finished.unexplained_timeouts = world_.unexplained_timeouts();
    if (!world_.IsCrashed(service::kPrimaryNode) && !world_.IsCrashed(service::kBackupNode)) {
      finished.live_held.emplace(primary_.HeldLocks(), backup_.HeldLocks());
    }
    RunAllChecks(finished, &result);
    if (options_.keep_history) result.history = std::move(history_);
    return result;
  }

  const scenario::Scenario& scenario_;
  const RunOptions& options_;
  const sim::Decisions decisions_;
  sim::Trace trace_;
  sim::Prng root_;
  sim::World world_;
  service::LockServer primary_;
  service::LockServer backup_;
  std::vector<std::unique_ptr<service::Clerk>> clerks_;
  std::vector<std::unique_ptr<service::Node>> doubles_;  // RunOptions::node_double's
  std::vector<ClientState> client_state_;

  check::History history_;
  std::vector<bool> gave_up_;
  std::vector<Expectation> expectations_;
  int64_t completed_ = 0;
  int64_t failed_ = 0;
  std::vector<FiredFault> faults_;
  std::optional<sim::StopReason> stop_reason_;  // set once the world's run ended

  // Scripted runs.
  size_t next_step_ = 0;
  int waiting_for_client_ = -1;
  std::vector<Anchor> anchors_;                     // by watch index
  absl::btree_map<size_t, size_t> anchor_of_step_;  // step index -> index into anchors_

  // Random runs: the fault plan (a harness event's argument is an index into it), and the
  // counted crashes still waiting for their count.
  FaultPlan plan_;
  std::vector<CountTrigger> message_triggers_;
  std::vector<CountTrigger> forward_triggers_;
  uint64_t forwards_sent_ = 0;
};

std::string ReproCommand(const std::string& scenario_path, uint64_t seed, service::Flaw flaw,
                         const std::string& decisions) {
  std::string command = absl::StrCat("locksim run ", scenario_path, " --seed ", seed);
  if (flaw != service::Flaw::kNone) {
    absl::StrAppend(&command, " --flaw ", std::string(service::FlawName(flaw)));
  }
  if (!decisions.empty()) absl::StrAppend(&command, " ", decisions);
  return command;
}

std::string ShrinkCommand(const std::string& scenario_path, uint64_t seed, service::Flaw flaw,
                          const std::string& decisions) {
  std::string command = absl::StrCat("locksim shrink ", scenario_path, " --seed ", seed);
  if (flaw != service::Flaw::kNone) {
    absl::StrAppend(&command, " --flaw ", std::string(service::FlawName(flaw)));
  }
  if (!decisions.empty()) absl::StrAppend(&command, " ", decisions);
  return command;
}

RunResult RunScenario(const scenario::Scenario& scenario, const RunOptions& options) {
  return ForkableRun(scenario, options).Finish();
}

// The run object is large (world, nodes): it lives on the heap.
ForkableRun::ForkableRun(const scenario::Scenario& scenario, const RunOptions& options)
    : run_(std::make_unique<ScenarioRun>(scenario, options)) {
  run_->Begin();
}

ForkableRun::ForkableRun(std::unique_ptr<ScenarioRun> run) : run_(std::move(run)) {}
ForkableRun::ForkableRun(ForkableRun&&) noexcept = default;
ForkableRun& ForkableRun::operator=(ForkableRun&&) noexcept = default;
ForkableRun::~ForkableRun() = default;

bool ForkableRun::RunUntil(uint64_t events) {
  LOCKSIM_ASSERT(run_ != nullptr);
  return run_->RunUntil(events);
}

uint64_t ForkableRun::events() const {
  LOCKSIM_ASSERT(run_ != nullptr);
  return run_->events();
}

ForkableRun ForkableRun::Fork(const RunOptions& options) const {
  LOCKSIM_ASSERT(run_ != nullptr);
  return ForkableRun(std::make_unique<ScenarioRun>(*run_, options));
}

RunResult ForkableRun::Finish() {
  LOCKSIM_ASSERT(run_ != nullptr);
  RunResult result = run_->Finish();
  run_.reset();
  return result;
}

}  // namespace locksim::runner
