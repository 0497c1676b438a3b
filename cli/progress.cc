#include "cli/progress.h"

#include <cstdio>
#include <string>

namespace locksim::cli {

void DrawProgress(uint64_t done, uint64_t total, uint64_t failures, double seconds,
                  const char* unit) {
  constexpr int kWidth = 30;
  const uint64_t shown_total = total < done ? done : total;
  const int filled = shown_total == 0 ? kWidth : static_cast<int>(kWidth * done / shown_total);
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  const double left = rate > 0 ? static_cast<double>(shown_total - done) / rate : 0;
  std::fprintf(stderr, "\r[%s%s] %llu/%llu %s, %llu failing, %.0f %s/s, %.1f s left   ",
               std::string(static_cast<size_t>(filled), '=').c_str(),
               std::string(static_cast<size_t>(kWidth - filled), ' ').c_str(),
               static_cast<unsigned long long>(done), static_cast<unsigned long long>(shown_total),
               unit, static_cast<unsigned long long>(failures), rate, unit, left);
  std::fflush(stderr);
}

void ClearProgress() { std::fprintf(stderr, "\r\033[K"); }

}  // namespace locksim::cli
