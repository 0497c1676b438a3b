#include "tests/service/fake_cluster.h"

#include <utility>
#include <variant>

#include "base/assert.h"

namespace locksim::service::testing {

std::string ResultText(std::optional<bool> result) {
  if (!result.has_value()) return "failed";
  return *result ? "true" : "false";
}

class FakeCluster::Env final : public Environment {
 public:
  Env(FakeCluster& cluster, NodeId self) : cluster_(cluster), self_(self) {}
  CallId Call(NodeId to, Message request) override {
    const CallId call = cluster_.calls_.size();
    cluster_.calls_.push_back(CallRecord{.from = self_, .to = to});
    cluster_.queue_.push_back(Envelope{Kind::kRequest, call, std::move(request)});
    return call;
  }
  void Reply(ReplyToken token, Message reply) override {
    LOCKSIM_ASSERT(token > 0 && token < cluster_.tokens_.size());
    const Token& t = cluster_.tokens_[token];
    if (t.lost) {
      cluster_.crash_after_handler_ = self_;
      return;
    }
    cluster_.queue_.push_back(Envelope{Kind::kReply, t.call, std::move(reply)});
  }
  TimerId StartTimer(Micros) override { return 0; }
  void CancelTimer(TimerId) override {}
  Micros Now() const override { return Micros(0); }
  void OperationCompleted(const CompletedOperation& operation) override {
    const ClientId client = self_ - ClientNode(0);
    cluster_.results_[client] = operation.result;
    cluster_.completed_.push_back(Completed{client, operation});
  }

 private:
  FakeCluster& cluster_;
  NodeId self_;
};

FakeCluster::FakeCluster(int clients, Flaw flaw)
    : crashed_(ClientNode(clients), false), deaf_(ClientNode(clients), false), results_(clients) {
  for (NodeId id = 0; id < ClientNode(clients); ++id) {
    envs_.push_back(std::make_unique<Env>(*this, id));
  }
  primary_ = std::make_unique<LockServer>(*envs_[kPrimaryNode], ServerRole::kPrimary, flaw);
  backup_ = std::make_unique<LockServer>(*envs_[kBackupNode], ServerRole::kBackup, flaw);
  for (ClientId c = 0; c < clients; ++c) {
    clerks_.push_back(std::make_unique<Clerk>(*envs_[ClientNode(c)], c, flaw));
  }
}

FakeCluster::~FakeCluster() = default;

Node& FakeCluster::node(NodeId id) {
  if (id == kPrimaryNode) return *primary_;
  if (id == kBackupNode) return *backup_;
  return *clerks_[id - ClientNode(0)];
}

void FakeCluster::StartLock(ClientId client, std::string name) {
  results_[client].reset();
  clerks_[client]->Lock(std::move(name));
}
void FakeCluster::StartUnlock(ClientId client, std::string name) {
  results_[client].reset();
  clerks_[client]->Unlock(std::move(name));
}
std::string FakeCluster::Result(ClientId client) const {
  if (!results_[client].has_value()) return "pending";
  return ResultText(*results_[client]);
}
std::string FakeCluster::Lock(ClientId client, std::string name) {
  StartLock(client, std::move(name));
  return Wait(client);
}
std::string FakeCluster::Unlock(ClientId client, std::string name) {
  StartUnlock(client, std::move(name));
  return Wait(client);
}
std::string FakeCluster::Wait(ClientId client) {
  while (!results_[client].has_value()) {
    DeliverAll();
    if (results_[client].has_value()) break;
    if (!TimeOutStuckCalls()) break;
  }
  return Result(client);
}

bool FakeCluster::Deliverable(const Envelope& envelope) const {
  return !(hold_forwards_ && envelope.kind == Kind::kRequest &&
           std::holds_alternative<ForwardRequest>(envelope.message));
}

void FakeCluster::DeliverAll() {
  for (int guard = 0; guard < 1'000'000; ++guard) {
    size_t i = 0;
    while (i < queue_.size() && !Deliverable(queue_[i])) ++i;
    if (i == queue_.size()) return;
    DeliverAt(i);
  }
  LOCKSIM_ASSERT(false && "DeliverAll did not settle");
}

void FakeCluster::Settle() {
  do {
    DeliverAll();
  } while (TimeOutStuckCalls());
}

void FakeCluster::DeliverAt(size_t index, bool duplicate) {
  LOCKSIM_ASSERT(index < queue_.size());
  Envelope envelope = queue_[index];
  if (!duplicate) queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(index));
  Deliver(std::move(envelope));
}

void FakeCluster::Deliver(Envelope envelope) {
  CallRecord& call = calls_[envelope.call];
  if (envelope.kind == Kind::kRequest) {
    if (crashed_[call.from]) return;
    if (crashed_[call.to]) {
      queue_.push_back(Envelope{Kind::kRefused, envelope.call, {}});
      return;
    }
    const ReplyToken token = tokens_.size();
    const bool lost = deaf_[call.to] && std::holds_alternative<ClientRequest>(envelope.message);
    if (lost) deaf_[call.to] = false;
    tokens_.push_back(Token{envelope.call, lost});
    node(call.to).OnCall(call.from, token, envelope.message);
  } else if (envelope.kind == Kind::kReply) {
    if (call.ended || crashed_[call.from]) return;
    EndCall(envelope.call, std::nullopt, &envelope.message);
  } else {
    if (call.ended || crashed_[call.from]) return;
    EndCall(envelope.call, CallFailure::kRefused, nullptr);
  }
  if (crash_after_handler_ >= 0) {
    crashed_[crash_after_handler_] = true;
    crash_after_handler_ = -1;
  }
}

void FakeCluster::EndCall(CallId call, std::optional<CallFailure> failure, const Message* reply) {
  CallRecord& record = calls_[call];
  record.ended = true;
  if (failure.has_value()) {
    node(record.from).OnCallFailed(call, *failure);
  } else {
    node(record.from).OnCallReply(call, *reply);
  }
}

void FakeCluster::LoseReplyOf(CallId call) {
  LOCKSIM_ASSERT(!calls_[call].ended);
  EndCall(call, CallFailure::kTimeout, nullptr);
}

bool FakeCluster::TimeOutStuckCalls() {
  std::vector<CallId> stuck;
  for (CallId call = 1; call < calls_.size(); ++call) {
    const CallRecord& record = calls_[call];
    if (record.ended || crashed_[record.from]) continue;
    bool in_flight = false;
    for (const Envelope& envelope : queue_) in_flight |= envelope.call == call;
    if (!in_flight) stuck.push_back(call);
  }
  for (CallId call : stuck) {
    if (!calls_[call].ended) EndCall(call, CallFailure::kTimeout, nullptr);
  }
  return !stuck.empty();
}

}  // namespace locksim::service::testing
