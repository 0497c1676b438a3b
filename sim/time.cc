#include "sim/time.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace locksim::sim {

std::string FormatSimTime(Time time) {
  const int64_t us = time.micros();
  if (us < 1000) return absl::StrCat(us, " µs");
  if (us < 1'000'000) return absl::StrFormat("%.3f ms", static_cast<double>(us) / 1e3);
  return absl::StrFormat("%.6f s", static_cast<double>(us) / 1e6);
}

}  // namespace locksim::sim
