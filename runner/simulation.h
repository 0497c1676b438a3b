// One run of a scenario: builds the simulated world, the two lock servers and the clerks, drives
// the scripted steps or the random workload and fault plan, records the clients' history, then
// runs every check. A pure function of (scenario, seed, flaw): no wall clock, no threads, no I/O
// except through the trace sinks the caller attaches.
#ifndef LOCKSIM_RUNNER_SIMULATION_H_
#define LOCKSIM_RUNNER_SIMULATION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "runner/run_result.h"
#include "scenario/scenario.h"
#include "service/environment.h"
#include "service/flaws.h"
#include "sim/decisions.h"
#include "sim/message_rules.h"
#include "sim/trace.h"

namespace locksim::runner {

struct RunOptions {
  uint64_t seed = 1;
  service::Flaw flaw = service::Flaw::kNone;
  // The scenario file as the user named it, for the repro command.
  std::string scenario_path;
  // Receive every trace record (a JSON-lines writer, a timeline); may be empty.
  std::vector<sim::TraceSink*> sinks;
  // Keep the history in the result (the timeline and --json want it; a sweep does not).
  bool keep_history = true;
  // Tests only: a test double to stand in front of protocol node `node` (it forwards to `real`
  // and misbehaves in some way, e.g. trips an assertion), or null to leave the node alone.
  std::function<std::unique_ptr<service::Node>(service::NodeId node, service::Node& real)>
      node_double;
  // Where the run's decisions come from (sim/decisions.h): nullptr is random mode, the seed's
  // PRNG streams; else a strategy or a replayed list. Must outlive the run.
  sim::DecisionSource* decision_source = nullptr;
  // When set, every decision the run takes is appended here (DecisionList::FromRecords groups
  // them for replay).
  std::vector<sim::DecisionRecord>* record_decisions = nullptr;
  // When set, every message the run sends and handles is appended here with what it is
  // (sim/message_rules.h): the shrinker reads its runs this way.
  std::vector<sim::MessageRecord>* message_log = nullptr;
  // How to name the run's decisions in its repro command: "--schedule TOKEN" or
  // "--decisions FILE"; "" for a random run.
  std::string repro_decisions;
  // What the run's schedule is, for people (RunResult::schedule); "" for a random run.
  std::string schedule;
};

RunResult RunScenario(const scenario::Scenario& scenario, const RunOptions& options);

class ScenarioRun;

// A run of a scenario that can pause between two events and be forked there. `explore` runs the
// schedules that share a prefix from copies of one run taken just before each parts from it,
// instead of replaying the prefix for each (docs/exploration.md). A fork goes on exactly as a run
// with its options would from the start: the same trace fingerprint, history and result.
class ForkableRun {
 public:
  // Builds the run and takes the decisions before its first event; no event runs yet. `scenario`
  // and `options` must outlive it.
  ForkableRun(const scenario::Scenario& scenario, const RunOptions& options);
  ForkableRun(ForkableRun&&) noexcept;
  ForkableRun& operator=(ForkableRun&&) noexcept;
  ~ForkableRun();

  // Runs until `events` events have run in all (true: paused, another is due) or the run ended
  // (false). REQUIRES: it has not ended.
  bool RunUntil(uint64_t events);
  // Events run so far.
  uint64_t events() const;
  // A copy of this paused run that goes on with `options` (which must outlive it): its decision
  // source continues this run's (a FaultsSource resumed with ResumeFrom), its sinks get the
  // records from here on. REQUIRES: paused; the same seed and flaw; no test double, message log
  // or decision recording (they would miss the prefix).
  ForkableRun Fork(const RunOptions& options) const;
  // Runs to the end and checks. REQUIRES: once; the run is gone after it.
  RunResult Finish();

 private:
  explicit ForkableRun(std::unique_ptr<ScenarioRun> run);
  std::unique_ptr<ScenarioRun> run_;
};

// "locksim run PATH --seed N [--flaw F] [DECISIONS]", DECISIONS being RunOptions::repro_decisions.
std::string ReproCommand(const std::string& scenario_path, uint64_t seed, service::Flaw flaw,
                         const std::string& decisions = "");

// "locksim shrink PATH --seed N [--flaw F] [DECISIONS]": the command that shrinks that run to a
// small scripted scenario (runner/shrink.h); sweeps print it for their first failing seed.
std::string ShrinkCommand(const std::string& scenario_path, uint64_t seed, service::Flaw flaw,
                          const std::string& decisions = "");

}  // namespace locksim::runner

#endif  // LOCKSIM_RUNNER_SIMULATION_H_
