#include "runner/timeline.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace locksim::runner {
namespace {

using nlohmann::json;
using sim::TraceKind;

constexpr int kPid = 1;
// Lanes: node i is tid i+1; clients' operations are drawn on their node lane; locks get lanes
// after every node.
int NodeLane(int32_t node) { return node + 1; }

json Slice(std::string name, int tid, int64_t ts, int64_t dur, std::string category) {
  return json{{"name", std::move(name)},
              {"ph", "X"},
              {"pid", kPid},
              {"tid", tid},
              {"ts", ts},
              {"dur", std::max<int64_t>(dur, 1)},
              {"cat", std::move(category)}};
}

}  // namespace

TimelineSink::TimelineSink(std::vector<std::string> node_names)
    : node_names_(std::move(node_names)) {}

void TimelineSink::Write(const sim::TraceRecord& record, std::string_view detail) {
  switch (record.kind) {
    case TraceKind::kSend:
    case TraceKind::kDeliver:
    case TraceKind::kDrop:
    case TraceKind::kBlocked:
    case TraceKind::kDiscard:
    case TraceKind::kCrash:
    case TraceKind::kDeafReplyLost:
    case TraceKind::kCallTimeout:
    case TraceKind::kCallRefused:
    case TraceKind::kPartition:
    case TraceKind::kHeal:
    case TraceKind::kFault:
    case TraceKind::kRunEnd:
      items_.push_back(Item{record, std::string(detail)});
      return;
    default:
      return;
  }
}

void TimelineSink::Finish(const check::History& history, std::ostream& out) const {
  json events = json::array();
  for (size_t node = 0; node < node_names_.size(); ++node) {
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", kPid},
                      {"tid", NodeLane(static_cast<int32_t>(node))},
                      {"args", {{"name", node_names_[node]}}}});
  }
  int64_t end_us = 0;
  for (const Item& item : items_) end_us = std::max(end_us, item.record.at.micros());

  for (const Item& item : items_) {
    const sim::TraceRecord& r = item.record;
    const int64_t ts = r.at.micros();
    switch (r.kind) {
      case TraceKind::kSend: {
        // A tiny slice to anchor the flow arrow's start ("s") on the sender's lane.
        events.push_back(Slice(item.detail, NodeLane(r.node), ts, 1, "send"));
        events.push_back({{"name", "message"},
                          {"ph", "s"},
                          {"pid", kPid},
                          {"tid", NodeLane(r.node)},
                          {"ts", ts},
                          {"id", r.id},
                          {"cat", "msg"}});
        break;
      }
      case TraceKind::kDeliver: {
        events.push_back(Slice(item.detail, NodeLane(r.node), ts, 1, "deliver"));
        events.push_back({{"name", "message"},
                          {"ph", "f"},
                          {"bp", "e"},
                          {"pid", kPid},
                          {"tid", NodeLane(r.node)},
                          {"ts", ts},
                          {"id", r.id},
                          {"cat", "msg"}});
        break;
      }
      case TraceKind::kCrash:
        events.push_back({{"name", absl::StrCat("crash: ", item.detail)},
                          {"ph", "i"},
                          {"s", "t"},
                          {"pid", kPid},
                          {"tid", NodeLane(r.node)},
                          {"ts", ts}});
        events.push_back(Slice("down", NodeLane(r.node), ts, end_us - ts, "crash"));
        break;
      case TraceKind::kRunEnd:
        events.push_back({{"name", absl::StrCat("run end: ", item.detail)},
                          {"ph", "i"},
                          {"s", "g"},
                          {"pid", kPid},
                          {"tid", 0},
                          {"ts", ts}});
        break;
      default: {
        const int tid = r.node >= 0 ? NodeLane(r.node) : 0;
        std::string name = sim::TraceKindName(r.kind);
        if (!item.detail.empty()) absl::StrAppend(&name, ": ", item.detail);
        events.push_back({{"name", std::move(name)},
                          {"ph", "i"},
                          {"s", "t"},
                          {"pid", kPid},
                          {"tid", tid},
                          {"ts", ts}});
        break;
      }
    }
  }

  // Client operations as spans on the client's lane; pending ones run to the end of the run.
  const int first_lock_lane = NodeLane(static_cast<int32_t>(node_names_.size())) + 1;
  std::map<std::string, std::vector<const check::HistoryOperation*>> successes;  // ordered
  for (const check::HistoryOperation& op : history.operations) {
    const int64_t end = op.ret.value_or(end_us);
    std::string name =
        absl::StrCat(std::string(check::LockOpName(op.op)), "(", op.lock,
                     ") = ", op.result.has_value() ? (*op.result ? "true" : "false") : "pending");
    // Clients are nodes 2.. (service/messages.h); history clients count from 0.
    events.push_back(Slice(std::move(name), NodeLane(static_cast<int32_t>(op.client) + 2),
                           op.invoke, end - op.invoke, "operation"));
    if (op.result.value_or(false)) successes[op.lock].push_back(&op);
  }
  int lane = first_lock_lane;
  for (auto& [lock, ops] : successes) {
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", kPid},
                      {"tid", lane},
                      {"args", {{"name", absl::StrCat("lock ", lock)}}}});
    std::stable_sort(ops.begin(), ops.end(), [](auto* a, auto* b) { return *a->ret < *b->ret; });
    const check::HistoryOperation* held_by = nullptr;
    for (const check::HistoryOperation* op : ops) {
      if (op->op == check::LockOp::kLock) {
        held_by = op;
      } else if (held_by != nullptr) {
        events.push_back(Slice(absl::StrCat("held (client ", held_by->client, ")"), lane,
                               *held_by->ret, *op->ret - *held_by->ret, "lock"));
        held_by = nullptr;
      }
    }
    if (held_by != nullptr) {
      events.push_back(Slice(absl::StrCat("held (client ", held_by->client, ")"), lane,
                             *held_by->ret, end_us - *held_by->ret, "lock"));
    }
    ++lane;
  }
  out << json{{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}}.dump() << "\n";
}

}  // namespace locksim::runner
