// The report page of a run (`locksim run --html FILE`, and the shrinker's shrunk run): one
// self-contained HTML file (inline CSS, script and SVG; nothing fetched, opens from disk) that
// draws the run as on a whiteboard: a lane per node on a time axis, every message as an arrow
// from send to delivery or loss, crashes and deaf points, each client operation as a bar from
// invoke to return, who held each lock along the checker's linearization, and the violation
// with the checker's explanation and the operations it names.
//
// Usage: attach an HtmlReportSink to the run (RunOptions::sinks), then call WriteHtmlReport
// with its result. The page's script and style live in runner/html/ and are built into the
// binary (runner/html/embed.cmake).
#ifndef LOCKSIM_RUNNER_HTML_REPORT_H_
#define LOCKSIM_RUNNER_HTML_REPORT_H_

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "runner/html_report_data.h"
#include "runner/run_result.h"
#include "scenario/scenario.h"
#include "sim/trace.h"

namespace locksim::runner {

// Keeps the records the page draws, with the text it shows.
class HtmlReportSink : public sim::TraceSink {
 public:
  void Write(const sim::TraceRecord& record, std::string_view detail) override;
  const std::vector<TracedEvent>& events() const { return events_; }

 private:
  std::vector<TracedEvent> events_;
  uint64_t seq_ = 0;
};

// Writes the page. REQUIRES: `trace` was attached to the run of `scenario` that produced
// `result`, and the result kept its history.
void WriteHtmlReport(const RunResult& result, const scenario::Scenario& scenario,
                     const HtmlReportSink& trace, std::ostream& out);

// `json` made safe inside a <script> element: '<', '>', '&' and the line separators U+2028 and
// U+2029 become \u escapes (they can occur only inside JSON strings, where the escape means the
// same), so no lock name can close the element or open a comment.
std::string JsonForScriptElement(std::string_view json);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_HTML_REPORT_H_
