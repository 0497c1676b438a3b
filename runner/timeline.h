// Writes a run as a Chrome Trace Event file (open it in Perfetto or chrome://tracing): one lane
// per node, an arrow per delivered message, crashes as instants followed by a "down" span, each
// client operation as a span from invoke to return, and one lane per lock showing when it was
// held, following a linearization of its operations.
#ifndef LOCKSIM_RUNNER_TIMELINE_H_
#define LOCKSIM_RUNNER_TIMELINE_H_

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "check/history.h"
#include "sim/trace.h"

namespace locksim::runner {

class TimelineSink : public sim::TraceSink {
 public:
  explicit TimelineSink(std::vector<std::string> node_names);
  void Write(const sim::TraceRecord& record, std::string_view detail) override;
  // Writes the whole file. `history` supplies the operation and lock-hold spans.
  void Finish(const check::History& history, std::ostream& out) const;

 private:
  struct Item {
    sim::TraceRecord record;
    std::string detail;
  };
  std::vector<std::string> node_names_;
  std::vector<Item> items_;  // only the kinds the timeline draws
};

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_TIMELINE_H_
