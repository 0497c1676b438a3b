#include "runner/timeline.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "runner/lock_holds.h"

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

// One lane per lock showing when it was held, following the checker's linearization of that
// lock's operations (runner/lock_holds.h). A lock whose history is not linearizable shows the
// order up to where the checker got stuck, then a mark.
void AddLockLanes(const check::History& history, int first_lane, int64_t end_us, json& events) {
  int lane = first_lane;
  for (const LockLinearization& lock : LinearizeLocks(history)) {
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", kPid},
                      {"tid", lane},
                      {"args", {{"name", absl::StrCat("lock ", lock.lock)}}}});
    const auto add_hold = [&](const LockHold& hold, int64_t until) {
      const int64_t since = lock.order[hold.taken_by].at;
      events.push_back(Slice(absl::StrCat("held (locked by client ", hold.client, ")"), lane, since,
                             until - since, "lock"));
    };
    for (const LockHold& hold : lock.holds) {
      if (hold.freed_by.has_value()) add_hold(hold, lock.order[*hold.freed_by].at);
    }
    if (lock.stuck_at.has_value()) {
      events.push_back({{"name", "not linearizable from here (see the run's explanation)"},
                        {"ph", "i"},
                        {"s", "t"},
                        {"pid", kPid},
                        {"tid", lane},
                        {"ts", *lock.stuck_at}});
    }
    // Still held where the order ends: to the end of the run, or to where the checker got stuck.
    if (!lock.holds.empty() && !lock.holds.back().freed_by.has_value()) {
      add_hold(lock.holds.back(), lock.linearizable ? end_us : lock.order.back().at);
    }
    ++lane;
  }
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
    case TraceKind::kAssertion:
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
      case TraceKind::kSend:
      case TraceKind::kDeliver: {
        // A tiny slice on the node's lane anchors the message arrow: its start ("s") where it
        // was sent, its end ("f", bound to the enclosing slice) where it was delivered.
        const bool send = r.kind == TraceKind::kSend;
        events.push_back(Slice(item.detail, NodeLane(r.node), ts, 1, send ? "send" : "deliver"));
        json flow = {{"name", "message"}, {"ph", send ? "s" : "f"},
                     {"pid", kPid},       {"tid", NodeLane(r.node)},
                     {"ts", ts},          {"id", r.id},
                     {"cat", "msg"}};
        if (!send) flow["bp"] = "e";
        events.push_back(std::move(flow));
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
  for (const check::HistoryOperation& op : history.operations) {
    const int64_t end = op.ret.value_or(end_us);
    std::string name =
        absl::StrCat(std::string(check::LockOpName(op.op)), "(", op.lock,
                     ") = ", op.result.has_value() ? (*op.result ? "true" : "false") : "pending");
    // Clients are nodes 2.. (service/messages.h); history clients count from 0.
    events.push_back(Slice(std::move(name), NodeLane(static_cast<int32_t>(op.client) + 2),
                           op.invoke, end - op.invoke, "operation"));
  }
  AddLockLanes(history, NodeLane(static_cast<int32_t>(node_names_.size())) + 1, end_us, events);
  out << json{{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}}.dump() << "\n";
}

}  // namespace locksim::runner
