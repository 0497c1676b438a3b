#include "runner/html_report.h"

#include <array>
#include <utility>

#include "base/assert.h"
#include "runner/html_assets.h"
#include "service/node_id.h"

namespace locksim::runner {
namespace {

using sim::TraceKind;

// Text for the page's <title>.
std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Whether the page shows a record's text (the others are drawn from their numbers alone).
bool KeepsDetail(TraceKind kind) {
  switch (kind) {
    case TraceKind::kSend:
    case TraceKind::kCrash:
    case TraceKind::kDeafArmed:
    case TraceKind::kDeafReplyLost:
    case TraceKind::kFault:
    case TraceKind::kRunEnd:
    case TraceKind::kAssertion:
      return true;
    default:
      return false;
  }
}

}  // namespace

void HtmlReportSink::Write(const sim::TraceRecord& record, std::string_view detail) {
  const uint64_t seq = seq_++;
  if (record.kind == TraceKind::kTimerStart) return;  // the page draws timers when they fire
  events_.push_back(
      TracedEvent{record, seq, KeepsDetail(record.kind) ? std::string(detail) : std::string()});
}

std::string JsonForScriptElement(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xe2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xa8' || json[i + 2] == '\xa9')) {
      out += json[i + 2] == '\xa8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

void WriteHtmlReport(const RunResult& result, const scenario::Scenario& scenario,
                     const HtmlReportSink& trace, std::ostream& out) {
  const nlohmann::json data =
      HtmlReportData(result, scenario, trace.events(), service::NodeNames(scenario.clients));
  // Invalid UTF-8 (a lock name from a history file, say) is replaced, never a throw.
  const std::string data_text =
      JsonForScriptElement(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  const std::string title = HtmlEscape(result.scenario + " · seed " + std::to_string(result.seed) +
                                       (result.passed ? " · pass" : " · violation"));

  // The template's slots, in the order they appear in it; each appears exactly once.
  const std::array<std::pair<std::string_view, std::string_view>, 4> slots = {{
      {"{{title}}", title},
      {"{{style}}", kReportCss},
      {"{{data}}", data_text},
      {"{{script}}", kReportJs},
  }};
  std::string_view rest = kReportHtml;
  for (const auto& [slot, value] : slots) {
    const size_t at = rest.find(slot);
    LOCKSIM_ASSERT(at != std::string_view::npos);
    out << rest.substr(0, at) << value;
    rest.remove_prefix(at + slot.size());
    LOCKSIM_ASSERT(rest.find(slot) == std::string_view::npos);
  }
  out << rest;
}

}  // namespace locksim::runner
