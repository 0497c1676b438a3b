// The data of a report page (runner/html_report.h): one run's trace, history, checker verdict and
// lock ownership as one compact JSON object that the page's script draws. Numbers and short
// arrays rather than objects: a 600-operation run has thousands of messages.
//
// The object (times in µs of virtual time; `seq` is a record's position in the trace, which
// orders events that share an instant):
//   v          1, the version of this shape (the page's script and this file change together)
//   run        RunResultJson (runner/report.h) plus "seed_text", "scripted", "description",
//              "hop_us" (the minimum one-way latency) and "rpc_timeout_us"
//   nodes      node names by node id
//   msgs       [id, from, to, t, seq, text, call, copies, ends...]: one per message sent;
//              `call` is the RPC it belongs to (-1 unknown), `copies` 2 when duplicated, then
//              each end as three numbers [kind, t, seq] (kinds: HtmlMessageEnd)
//   marks      [kind, node, peer, t, seq, id, text]: crashes, deaf points, lost deaf replies,
//              refused and timed-out calls (id = the call), partitions and heals, timer
//              firings, the run's end, a failed assertion (kinds: HtmlMark; its text is
//              "file:line: condition"); a refused or timed-out call's mark
//              goes on with [start_t, start_seq, request message id (-1 unknown)]
//   faults     [t, seq, description]
//   ops        [client, kind (0 lock, 1 unlock), lock, invoke_t, invoke_seq, return_t, return_seq,
//              result, step, expect]: result 1 true, 0 false, -1 never returned, -2 the clerk gave
//              up (return_t/return_seq -1 when it never returned); step/expect the scripted step
//              that issued it and its `expect` (-1 none; expect 1 true, 0 false)
//   locks      [name, linearizable, order, holds, stuck_at]: order [[op, at, anchor]...] and
//              holds [[client, taken_by, freed_by (-1: held to the end)]...] as in
//              runner/lock_holds.h; stuck_at -1 when linearizable
//   explain    null, or the linearizability checker's explanation: {"lock", "why", "ops" (the
//              operations it names), "failing_locks", "whatever_came_before"}
#ifndef LOCKSIM_RUNNER_HTML_REPORT_DATA_H_
#define LOCKSIM_RUNNER_HTML_REPORT_DATA_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "runner/run_result.h"
#include "scenario/scenario.h"
#include "sim/trace.h"

namespace locksim::runner {

// One trace record as the report keeps it.
struct TracedEvent {
  sim::TraceRecord record;
  uint64_t seq = 0;    // position in the whole trace
  std::string detail;  // empty for kinds whose text the page does not show
};

enum class HtmlMessageEnd : uint8_t { kDeliver, kDrop, kBlocked, kDiscard, kLateReply };
enum class HtmlMark : uint8_t {
  kCrash,
  kDeafArmed,
  kDeafReplyLost,
  kCallRefused,
  kCallTimeout,
  kPartition,
  kHeal,
  kTimerFire,
  kRunEnd,
  kAssertion,
};

// REQUIRES: `events` are the trace of the run that produced `result` (with its history), in
// order; `node_names` name its nodes by id.
nlohmann::json HtmlReportData(const RunResult& result, const scenario::Scenario& scenario,
                              std::span<const TracedEvent> events,
                              const std::vector<std::string>& node_names);

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_HTML_REPORT_DATA_H_
