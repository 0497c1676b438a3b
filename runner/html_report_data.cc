#include "runner/html_report_data.h"

#include <map>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "base/assert.h"
#include "check/lock_linearizability.h"
#include "runner/lock_holds.h"
#include "runner/report.h"

namespace locksim::runner {
namespace {

using nlohmann::json;
using sim::TraceKind;

template <typename Enum>
int Code(Enum e) {
  return static_cast<int>(static_cast<std::underlying_type_t<Enum>>(e));
}

// The scripted step that issued each operation, and its `expect`. Steps run in order and each
// call step issues exactly one operation (contract section 2), so the k-th call step is
// operation k.
struct StepOfOp {
  int64_t step = -1;
  int expect = -1;  // 1 true, 0 false, -1 none
};
std::vector<StepOfOp> StepsOfOps(const scenario::Scenario& scenario,
                                 const check::History& history) {
  std::vector<StepOfOp> steps(history.operations.size());
  size_t op = 0;
  for (size_t i = 0; i < scenario.steps.size() && op < steps.size(); ++i) {
    const auto* call = std::get_if<scenario::CallStep>(&scenario.steps[i]);
    if (call == nullptr) continue;
    const check::HistoryOperation& issued = history.operations[op];
    LOCKSIM_ASSERT(issued.client == call->client && issued.lock == call->lock);
    steps[op].step = static_cast<int64_t>(i);
    if (call->expect.has_value()) steps[op].expect = *call->expect ? 1 : 0;
    ++op;
  }
  return steps;
}

// Messages and calls, linked as the world records them (sim/world.cc): a call's request is the
// first send after its call_start (only fault notes can come between), and a reply that ends a
// call is the deliver right before its call_reply.
class MessageTable {
 public:
  void Add(const TracedEvent& e) {
    const sim::TraceRecord& r = e.record;
    switch (r.kind) {
      case TraceKind::kCallStart:
        calls_[r.id] = Call{r.at.micros(), e.seq, -1};
        call_start_ = &e;
        break;
      case TraceKind::kSend: {
        index_of_[r.id] = msgs_.size();
        int64_t call = -1;
        if (call_start_ != nullptr && call_start_->record.node == r.node &&
            call_start_->record.peer == r.peer) {
          call = static_cast<int64_t>(call_start_->record.id);
          calls_[call_start_->record.id].request = static_cast<int64_t>(r.id);
        }
        call_start_ = nullptr;
        msgs_.push_back(
            json::array({r.id, r.node, r.peer, r.at.micros(), e.seq, e.detail, call, 1}));
        break;
      }
      case TraceKind::kDuplicate:
        Find(r.id)[7] = 2;
        break;
      case TraceKind::kDeliver:
        AddEnd(r.id, HtmlMessageEnd::kDeliver, e);
        break;
      case TraceKind::kDrop:
        AddEnd(r.id, HtmlMessageEnd::kDrop, e);
        break;
      case TraceKind::kBlocked:
        AddEnd(r.id, HtmlMessageEnd::kBlocked, e);
        break;
      case TraceKind::kDiscard:
        AddEnd(r.id, HtmlMessageEnd::kDiscard, e);
        break;
      case TraceKind::kLateReply:
        AddEnd(r.id, HtmlMessageEnd::kLateReply, e);
        break;
      case TraceKind::kCallReply:
        if (previous_ != nullptr && previous_->record.kind == TraceKind::kDeliver &&
            previous_->record.node == r.node && previous_->record.peer == r.peer) {
          json& message = Find(previous_->record.id);
          if (message[6] == -1) message[6] = r.id;
        }
        break;
      default:
        break;
    }
    previous_ = &e;
  }

  // [start_t, start_seq, request message id] of a call; nullopt when its start was not traced.
  std::optional<json> CallInfo(uint64_t call) const {
    const auto it = calls_.find(call);
    if (it == calls_.end()) return std::nullopt;
    return json::array({it->second.start_t, it->second.start_seq, it->second.request});
  }

  json Take() { return std::move(msgs_); }

 private:
  struct Call {
    int64_t start_t = 0;
    uint64_t start_seq = 0;
    int64_t request = -1;
  };
  json& Find(uint64_t id) {
    const auto it = index_of_.find(id);
    LOCKSIM_ASSERT(it != index_of_.end());  // every fate follows its send
    return msgs_[it->second];
  }
  void AddEnd(uint64_t id, HtmlMessageEnd end, const TracedEvent& e) {
    json& message = Find(id);
    message.push_back(Code(end));
    message.push_back(e.record.at.micros());
    message.push_back(e.seq);
  }

  json msgs_ = json::array();
  // Lookup only, never iterated for output (design: ordered containers for anything iterated).
  std::map<uint64_t, size_t> index_of_;
  std::map<uint64_t, Call> calls_;
  const TracedEvent* previous_ = nullptr;
  const TracedEvent* call_start_ = nullptr;  // a call_start whose request is not sent yet
};

std::optional<HtmlMark> MarkOf(TraceKind kind) {
  switch (kind) {
    case TraceKind::kCrash:
      return HtmlMark::kCrash;
    case TraceKind::kDeafArmed:
      return HtmlMark::kDeafArmed;
    case TraceKind::kDeafReplyLost:
      return HtmlMark::kDeafReplyLost;
    case TraceKind::kCallRefused:
      return HtmlMark::kCallRefused;
    case TraceKind::kCallTimeout:
      return HtmlMark::kCallTimeout;
    case TraceKind::kPartition:
      return HtmlMark::kPartition;
    case TraceKind::kHeal:
      return HtmlMark::kHeal;
    case TraceKind::kTimerFire:
      return HtmlMark::kTimerFire;
    case TraceKind::kRunEnd:
      return HtmlMark::kRunEnd;
    case TraceKind::kAssertion:
      return HtmlMark::kAssertion;
    default:
      return std::nullopt;
  }
}

json LocksJson(const std::vector<LockLinearization>& locks) {
  json out = json::array();
  for (const LockLinearization& lock : locks) {
    json order = json::array();
    for (const LinearizedOp& placed : lock.order) {
      order.push_back(json::array({placed.op, placed.at, placed.anchor}));
    }
    json holds = json::array();
    for (const LockHold& hold : lock.holds) {
      holds.push_back(json::array(
          {hold.client, hold.taken_by,
           hold.freed_by.has_value() ? static_cast<int64_t>(*hold.freed_by) : int64_t{-1}}));
    }
    out.push_back(json::array({lock.lock, lock.linearizable ? 1 : 0, std::move(order),
                               std::move(holds), lock.stuck_at.value_or(-1)}));
  }
  return out;
}

json ExplainJson(const check::History& history) {
  const check::LockCheckResult verdict = check::CheckLockLinearizability(history);
  if (verdict.linearizable) return nullptr;
  json ops = json::array();
  for (const check::UnorderableOperation& entry : verdict.unorderable) ops.push_back(entry.index);
  return {{"lock", verdict.lock},
          {"why", verdict.why},
          {"ops", std::move(ops)},
          {"failing_locks", verdict.failing_locks},
          {"whatever_came_before", verdict.whatever_came_before}};
}

}  // namespace

json HtmlReportData(const RunResult& result, const scenario::Scenario& scenario,
                    std::span<const TracedEvent> events,
                    const std::vector<std::string>& node_names) {
  const check::History& history = result.history;
  const size_t op_count = history.operations.size();

  MessageTable messages;
  json marks = json::array();
  json faults = json::array();
  struct Seen {
    int64_t t = -1;
    int64_t seq = -1;
  };
  std::vector<Seen> invoked(op_count), returned(op_count);
  size_t invokes = 0;
  for (const TracedEvent& e : events) {
    const sim::TraceRecord& r = e.record;
    messages.Add(e);
    const int64_t t = r.at.micros();
    const auto seq = static_cast<int64_t>(e.seq);
    if (r.kind == TraceKind::kInvoke || r.kind == TraceKind::kReturn) {
      LOCKSIM_ASSERT(r.id < op_count);
      (r.kind == TraceKind::kInvoke ? invoked : returned)[r.id] = Seen{t, seq};
      invokes += r.kind == TraceKind::kInvoke;
    } else if (r.kind == TraceKind::kFault) {
      faults.push_back(json::array({t, seq, e.detail}));
    } else if (const std::optional<HtmlMark> mark = MarkOf(r.kind)) {
      json entry = json::array({Code(*mark), r.node, r.peer, t, seq, r.id, e.detail});
      if (*mark == HtmlMark::kCallRefused || *mark == HtmlMark::kCallTimeout) {
        const json call = messages.CallInfo(r.id).value_or(json::array({-1, -1, -1}));
        for (const json& value : call) entry.push_back(value);
      }
      marks.push_back(std::move(entry));
    }
  }

  LOCKSIM_ASSERT(invokes == op_count);  // the trace and the history are of the same run

  const std::vector<LockLinearization> locks = LinearizeLocks(history);
  std::map<std::string_view, size_t> lock_index;
  for (size_t i = 0; i < locks.size(); ++i) lock_index[locks[i].lock] = i;
  const std::vector<StepOfOp> steps = StepsOfOps(scenario, history);
  json ops = json::array();
  for (size_t i = 0; i < op_count; ++i) {
    const check::HistoryOperation& op = history.operations[i];
    // A pending operation with a return record is one its clerk gave up on.
    const int result_code = op.result.has_value()  ? (*op.result ? 1 : 0)
                            : returned[i].seq >= 0 ? -2
                                                   : -1;
    ops.push_back(json::array({op.client, op.op == check::LockOp::kLock ? 0 : 1,
                               lock_index.at(op.lock), op.invoke, invoked[i].seq, returned[i].t,
                               returned[i].seq, result_code, steps[i].step, steps[i].expect}));
  }

  json run = RunResultJson(result);
  run["seed_text"] = std::to_string(result.seed);  // JavaScript numbers stop at 2^53
  run["scripted"] = !scenario.steps.empty();
  run["description"] = scenario.description;
  run["hop_us"] = scenario.network.latency.min.micros();
  run["rpc_timeout_us"] = scenario.rpc_timeout.micros();
  return {{"v", 1},
          {"run", std::move(run)},
          {"nodes", node_names},
          {"msgs", messages.Take()},
          {"marks", std::move(marks)},
          {"faults", std::move(faults)},
          {"ops", std::move(ops)},
          {"locks", LocksJson(locks)},
          {"explain", ExplainJson(history)}};
}

}  // namespace locksim::runner
