#include "sim/trace.h"

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace locksim::sim {

const char* TraceKindName(TraceKind kind) {
  switch (kind) {
    case TraceKind::kSend:
      return "send";
    case TraceKind::kDeliver:
      return "deliver";
    case TraceKind::kDrop:
      return "drop";
    case TraceKind::kBlocked:
      return "blocked";
    case TraceKind::kDuplicate:
      return "duplicate";
    case TraceKind::kDiscard:
      return "discard";
    case TraceKind::kLateReply:
      return "late_reply";
    case TraceKind::kCallStart:
      return "call_start";
    case TraceKind::kCallReply:
      return "call_reply";
    case TraceKind::kCallRefused:
      return "call_refused";
    case TraceKind::kCallTimeout:
      return "call_timeout";
    case TraceKind::kTimerStart:
      return "timer_start";
    case TraceKind::kTimerFire:
      return "timer_fire";
    case TraceKind::kCrash:
      return "crash";
    case TraceKind::kDeafArmed:
      return "deaf_armed";
    case TraceKind::kDeafReplyLost:
      return "deaf_reply_lost";
    case TraceKind::kPartition:
      return "partition";
    case TraceKind::kHeal:
      return "heal";
    case TraceKind::kInvoke:
      return "invoke";
    case TraceKind::kReturn:
      return "return";
    case TraceKind::kFault:
      return "fault";
    case TraceKind::kRunEnd:
      return "run_end";
    case TraceKind::kAssertion:
      return "assertion";
  }
  return "?";
}

uint64_t HashBytes(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a: simple, fixed, and good enough for short names
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

std::string FingerprintHex(uint64_t fingerprint) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(fingerprint));
  return buffer;
}

uint64_t Trace::fingerprint() const { return MixHash(fingerprint_, record_count_); }

JsonLinesTraceSink::JsonLinesTraceSink(std::ostream& out, std::vector<std::string> node_names)
    : out_(out), node_names_(std::move(node_names)) {}

std::string_view JsonLinesTraceSink::NodeName(int32_t node) const {
  if (node < 0 || static_cast<size_t>(node) >= node_names_.size()) return {};
  return node_names_[static_cast<size_t>(node)];
}

namespace {

// Details are our own text (node names, message summaries, reasons); escape what JSON needs
// anyway so a lock name with a quote cannot break a line.
void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[7];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

}  // namespace

void JsonLinesTraceSink::Write(const TraceRecord& record, std::string_view detail) {
  line_.clear();
  absl::StrAppend(&line_, "{\"t_us\":", record.at.micros(), ",\"event\":\"",
                  TraceKindName(record.kind), "\"");
  if (std::string_view node = NodeName(record.node); !node.empty()) {
    line_ += ",\"node\":";
    AppendJsonString(line_, node);
  }
  if (std::string_view peer = NodeName(record.peer); !peer.empty()) {
    line_ += ",\"peer\":";
    AppendJsonString(line_, peer);
  }
  // Operations are numbered from 0 like the history's operations[i]; other ids start at 1.
  const bool is_operation = record.kind == TraceKind::kInvoke || record.kind == TraceKind::kReturn;
  if (record.id != 0 || is_operation) absl::StrAppend(&line_, ",\"id\":", record.id);
  if (!detail.empty()) {
    line_ += ",\"detail\":";
    AppendJsonString(line_, detail);
  }
  line_ += "}\n";
  out_ << line_;
}

}  // namespace locksim::sim
