// The bounds of one run. Exceeding either ends the run with a reason (a "budget" violation)
// instead of letting it spin forever. Scenario files may set both (`budget`); the defaults here
// are the defaults of the file format.
#ifndef LOCKSIM_SIM_BUDGET_H_
#define LOCKSIM_SIM_BUDGET_H_

#include <cstdint>

#include "sim/time.h"

namespace locksim::sim {

struct Budget {
  uint64_t max_events = 5'000'000;
  Duration max_time = Duration::Seconds(3600);
};

}  // namespace locksim::sim

#endif  // LOCKSIM_SIM_BUDGET_H_
