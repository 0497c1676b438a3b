#include "sim/decisions.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "service/node_id.h"

namespace locksim::sim {
namespace {

constexpr std::array<const char*, kDecisionKindCount> kKindNames = {
    "drop",
    "duplicate",
    "latency",
    "refusal_latency",
    "more_operations",
    "think_time",
    "lock_choice",
    "unlock_choice",
    "fault_server",
    "fault_time",
    "fault_count",
    "fault_heal",
    "fire_fault",
    "crash_after_handling",
    "crash_after_forward",
    "deaf_at_request",
    "simultaneous_order",
};

std::optional<int32_t> ParseNode(std::string_view name, int clients) {
  absl::StatusOr<service::NodeId> node = service::ParseNodeName(name, clients);
  if (!node.ok()) return std::nullopt;
  return *node;
}

}  // namespace

const char* DecisionKindName(DecisionKind kind) {
  const auto index = static_cast<size_t>(kind);
  LOCKSIM_ASSERT(index < kKindNames.size());
  return kKindNames[index];
}

std::optional<DecisionKind> DecisionKindByName(std::string_view name) {
  for (size_t i = 0; i < kKindNames.size(); ++i) {
    if (name == kKindNames[i]) return static_cast<DecisionKind>(i);
  }
  return std::nullopt;
}

std::string DecisionStream::Name() const {
  switch (kind_) {
    case Kind::kLink:
      return absl::StrCat("link ", service::NodeName(a_), ">", service::NodeName(b_));
    case Kind::kWorkload:
      return absl::StrCat("workload ", service::NodeName(service::ClientNode(a_)));
    case Kind::kPlan:
      return "plan";
    case Kind::kInjection:
      return absl::StrCat("inject ", service::NodeName(a_));
    case Kind::kOrder:
      return "order";
  }
  LOCKSIM_UNREACHABLE("unknown stream kind");
}

std::optional<DecisionStream> DecisionStream::Parse(std::string_view name, int clients) {
  if (name == "plan") return Plan();
  if (name == "order") return Order();
  const size_t space = name.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const std::string_view kind = name.substr(0, space);
  const std::string_view rest = name.substr(space + 1);
  if (kind == "link") {
    const size_t arrow = rest.find('>');
    if (arrow == std::string_view::npos) return std::nullopt;
    const std::optional<int32_t> from = ParseNode(rest.substr(0, arrow), clients);
    const std::optional<int32_t> to = ParseNode(rest.substr(arrow + 1), clients);
    if (!from.has_value() || !to.has_value() || *from == *to) return std::nullopt;
    return Link(*from, *to);
  }
  const std::optional<int32_t> node = ParseNode(rest, clients);
  if (!node.has_value()) return std::nullopt;
  if (kind == "workload" && !service::IsServerNode(*node)) {
    return Workload(service::ClientOf(*node));
  }
  if (kind == "inject" && service::IsServerNode(*node)) return Injection(*node);
  return std::nullopt;
}

Decisions::Decisions(DecisionSource* source, std::vector<DecisionRecord>* record)
    : source_(source), record_(record), plain_(source == nullptr && record == nullptr) {
  static_assert(kDecisionKindCount <= 32, "chosen_kinds_ has a bit per kind");
  for (int k = 0; k < kDecisionKindCount; ++k) {
    const auto kind = static_cast<DecisionKind>(k);
    if (record != nullptr || (source != nullptr && source->Chooses(kind))) {
      chosen_kinds_ |= uint32_t{1} << k;
    }
  }
}

uint64_t Decisions::DecideSlowly(DecisionStream stream, DecisionKind kind, uint64_t bound,
                                 absl::FunctionRef<uint64_t()> natural) const {
  LOCKSIM_ASSERT(bound >= 1);
  uint64_t value = 0;
  if (source_ == nullptr || bound == 1) {
    // Rule 2: a one-value decision is not the source's to choose, but its draw still happens.
    value = natural();
    LOCKSIM_ASSERT(value < bound);
  } else {
    value = std::min(source_->Choose(stream, kind, bound, natural), bound - 1);
  }
  if (record_ != nullptr && bound > 1)
    record_->push_back(DecisionRecord{stream, kind, bound, value});
  return value;
}

DecisionList DecisionList::FromRecords(const std::vector<DecisionRecord>& records) {
  DecisionList list;
  for (const DecisionRecord& record : records) {
    list.Append(record.stream, Entry{record.kind, record.bound, record.value});
  }
  return list;
}

void DecisionList::Append(DecisionStream stream, Entry entry) {
  auto [it, inserted] = streams_.try_emplace(stream.key(), stream, std::vector<Entry>());
  it->second.second.push_back(entry);
}

const std::vector<DecisionList::Entry>* DecisionList::Find(DecisionStream stream) const {
  auto it = streams_.find(stream.key());
  return it == streams_.end() ? nullptr : &it->second.second;
}

size_t DecisionList::size() const {
  size_t total = 0;
  for (const auto& [key, stream] : streams_) total += stream.second.size();
  return total;
}

uint64_t ReplaySource::Choose(DecisionStream stream, DecisionKind /*kind*/, uint64_t bound,
                              absl::FunctionRef<uint64_t()> /*natural*/) {
  size_t& cursor = cursors_[stream.key()];
  const std::vector<DecisionList::Entry>* entries = list_.Find(stream);
  const size_t at = cursor++;
  if (entries == nullptr || at >= entries->size()) return 0;
  return std::min((*entries)[at].value, bound - 1);
}

}  // namespace locksim::sim
