// The report page's template, style and script (runner/html/report.{html,css,js}), built into
// the binary by runner/html/embed.cmake so that the page is self-contained and the files stay
// real files that editors and linters read as what they are.
#ifndef LOCKSIM_RUNNER_HTML_ASSETS_H_
#define LOCKSIM_RUNNER_HTML_ASSETS_H_

#include <string_view>

namespace locksim::runner {

extern const std::string_view kReportHtml;
extern const std::string_view kReportCss;
extern const std::string_view kReportJs;

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_HTML_ASSETS_H_
