// The progress bar `sweep` and `explore` draw on stderr when it is a terminal:
//   [=====>     ] 412/1000 seeds, 3 failing, 5120 seeds/s, 0.1 s left
#ifndef LOCKSIM_CLI_PROGRESS_H_
#define LOCKSIM_CLI_PROGRESS_H_

#include <cstdint>

namespace locksim::cli {

// `unit`: what is counted ("seeds", "schedules"). `seconds`: since the start.
void DrawProgress(uint64_t done, uint64_t total, uint64_t failures, double seconds,
                  const char* unit);
// Clears the bar, so that the summary follows on a clean line.
void ClearProgress();

}  // namespace locksim::cli

#endif  // LOCKSIM_CLI_PROGRESS_H_
