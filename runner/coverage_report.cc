#include "runner/coverage_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace locksim::runner {

std::string CoverageSummary(const service::ProtocolCoverage& coverage) {
  std::string out;
  for (size_t i = 0; i < service::kProtocolEventCount; ++i) {
    const auto event = static_cast<service::ProtocolEvent>(i);
    absl::StrAppend(&out, "  coverage   ",
                    absl::StrFormat("%-32s %12d", service::ProtocolEventName(event), coverage[i]),
                    service::CoverageGated(event) ? "" : "  (outside the gate)", "\n");
  }
  return out;
}

nlohmann::json CoverageJson(const service::ProtocolCoverage& coverage) {
  nlohmann::json out = nlohmann::json::object();
  for (size_t i = 0; i < service::kProtocolEventCount; ++i) {
    out[std::string(service::ProtocolEventName(static_cast<service::ProtocolEvent>(i)))] =
        coverage[i];
  }
  return out;
}

}  // namespace locksim::runner
