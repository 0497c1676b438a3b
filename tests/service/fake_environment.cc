#include "tests/service/fake_environment.h"

#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace locksim::service::testing {

std::string OpText(OpKind op, std::string_view lock) {
  return absl::StrCat(op == OpKind::kLock ? "lock(" : "unlock(", std::string(lock), ")");
}

std::string CompletedText(const CompletedOperation& operation) {
  std::string result = "failed";
  if (operation.result.has_value()) result = *operation.result ? "true" : "false";
  return absl::StrCat(OpText(operation.op, operation.lock), "=", result);
}

namespace {
std::string IdText(const RequestId& id) { return absl::StrCat("c", id.client, "#", id.sequence); }
std::string Bool(bool b) { return b ? "true" : "false"; }
}  // namespace

std::string MessageText(const Message& message) {
  if (const auto* m = std::get_if<ClientRequest>(&message)) {
    return absl::StrCat("request ", IdText(m->id), " ", OpText(m->op, m->lock));
  }
  if (const auto* m = std::get_if<ClientReply>(&message)) {
    return absl::StrCat("reply ", IdText(m->id), "=", Bool(m->result));
  }
  if (const auto* m = std::get_if<ForwardRequest>(&message)) {
    return absl::StrCat("forward ", m->order, " ", IdText(m->id), " ", OpText(m->op, m->lock), "=",
                        Bool(m->result));
  }
  const auto& ack = std::get<ForwardReply>(message);
  return absl::StrCat("ack ", ack.order);
}

std::string FailureText(CallFailure failure) {
  return failure == CallFailure::kRefused ? "refused" : "timeout";
}

class FakeNetwork::NodeEnvironment final : public Environment {
 public:
  NodeEnvironment(FakeNetwork& network, NodeId self) : network_(network), self_(self) {}
  CallId Call(NodeId to, Message request) override {
    return network_.RecordCall(self_, to, std::move(request));
  }
  void Reply(ReplyToken token, Message reply) override {
    network_.RecordReply(self_, token, std::move(reply));
  }
  TimerId StartTimer(Micros /*delay*/) override {
    ADD_FAILURE() << NodeName(self_) << " started a timer; the protocol uses none";
    return ++next_timer_;
  }
  void CancelTimer(TimerId /*id*/) override {}
  Micros Now() const override { return Micros(0); }
  void OperationCompleted(const CompletedOperation& operation) override {
    network_.Complete(self_, operation);
  }

 private:
  FakeNetwork& network_;
  const NodeId self_;
  TimerId next_timer_ = 0;
};

FakeNetwork::FakeNetwork(int clients, Flaw server_flaw, Flaw clerk_flaw) {
  const size_t nodes = static_cast<size_t>(ClientNode(clients));
  for (size_t i = 0; i < nodes; ++i) {
    envs_.push_back(std::make_unique<NodeEnvironment>(*this, static_cast<NodeId>(i)));
  }
  primary_ = std::make_unique<LockServer>(*envs_[kPrimaryNode], ServerRole::kPrimary, server_flaw);
  backup_ = std::make_unique<LockServer>(*envs_[kBackupNode], ServerRole::kBackup, server_flaw);
  for (ClientId c = 0; c < clients; ++c) {
    clerks_.push_back(
        std::make_unique<Clerk>(*envs_[static_cast<size_t>(ClientNode(c))], c, clerk_flaw));
  }
  crashed_.assign(nodes, false);
  killed_.assign(nodes, false);
  deaf_.assign(nodes, false);
  deaf_call_.assign(nodes, std::nullopt);
  completed_.resize(static_cast<size_t>(clients));
}

FakeNetwork::~FakeNetwork() = default;

Node& FakeNetwork::node(NodeId id) {
  if (id == kPrimaryNode) return *primary_;
  if (id == kBackupNode) return *backup_;
  return *clerks_.at(static_cast<size_t>(ClientOf(id)));
}

CallId FakeNetwork::RecordCall(NodeId from, NodeId to, Message message) {
  const CallId id = all_calls_.size() + 1;  // never 0: the clerk uses 0 for "no call"
  all_calls_[id] = CallRecord{.from = from, .to = to, .message = message};
  calls_.push_back(PendingCall{
      .seq = next_seq_++, .call = id, .from = from, .to = to, .message = std::move(message)});
  return id;
}

void FakeNetwork::RecordReply(NodeId from, ReplyToken token, Message message) {
  auto it = tokens_.find(token);
  if (it == tokens_.end()) {
    ADD_FAILURE() << NodeName(from) << " answered unknown token " << token;
    return;
  }
  const CallId call = it->second;
  tokens_.erase(it);  // a token is answered at most once
  const std::optional<CallId>& deaf = deaf_call_[static_cast<size_t>(from)];
  if (deaf.has_value() && *deaf == call) {
    // The dying primary: the reply is thrown away and the node halts after this handler.
    kill_after_handler_.push_back(from);
    return;
  }
  replies_.push_back(PendingReply{.seq = next_seq_++,
                                  .token = token,
                                  .call = call,
                                  .from = from,
                                  .to = all_calls_.at(call).from,
                                  .message = std::move(message)});
}

void FakeNetwork::Complete(NodeId from, const CompletedOperation& operation) {
  completed_.at(static_cast<size_t>(ClientOf(from))).push_back(operation);
}

void FakeNetwork::AfterHandler() {
  for (NodeId node : kill_after_handler_) Kill(node);
  kill_after_handler_.clear();
}

void FakeNetwork::HandOver(const PendingCall& call) {
  if (crashed(call.to)) return;  // swallowed: the caller will time out or be refused
  if (deaf_[static_cast<size_t>(call.to)] && std::holds_alternative<ClientRequest>(call.message)) {
    deaf_[static_cast<size_t>(call.to)] = false;
    deaf_call_[static_cast<size_t>(call.to)] = call.call;
  }
  const ReplyToken token = next_token_++;
  tokens_[token] = call.call;
  node(call.to).OnCall(call.from, token, call.message);
  AfterHandler();
}

std::vector<std::string> FakeNetwork::PendingCallsText() const {
  std::vector<std::string> out;
  for (const PendingCall& c : calls_) {
    out.push_back(absl::StrCat("#", c.call, " ", NodeName(c.from), "->", NodeName(c.to), " ",
                               MessageText(c.message)));
  }
  return out;
}

std::vector<std::string> FakeNetwork::PendingRepliesText() const {
  std::vector<std::string> out;
  for (const PendingReply& r : replies_) {
    out.push_back(absl::StrCat("#", r.call, " ", NodeName(r.from), "->", NodeName(r.to), " ",
                               MessageText(r.message)));
  }
  return out;
}

size_t FakeNetwork::CallIndex(std::string_view match) const {
  const std::vector<std::string> texts = PendingCallsText();
  for (size_t i = 0; i < texts.size(); ++i) {
    if (texts[i].find(match) != std::string::npos) return i;
  }
  ADD_FAILURE() << "no pending call matches \"" << std::string(match) << "\"";
  return texts.size();  // out of range: the caller's .at() throws and the test stops
}

size_t FakeNetwork::ReplyIndex(std::string_view match) const {
  const std::vector<std::string> texts = PendingRepliesText();
  for (size_t i = 0; i < texts.size(); ++i) {
    if (texts[i].find(match) != std::string::npos) return i;
  }
  ADD_FAILURE() << "no pending reply matches \"" << std::string(match) << "\"";
  return texts.size();  // out of range: the caller's .at() throws and the test stops
}

std::string FakeNetwork::DeliverCall(size_t index) {
  const std::string text = PendingCallsText().at(index);
  PendingCall call = std::move(calls_.at(index));
  calls_.erase(calls_.begin() + static_cast<std::ptrdiff_t>(index));
  HandOver(call);
  return text;
}

std::string FakeNetwork::DuplicateCall(size_t index) {
  const std::string text = PendingCallsText().at(index);
  const PendingCall copy = calls_.at(index);
  HandOver(copy);
  return text;
}

std::string FakeNetwork::DeliverReply(size_t index) {
  const std::string text = PendingRepliesText().at(index);
  PendingReply reply = std::move(replies_.at(index));
  replies_.erase(replies_.begin() + static_cast<std::ptrdiff_t>(index));
  CallRecord& record = all_calls_.at(reply.call);
  if (record.ended || crashed(reply.to)) {
    record.ended = true;
    return absl::StrCat(text, " (discarded: call already ended)");
  }
  record.ended = true;
  node(reply.to).OnCallReply(reply.call, reply.message);
  AfterHandler();
  return text;
}

std::string FakeNetwork::DropReply(size_t index) {
  const std::string text = PendingRepliesText().at(index);
  replies_.erase(replies_.begin() + static_cast<std::ptrdiff_t>(index));
  return absl::StrCat(text, " (lost)");
}

bool FakeNetwork::DeliverNext() {
  if (!HasPendingMessage()) return false;
  if (replies_.empty() || (!calls_.empty() && calls_.front().seq < replies_.front().seq)) {
    DeliverCall(size_t{0});
  } else {
    DeliverReply(size_t{0});
  }
  return true;
}

void FakeNetwork::FailCall(size_t index, CallFailure failure) {
  const CallId call = calls_.at(index).call;
  calls_.erase(calls_.begin() + static_cast<std::ptrdiff_t>(index));
  EndWithFailure(call, failure);
}

void FakeNetwork::FailCallId(CallId call, CallFailure failure) {
  for (size_t i = 0; i < calls_.size(); ++i) {
    if (calls_[i].call == call) {
      calls_.erase(calls_.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  EndWithFailure(call, failure);
}

void FakeNetwork::EndWithFailure(CallId call, CallFailure failure) {
  CallRecord& record = all_calls_.at(call);
  if (record.ended) return;
  record.ended = true;
  if (crashed(record.from)) return;
  node(record.from).OnCallFailed(call, failure);
  AfterHandler();
}

void FakeNetwork::Kill(NodeId node) {
  Crash(node);
  killed_.at(static_cast<size_t>(node)) = true;
}

void FakeNetwork::RefuseCallsToKilled() {
  for (size_t i = 0; i < calls_.size();) {
    if (killed_[static_cast<size_t>(calls_[i].to)]) {
      FailCall(i, CallFailure::kRefused);
      i = 0;  // a failure handler may have queued new calls
    } else {
      ++i;
    }
  }
}

void FakeNetwork::DeliverAll() {
  while (true) {
    RefuseCallsToKilled();
    if (!DeliverNext()) return;
  }
}

bool FakeNetwork::TimeOutOneStuckCall() {
  for (auto& [id, record] : all_calls_) {
    if (record.ended) continue;
    bool in_flight = false;
    for (const PendingCall& c : calls_) in_flight = in_flight || c.call == id;
    for (const PendingReply& r : replies_) in_flight = in_flight || r.call == id;
    if (in_flight) continue;
    if (crashed(record.from)) {
      record.ended = true;
      continue;
    }
    EndWithFailure(id, CallFailure::kTimeout);
    return true;
  }
  return false;
}

void FakeNetwork::RunUntilQuietImpl(std::optional<uint64_t> seed) {
  TestRng random(seed.value_or(0));
  int timeouts = 0;
  do {
    while (true) {
      RefuseCallsToKilled();
      if (!HasPendingMessage()) break;
      if (!seed.has_value()) {
        DeliverNext();
        continue;
      }
      const size_t pick = random.Below(calls_.size() + replies_.size());
      if (pick < calls_.size()) {
        DeliverCall(pick);
      } else {
        DeliverReply(pick - calls_.size());
      }
    }
  } while (timeouts++ < kMaxTimeouts && TimeOutOneStuckCall());
}

void FakeNetwork::RunUntilQuiet() { RunUntilQuietImpl(std::nullopt); }
void FakeNetwork::RunUntilQuietShuffled(uint64_t seed) { RunUntilQuietImpl(seed); }

void FakeNetwork::StartLock(ClientId client, std::string name) { clerk(client).Lock(name); }
void FakeNetwork::StartUnlock(ClientId client, std::string name) { clerk(client).Unlock(name); }

std::string FakeNetwork::Lock(ClientId client, std::string name) {
  StartLock(client, std::move(name));
  RunUntilQuiet();
  return clerk(client).busy() ? "still busy" : LastCompleted(client);
}

std::string FakeNetwork::Unlock(ClientId client, std::string name) {
  StartUnlock(client, std::move(name));
  RunUntilQuiet();
  return clerk(client).busy() ? "still busy" : LastCompleted(client);
}

std::vector<std::string> FakeNetwork::Completed(ClientId client) const {
  std::vector<std::string> out;
  for (const CompletedOperation& op : CompletedOperations(client)) out.push_back(CompletedText(op));
  return out;
}

std::string FakeNetwork::LastCompleted(ClientId client) const {
  const auto& ops = CompletedOperations(client);
  return ops.empty() ? "none" : CompletedText(ops.back());
}

std::vector<NodeId> FakeNetwork::CallTargetsOf(NodeId from) const {
  std::vector<NodeId> out;
  for (const auto& [id, record] : all_calls_) {
    if (record.from == from) out.push_back(record.to);
  }
  return out;
}

std::string FakeNetwork::CallText(CallId call) const {
  const CallRecord& r = all_calls_.at(call);
  return absl::StrCat("#", call, " ", NodeName(r.from), "->", NodeName(r.to), " ",
                      MessageText(r.message));
}

}  // namespace locksim::service::testing
