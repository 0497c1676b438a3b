#include "cli/junit.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "base/assert.h"

namespace locksim::cli {

std::string XmlEscape(const std::string& text) {
  return absl::StrReplaceAll(
      text, {{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"}, {"'", "&apos;"}});
}

std::string JUnitXml(const JUnitRuns& runs) {
  LOCKSIM_ASSERT(runs.failures.size() == runs.failure_names.size());
  const bool runs_fail = !runs.expects_violation;
  const size_t failed_cases =
      (runs_fail ? runs.failures.size() : 0) + (runs.matches_expectation ? 0 : 1);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  const std::string suite = XmlEscape(runs.suite);
  absl::StrAppend(&out, "<testsuites>\n<testsuite name=\"", suite, "\" tests=\"",
                  runs.failures.size() + 1, "\" failures=\"", failed_cases, "\" time=\"",
                  absl::StrFormat("%.3f", runs.seconds), "\">\n");
  for (size_t i = 0; i < runs.failures.size(); ++i) {
    const runner::RunFailure& f = runs.failures[i];
    absl::StrAppend(&out, "  <testcase classname=\"", suite, "\" name=\"",
                    XmlEscape(runs.failure_names[i]), "\">\n");
    const std::string body = XmlEscape(absl::StrCat(f.message, "\n\nreproduce: ", f.repro));
    if (runs_fail) {
      absl::StrAppend(&out, "    <failure type=\"", XmlEscape(f.kind), "\" message=\"",
                      XmlEscape(f.repro), "\">", body, "</failure>\n");
    } else {
      absl::StrAppend(&out, "    <system-out>expected violation: ", body, "</system-out>\n");
    }
    absl::StrAppend(&out, "  </testcase>\n");
  }
  absl::StrAppend(&out, "  <testcase classname=\"", suite, "\" name=\"",
                  XmlEscape(runs.summary_name), "\">\n");
  if (!runs.matches_expectation) {
    absl::StrAppend(&out, "    <failure type=\"outcome\" message=\"", XmlEscape(runs.mismatch),
                    "\">", XmlEscape(runs.mismatch), "</failure>\n");
  }
  absl::StrAppend(&out, "  </testcase>\n</testsuite>\n</testsuites>\n");
  return out;
}

}  // namespace locksim::cli
