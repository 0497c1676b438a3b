#include "runner/shrink_script.h"

#include <algorithm>
#include <utility>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "base/assert.h"
#include "nlohmann/json.hpp"

namespace locksim::runner {
namespace {

using sim::MessageRecord;
using sim::MessageType;

// Milliseconds as the scenario format writes them: "1", "1.5", "0.001".
std::string Ms(int64_t us) {
  std::string text = absl::StrCat(us / 1000);
  if (const int64_t frac = us % 1000; frac != 0) {
    std::string digits = absl::StrCat(1000 + frac).substr(1);
    while (digits.back() == '0') digits.pop_back();
    absl::StrAppend(&text, ".", digits);
  }
  return text;
}

bool IsPlainFate(const sim::MessageFate& fate, sim::Duration min) {
  return fate.outcome == sim::MessageFate::Outcome::kDelivered && fate.copies == 1 &&
         fate.latency[0] == min;
}

// Counts messages per key as the selectors do (every field but nth).
struct KeyCounts {
  absl::btree_map<std::tuple<int, int, uint64_t, int, int>, uint32_t> seen;
  uint32_t Next(const sim::MessageKey& key) {
    return ++seen[{static_cast<int>(key.type), key.client, key.call, key.from, key.to}];
  }
};

}  // namespace

absl::StatusOr<Script> ScriptOfRun(const scenario::Scenario& scenario,
                                   const check::History& history,
                                   const std::vector<MessageRecord>& log) {
  Script script;
  const sim::Duration min = scenario.network.latency.min;
  script.latency_us = min.micros();
  script.rpc_timeout = scenario.rpc_timeout;
  script.budget = scenario.budget;
  std::vector<size_t> order(history.operations.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const check::HistoryOperation& x = history.operations[a];
    const check::HistoryOperation& y = history.operations[b];
    return std::pair(x.invoke, x.client) < std::pair(y.invoke, y.client);
  });
  // A client's k-th operation is its call k (service/clerk.h numbers calls from 1).
  absl::btree_map<std::pair<int64_t, uint64_t>, size_t> op_of_call;
  absl::btree_map<int64_t, uint64_t> calls;
  for (size_t i : order) {
    const check::HistoryOperation& h = history.operations[i];
    op_of_call[{h.client, ++calls[h.client]}] = script.ops.size();
    script.ops.push_back(ScriptOp{static_cast<int>(h.client), h.op, h.lock, h.invoke});
  }
  KeyCounts counts;
  // The last message each server sent or handled, as a script names it (a crash follows it).
  absl::btree_map<service::NodeId, ScriptMessage> last_of_server;
  absl::btree_map<uint64_t, ScriptMessage> sent;  // message id -> its name
  absl::btree_map<service::NodeId, bool> deaf_server;
  const auto name = [&](const sim::MessageKey& key, uint32_t nth) -> std::optional<ScriptMessage> {
    const auto it = op_of_call.find({key.client, key.call});
    if (it == op_of_call.end()) return std::nullopt;
    return ScriptMessage{key.type, it->second, key.from, key.to, nth};
  };
  for (const MessageRecord& r : log) {
    switch (r.event) {
      case MessageRecord::Event::kSent: {
        const uint32_t nth = counts.Next(r.key);
        const std::optional<ScriptMessage> m = name(r.key, nth);
        if (!m.has_value()) return absl::InternalError("a message of a call the history lacks");
        sent[r.message_id] = *m;
        if (service::IsServerNode(r.key.from)) last_of_server[r.key.from] = *m;
        if (r.fate.outcome == sim::MessageFate::Outcome::kBlocked) {
          return absl::UnimplementedError(
              "the run has a partition; a script names lost, duplicated and delayed messages "
              "but not blocked links");
        }
        if (IsPlainFate(r.fate, min)) break;
        ScriptRule rule;
        rule.message = *m;
        if (r.fate.outcome == sim::MessageFate::Outcome::kDropped) {
          rule.lose = true;
        } else {
          rule.duplicate = r.fate.copies == 2;
          for (int copy = 0; copy < r.fate.copies; ++copy) {
            rule.latency_us[static_cast<size_t>(copy)] =
                r.fate.latency[static_cast<size_t>(copy)].micros();
          }
        }
        script.rules.push_back(rule);
        break;
      }
      case MessageRecord::Event::kHandled:
        if (service::IsServerNode(r.key.to)) {
          const auto it = sent.find(r.message_id);
          LOCKSIM_ASSERT(it != sent.end());
          last_of_server[r.key.to] = it->second;
        }
        break;
      case MessageRecord::Event::kRefusal: {
        const uint32_t nth = counts.Next(r.key);
        if (r.fate.latency[0] == min) break;
        const std::optional<ScriptMessage> m = name(r.key, nth);
        if (!m.has_value()) return absl::InternalError("a refusal of a call the history lacks");
        ScriptRule rule;
        rule.message = *m;
        rule.latency_us[0] = r.fate.latency[0].micros();
        script.rules.push_back(rule);
        break;
      }
      case MessageRecord::Event::kDeafAt: {
        const auto it = sent.find(r.message_id);
        LOCKSIM_ASSERT(it != sent.end());
        script.faults.push_back(ScriptFault{true, r.key.to, it->second, r.at.micros()});
        deaf_server[r.key.to] = true;
        break;
      }
      case MessageRecord::Event::kCrashed: {
        const service::NodeId node = r.key.from;
        if (deaf_server[node]) break;  // a deaf server halts by itself
        ScriptFault fault{false, node, std::nullopt, r.at.micros()};
        if (const auto it = last_of_server.find(node); it != last_of_server.end()) {
          fault.anchor = it->second;
        }
        script.faults.push_back(fault);
        break;
      }
    }
  }
  return script;
}

Script KeepOps(const Script& script, const std::vector<bool>& keep) {
  LOCKSIM_ASSERT(keep.size() == script.ops.size());
  Script out = script;
  out.ops.clear();
  std::vector<size_t> new_index(script.ops.size(), SIZE_MAX);
  for (size_t i = 0; i < script.ops.size(); ++i) {
    if (!keep[i]) continue;
    new_index[i] = out.ops.size();
    out.ops.push_back(script.ops[i]);
  }
  out.rules.clear();
  for (ScriptRule rule : script.rules) {
    if (!keep[rule.message.op]) continue;
    rule.message.op = new_index[rule.message.op];
    out.rules.push_back(rule);
  }
  out.faults.clear();
  for (ScriptFault fault : script.faults) {
    if (fault.anchor.has_value()) {
      if (!keep[fault.anchor->op]) continue;
      fault.anchor->op = new_index[fault.anchor->op];
    }
    out.faults.push_back(fault);
  }
  return out;
}

std::string ScriptNames::LockName(const std::string& run_lock) const {
  for (const auto& [from, to] : locks) {
    if (from == run_lock) return to;
  }
  return "";
}

ScriptNames NamesOf(const Script& script) {
  ScriptNames names;
  for (const ScriptOp& op : script.ops) {
    bool known = false;
    for (const auto& [from, to] : names.clients) known |= from == op.client;
    if (!known) names.clients.emplace_back(op.client, names.clients_count());
    if (names.LockName(op.lock).empty()) {
      const size_t i = names.locks.size();
      // "a".."z", then "l26", "l27", ...: a script that needs more than 26 locks is not small.
      names.locks.emplace_back(
          op.lock, i < 26 ? std::string(1, static_cast<char>('a' + i)) : absl::StrCat("l", i));
    }
  }
  return names;
}

namespace {

struct Writer {
  const Script& script;
  ScriptNames names;
  std::vector<uint64_t> call_of_op;  // the call number each op has in the written scenario

  explicit Writer(const Script& s) : script(s), names(NamesOf(s)) {
    absl::btree_map<int, uint64_t> calls;
    for (const ScriptOp& op : script.ops) call_of_op.push_back(++calls[op.client]);
  }

  int Client(int run_client) const {
    for (const auto& [from, to] : names.clients) {
      if (from == run_client) return to;
    }
    LOCKSIM_ASSERT(false);
    return -1;
  }
  std::string Node(service::NodeId node) const {
    if (service::IsServerNode(node)) return service::NodeName(node);
    return service::NodeName(service::ClientNode(Client(node - service::ClientNode(0))));
  }
  // The selector's keys, in a fixed order.
  std::string Message(const ScriptMessage& m) const {
    std::string text = absl::StrCat("\"message\": \"", sim::MessageTypeName(m.type),
                                    "\", \"client\": ", Client(script.ops[m.op].client),
                                    ", \"call\": ", call_of_op[m.op]);
    if (m.from >= 0) absl::StrAppend(&text, ", \"from\": \"", Node(m.from), "\"");
    if (m.to >= 0) absl::StrAppend(&text, ", \"to\": \"", Node(m.to), "\"");
    if (m.nth != 1) absl::StrAppend(&text, ", \"nth\": ", m.nth);
    return text;
  }
};

}  // namespace

std::string ScriptScenarioText(const Script& script, const std::string& name,
                               const std::string& description, scenario::Expect expect) {
  const Writer w(script);
  std::string out = "{\n";
  absl::StrAppend(&out, "  \"name\": ", nlohmann::json(name).dump(), ",\n");
  absl::StrAppend(&out, "  \"description\": ", nlohmann::json(description).dump(), ",\n");
  absl::StrAppend(&out, "  \"clients\": ", std::max(1, w.names.clients_count()), ",\n");
  absl::StrAppend(&out, "  \"rpc_timeout_ms\": ", Ms(script.rpc_timeout.micros()), ",\n");
  absl::StrAppend(&out, "  \"budget\": {\"max_events\": ", script.budget.max_events,
                  ", \"max_time_ms\": ", Ms(script.budget.max_time.micros()), "},\n");
  absl::StrAppend(&out, "  \"network\": {\n    \"latency_ms\": {\"min\": ", Ms(script.latency_us),
                  ", \"max\": ", Ms(script.latency_us), "}");
  if (!script.rules.empty()) {
    absl::StrAppend(&out, ",\n    \"messages\": [");
    for (size_t i = 0; i < script.rules.size(); ++i) {
      const ScriptRule& r = script.rules[i];
      absl::StrAppend(&out, i == 0 ? "\n" : ",\n", "      {", w.Message(r.message));
      if (r.lose) absl::StrAppend(&out, ", \"lose\": true");
      if (r.duplicate) {
        absl::StrAppend(&out, ", \"duplicate\": true, \"latency_ms\": [",
                        Ms(r.latency_us[0].value_or(script.latency_us)), ", ",
                        Ms(r.latency_us[1].value_or(script.latency_us)), "]");
      } else if (!r.lose && r.latency_us[0].has_value()) {
        absl::StrAppend(&out, ", \"latency_ms\": ", Ms(*r.latency_us[0]));
      }
      absl::StrAppend(&out, "}");
    }
    absl::StrAppend(&out, "\n    ]");
  }
  absl::StrAppend(&out, "\n  },\n  \"steps\": [");
  std::vector<std::string> steps;
  // Faults tied to a message are armed from the start; a crash at a time takes its place among
  // the operations.
  for (const ScriptFault& f : script.faults) {
    if (!f.anchor.has_value()) continue;
    steps.push_back(absl::StrCat("{\"", f.deaf ? "deaf" : "crash", "\": \"",
                                 service::NodeName(f.server), "\", \"", f.deaf ? "at" : "after",
                                 "\": {", w.Message(*f.anchor), "}}"));
  }
  struct Timed {
    int64_t at_us;
    std::string step;
  };
  std::vector<Timed> timed;
  for (size_t i = 0; i < script.ops.size(); ++i) {
    const ScriptOp& op = script.ops[i];
    timed.push_back(
        Timed{op.at_us, absl::StrCat("{\"client\": ", w.Client(op.client), ", \"",
                                     op.op == check::LockOp::kLock ? "lock" : "unlock", "\": \"",
                                     w.names.LockName(op.lock), "\", \"async\": true}")});
  }
  for (const ScriptFault& f : script.faults) {
    if (f.anchor.has_value()) continue;
    timed.push_back(
        Timed{f.at_us, absl::StrCat("{\"crash\": \"", service::NodeName(f.server), "\"}")});
  }
  std::stable_sort(timed.begin(), timed.end(),
                   [](const Timed& a, const Timed& b) { return a.at_us < b.at_us; });
  int64_t now = 0;
  for (const Timed& t : timed) {
    if (t.at_us > now) steps.push_back(absl::StrCat("{\"sleep_ms\": ", Ms(t.at_us - now), "}"));
    now = std::max(now, t.at_us);
    steps.push_back(t.step);
  }
  if (steps.empty()) steps.push_back("{\"sleep_ms\": 0}");
  for (size_t i = 0; i < steps.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "\n    " : ",\n    ", steps[i]);
  }
  absl::StrAppend(&out, "\n  ],\n  \"expect\": \"",
                  expect == scenario::Expect::kPass ? "pass" : "violation", "\"\n}\n");
  return out;
}

}  // namespace locksim::runner
