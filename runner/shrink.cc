#include "runner/shrink.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/assert.h"
#include "runner/shrink_script.h"
#include "runner/simulation.h"
#include "scenario/scenario_parser.h"

namespace locksim::runner {
namespace {

using sim::DecisionKind;
using sim::DecisionList;
using sim::DecisionStream;
using Entries = std::vector<DecisionList::Entry>;

// The failure being kept.
struct Target {
  std::string kind;
  std::string lock;  // linearizability: the lock, as the run names it
};

// Whether `result` fails like `target`; `lock` is the target lock's name in that run.
bool FailsLike(const RunResult& result, const Target& target, const std::string& lock) {
  for (const Violation& v : result.violations) {
    if (v.kind != target.kind) continue;
    if (target.kind != kViolationLinearizability || v.lock == lock) return true;
  }
  return false;
}

// A list with `stream`'s entries replaced (erased when empty).
DecisionList WithStream(const DecisionList& list, DecisionStream stream, const Entries& entries) {
  DecisionList out;
  for (const auto& [key, named] : list.streams()) {
    const Entries& use = named.first == stream ? entries : named.second;
    for (const DecisionList::Entry& e : use) out.Append(named.first, e);
  }
  if (list.Find(stream) == nullptr) {
    for (const DecisionList::Entry& e : entries) out.Append(stream, e);
  }
  return out;
}

// The shortlex order the search descends: fewer decisions, then smaller values stream by stream.
bool Smaller(const DecisionList& a, const DecisionList& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  const auto flat = [](const DecisionList& list) {
    std::vector<uint64_t> out;
    for (const auto& [key, named] : list.streams()) {
      out.push_back(key);
      for (const DecisionList::Entry& e : named.second) out.push_back(e.value);
    }
    return out;
  };
  return flat(a) < flat(b);
}

// Where each operation of a workload stream starts (its kMoreOperations = 1 entry).
std::vector<size_t> OperationStarts(const Entries& entries) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].kind == DecisionKind::kMoreOperations && entries[i].value != 0) {
      starts.push_back(i);
    }
  }
  return starts;
}

// Whether a run stays inside the failure model the original run was in (docs/reproducing.md, "How
// shrink works"): an edited list may shift a 1 into a decision the scenario never takes (a lost
// forward where forwards are never lost, a second server crash). Replies may be lost and messages
// duplicated (the model allows both); a loss on a channel the scenario never loses on may not, and
// no run may fire more faults than the original did.
class FailureModel {
 public:
  FailureModel(const scenario::Scenario& scenario, size_t faults_fired)
      : drop_(scenario.network.drop), faults_fired_(faults_fired) {}

  bool Allows(const RunResult& result, const std::vector<sim::DecisionRecord>& records) const {
    if (result.faults.size() > faults_fired_) return false;
    for (const sim::DecisionRecord& r : records) {
      if (r.kind != DecisionKind::kDrop || r.value == 0) continue;
      const int32_t from = r.stream.a();
      const int32_t to = r.stream.b();
      sim::Probability p = drop_.request;
      if (service::IsServerNode(from) && !service::IsServerNode(to)) continue;  // a reply
      if (from == service::kPrimaryNode && to == service::kBackupNode) p = drop_.forward;
      if (from == service::kBackupNode && to == service::kPrimaryNode) p = drop_.forward_reply;
      if (p.numerator() == 0) return false;
    }
    return true;
  }

 private:
  scenario::ChannelProbabilities drop_;
  size_t faults_fired_;
};

// Phase 1.
class DecisionShrinker {
 public:
  DecisionShrinker(const scenario::Scenario& scenario, const ShrinkOptions& options,
                   const Target& target, const FailureModel& model, DecisionList start)
      : scenario_(scenario),
        options_(options),
        target_(target),
        model_(model),
        best_(std::move(start)) {}

  const DecisionList& best() const { return best_; }
  int runs() const { return runs_; }

  void Run() {
    bool progress = true;
    while (progress && !OutOfRuns()) {
      progress = false;
      progress |= TruncateWorkloads();
      progress |= DeleteOperations();
      progress |= ZeroStreams();
      progress |= MinimiseValues();
    }
  }

 private:
  bool OutOfRuns() const { return runs_ >= options_.max_decision_runs; }

  // Keeps `candidate` iff its run fails like the target and records a smaller list.
  bool Try(const DecisionList& candidate) {
    if (OutOfRuns()) return false;
    ++runs_;
    sim::ReplaySource source(candidate);
    std::vector<sim::DecisionRecord> records;
    RunOptions run;
    run.seed = options_.seed;
    run.flaw = options_.flaw;
    run.keep_history = false;
    run.decision_source = &source;
    run.record_decisions = &records;
    const RunResult result = RunScenario(scenario_, run);
    if (!FailsLike(result, target_, target_.lock) || !model_.Allows(result, records)) {
      return false;
    }
    DecisionList recorded = DecisionList::FromRecords(records);
    if (!Smaller(recorded, best_)) return false;
    best_ = std::move(recorded);
    return true;
  }

  std::vector<DecisionStream> Streams(DecisionStream::Kind kind) const {
    std::vector<DecisionStream> out;
    for (const auto& [key, named] : best_.streams()) {
      if (named.first.kind() == kind) out.push_back(named.first);
    }
    return out;
  }

  Entries EntriesOf(DecisionStream stream) const {
    const Entries* entries = best_.Find(stream);
    return entries == nullptr ? Entries{} : *entries;
  }

  // A client's stream cut after its first `ops` operations (then "no more operations").
  bool TryTruncate(DecisionStream stream, size_t ops) {
    const Entries entries = EntriesOf(stream);
    const std::vector<size_t> starts = OperationStarts(entries);
    if (ops >= starts.size()) return false;
    return Try(WithStream(
        best_, stream,
        Entries(entries.begin(), entries.begin() + static_cast<ptrdiff_t>(starts[ops]))));
  }

  // Fewest operations first: each client without any, then with 1, 2, 4, ... and a binary search
  // below the first count that fails.
  bool TruncateWorkloads() {
    bool progress = false;
    for (const DecisionStream stream : Streams(DecisionStream::Kind::kWorkload)) {
      if (TryTruncate(stream, 0)) {
        progress = true;
        continue;
      }
      size_t low = 0;  // fails to reproduce (known)
      for (size_t k = 1; k < OperationStarts(EntriesOf(stream)).size() && !OutOfRuns(); k *= 2) {
        if (TryTruncate(stream, k)) {
          progress = true;
          size_t high = k;
          while (high - low > 1 && !OutOfRuns()) {
            const size_t mid = low + (high - low) / 2;
            if (TryTruncate(stream, mid)) {
              high = mid;
            } else {
              low = mid;
            }
          }
          break;
        }
        low = k;
      }
    }
    return progress;
  }

  // Blocks of operations out of the middle of a client's workload, large blocks first.
  bool DeleteOperations() {
    bool progress = false;
    for (const DecisionStream stream : Streams(DecisionStream::Kind::kWorkload)) {
      for (size_t block = std::max<size_t>(1, OperationStarts(EntriesOf(stream)).size() / 2);
           block >= 1 && !OutOfRuns(); block /= 2) {
        for (size_t i = OperationStarts(EntriesOf(stream)).size(); i-- > 0 && !OutOfRuns();) {
          const Entries entries = EntriesOf(stream);
          const std::vector<size_t> starts = OperationStarts(entries);
          if (i + block > starts.size()) continue;
          const size_t from = starts[i];
          const size_t to = i + block < starts.size() ? starts[i + block] : entries.size();
          Entries cut(entries.begin(), entries.begin() + static_cast<ptrdiff_t>(from));
          cut.insert(cut.end(), entries.begin() + static_cast<ptrdiff_t>(to), entries.end());
          progress |= Try(WithStream(best_, stream, cut));
        }
        if (block == 1) break;
      }
    }
    return progress;
  }

  // Whole streams at their simplest: a link at minimum latency with no loss, no fault drawn or
  // fired, a workload with no think time on the first lock (its operations kept).
  bool ZeroStreams() {
    bool progress = false;
    std::vector<DecisionStream> streams;
    for (const auto& [key, named] : best_.streams()) streams.push_back(named.first);
    for (const DecisionStream stream : streams) {
      Entries entries = EntriesOf(stream);
      if (stream.kind() == DecisionStream::Kind::kWorkload) {
        bool changed = false;
        for (DecisionList::Entry& e : entries) {
          if (e.kind == DecisionKind::kMoreOperations || e.value == 0) continue;
          e.value = 0;
          changed = true;
        }
        if (changed) progress |= Try(WithStream(best_, stream, entries));
      } else if (!entries.empty()) {
        progress |= Try(WithStream(best_, stream, {}));
      }
    }
    return progress;
  }

  // Each value to 0, else the smallest value found by binary search that still fails.
  bool MinimiseValues() {
    bool progress = false;
    std::vector<DecisionStream> streams;
    for (const auto& [key, named] : best_.streams()) streams.push_back(named.first);
    for (const DecisionStream stream : streams) {
      for (size_t i = 0; i < EntriesOf(stream).size() && !OutOfRuns(); ++i) {
        Entries entries = EntriesOf(stream);
        if (entries[i].kind == DecisionKind::kMoreOperations || entries[i].value == 0) continue;
        uint64_t high = entries[i].value;
        uint64_t low = 0;
        entries[i].value = 0;
        if (Try(WithStream(best_, stream, entries))) {
          progress = true;
          continue;
        }
        while (high - low > 1 && !OutOfRuns()) {
          const uint64_t mid = low + (high - low) / 2;
          Entries attempt = EntriesOf(stream);
          if (i >= attempt.size()) break;
          attempt[i].value = mid;
          if (Try(WithStream(best_, stream, attempt))) {
            progress = true;
            high = mid;
          } else {
            low = mid;
          }
        }
      }
    }
    return progress;
  }

  const scenario::Scenario& scenario_;
  const ShrinkOptions& options_;
  const Target& target_;
  const FailureModel& model_;
  DecisionList best_;
  int runs_ = 0;
};

// What a script is made of, for ddmin: an operation, a rule or a fault.
struct Item {
  enum class Type : uint8_t { kOp, kRule, kFault } type;
  size_t index;
};

// Phase 3 (and the checks of phase 2): scripts written, parsed and run.
class ScriptShrinker {
 public:
  ScriptShrinker(const ShrinkOptions& options, const Target& target)
      : options_(options), target_(target) {}

  int runs() const { return runs_; }
  bool OutOfRuns() const { return runs_ >= options_.max_script_runs; }

  // The scenario `script` writes (with a placeholder description).
  static scenario::Scenario Parse(const std::string& text) {
    absl::StatusOr<scenario::Scenario> s = scenario::ParseScenario(text, "shrunk.json");
    LOCKSIM_ASSERT(s.ok());  // the writer only writes what the parser takes
    return *std::move(s);
  }

  RunResult RunScript(const Script& script, uint64_t seed, service::Flaw flaw) {
    ++runs_;
    RunOptions run;
    run.seed = seed;
    run.flaw = flaw;
    return RunScenario(Parse(ScriptScenarioText(script, "shrunk", "", scenario::Expect::kPass)),
                       run);
  }

  bool Fails(const Script& script) {
    if (OutOfRuns()) return false;
    const std::string lock = NamesOf(script).LockName(target_.lock);
    if (target_.kind == kViolationLinearizability && lock.empty()) return false;
    return FailsLike(RunScript(script, options_.seed, options_.flaw), target_, lock);
  }

  static Script Build(const Script& full, const std::vector<Item>& items) {
    std::vector<bool> keep_op(full.ops.size(), false);
    Script s = full;
    s.rules.clear();
    s.faults.clear();
    for (const Item& item : items) {
      switch (item.type) {
        case Item::Type::kOp:
          keep_op[item.index] = true;
          break;
        case Item::Type::kRule:
          s.rules.push_back(full.rules[item.index]);
          break;
        case Item::Type::kFault:
          s.faults.push_back(full.faults[item.index]);
          break;
      }
    }
    return KeepOps(s, keep_op);
  }

  // ddmin (Zeller and Hildebrandt, 2002), complements only: drop one of n chunks at a time.
  Script Ddmin(const Script& full) {
    std::vector<Item> items;
    for (size_t i = 0; i < full.ops.size(); ++i) items.push_back({Item::Type::kOp, i});
    for (size_t i = 0; i < full.rules.size(); ++i) items.push_back({Item::Type::kRule, i});
    for (size_t i = 0; i < full.faults.size(); ++i) items.push_back({Item::Type::kFault, i});
    size_t n = 2;
    while (items.size() >= 2 && !OutOfRuns()) {
      const size_t chunk = (items.size() + n - 1) / n;
      bool reduced = false;
      for (size_t start = 0; start < items.size() && !OutOfRuns(); start += chunk) {
        std::vector<Item> complement(items.begin(), items.begin() + static_cast<ptrdiff_t>(start));
        complement.insert(
            complement.end(),
            items.begin() + static_cast<ptrdiff_t>(std::min(items.size(), start + chunk)),
            items.end());
        if (Fails(Build(full, complement))) {
          items = std::move(complement);
          n = std::max<size_t>(n - 1, 2);
          reduced = true;
          break;
        }
      }
      if (!reduced) {
        if (n >= items.size()) break;
        n = std::min(n * 2, items.size());
      }
    }
    if (items.size() == 1 && Fails(Build(full, {}))) items.clear();
    return Build(full, items);
  }

  // Shorter pauses: each gap before an operation to 0, else halved while it still fails (later
  // operations and timed crashes move with it).
  Script ShortenPauses(Script script) {
    for (size_t i = 0; i < script.ops.size() && !OutOfRuns(); ++i) {
      const int64_t previous = i == 0 ? 0 : script.ops[i - 1].at_us;
      for (int64_t gap = script.ops[i].at_us - previous; gap > 0 && !OutOfRuns();) {
        bool shortened = false;
        for (const int64_t target : {int64_t{0}, gap / 2}) {
          if (target >= gap) continue;
          Script attempt = script;
          const int64_t shift = gap - target;
          const int64_t from = script.ops[i].at_us;
          for (ScriptOp& op : attempt.ops) {
            if (op.at_us >= from) op.at_us -= shift;
          }
          for (ScriptFault& f : attempt.faults) {
            if (!f.anchor.has_value() && f.at_us >= from) f.at_us -= shift;
          }
          if (Fails(attempt)) {
            script = std::move(attempt);
            gap = target;
            shortened = true;
            break;
          }
        }
        if (!shortened) break;
      }
    }
    return script;
  }

 private:
  const ShrinkOptions& options_;
  const Target& target_;
  int runs_ = 0;
};

std::string Plural(int64_t n, const char* one, const char* many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// One sentence: what the shrunk scenario shows.
std::string Describe(const ShrinkOptions& options, const ShrinkResult& r) {
  std::string text =
      absl::StrCat("Shrunk by `locksim shrink ", options.scenario_path, " --seed ", options.seed);
  if (options.flaw != service::Flaw::kNone) {
    absl::StrAppend(&text, " --flaw ", std::string(service::FlawName(options.flaw)));
  }
  absl::StrAppend(&text, "`: ", Plural(r.scenario.clients, "client", "clients"), ", ",
                  Plural(r.shrunk.operations, "operation", "operations"));
  std::vector<std::string> events;
  for (const FiredFault& f : r.shrunk_run.faults) events.push_back(f.description);
  for (const sim::MessageFateRule& rule : r.scenario.network.messages) {
    std::string what = sim::DescribeSelector(rule.message);
    if (rule.lose) {
      absl::StrAppend(&what, " is lost");
    } else if (rule.duplicate) {
      absl::StrAppend(&what, " is duplicated");
    } else {
      absl::StrAppend(&what, " takes ", rule.latency[0]->micros() / 1000.0, " ms");
    }
    events.push_back(what);
  }
  if (!events.empty()) absl::StrAppend(&text, "; ", absl::StrJoin(events, "; "));
  absl::StrAppend(&text, ". ");
  if (options.flaw != service::Flaw::kNone) {
    absl::StrAppend(&text, "With --flaw ", std::string(service::FlawName(options.flaw)), " the ");
  } else {
    absl::StrAppend(&text, "The ");
  }
  absl::StrAppend(&text, r.kind, " check fails");
  if (!r.lock.empty()) absl::StrAppend(&text, " on lock \"", r.lock, "\"");
  absl::StrAppend(&text, " on every seed");
  if (r.passes_without_flaw.has_value()) {
    absl::StrAppend(&text, *r.passes_without_flaw ? "; without the flaw it passes."
                                                  : "; it fails without the flaw too.");
  } else {
    absl::StrAppend(&text, ".");
  }
  return text;
}

}  // namespace

RunSize SizeOf(const RunResult& result, int clients) {
  return RunSize{clients, result.operations_invoked,
                 static_cast<int64_t>(result.faults.size() + result.network.dropped +
                                      result.network.duplicated),
                 static_cast<int64_t>(result.network.sent), static_cast<int64_t>(result.events)};
}

absl::StatusOr<ShrinkResult> Shrink(const scenario::Scenario& scenario,
                                    const ShrinkOptions& options) {
  ShrinkResult out;
  // The given run, recorded.
  std::vector<sim::DecisionRecord> records;
  std::optional<sim::ReplaySource> replay;
  RunOptions first;
  first.seed = options.seed;
  first.flaw = options.flaw;
  first.keep_history = false;
  first.record_decisions = &records;
  if (options.decisions.has_value()) {
    replay.emplace(*options.decisions);
    first.decision_source = &*replay;
  }
  const RunResult original = RunScenario(scenario, first);
  ++out.runs;
  if (original.passed) return absl::NotFoundError("the run passes: there is nothing to shrink");
  const Violation& violation = original.violations.front();
  if (violation.kind == kViolationExpectation) {
    return absl::InvalidArgumentError(
        "the run fails only a step's \"expect\", which a shrunk script cannot keep");
  }
  const Target target{violation.kind, violation.lock};
  out.kind = target.kind;
  out.original = SizeOf(original, scenario.clients);

  // Phase 1: decisions.
  const FailureModel model(scenario, original.faults.size());
  DecisionShrinker decisions(scenario, options, target, model, DecisionList::FromRecords(records));
  decisions.Run();
  out.runs += decisions.runs();

  // Phase 2: the final run as a script.
  sim::ReplaySource source(decisions.best());
  std::vector<sim::MessageRecord> log;
  RunOptions logged;
  logged.seed = options.seed;
  logged.flaw = options.flaw;
  logged.decision_source = &source;
  logged.message_log = &log;
  const RunResult last = RunScenario(scenario, logged);
  ++out.runs;
  LOCKSIM_ASSERT(FailsLike(last, target, target.lock));
  absl::StatusOr<Script> script = ScriptOfRun(scenario, last.history, log);
  if (!script.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot write the shrunk run as a script: ", script.status().message()));
  }
  ScriptShrinker steps(options, target);
  if (!steps.Fails(*script)) {
    out.runs += steps.runs();
    return absl::InternalError(
        "the script of the shrunk run does not fail the same way (a bug in the shrinker)");
  }
  // Phase 3: steps.
  Script small = steps.ShortenPauses(steps.Ddmin(*script));
  out.runs += steps.runs();

  const ScriptNames names = NamesOf(small);
  if (target.kind == kViolationLinearizability) out.lock = names.LockName(target.lock);
  const std::string name =
      absl::StrCat(scenario.name, "_shrunk_seed", options.seed,
                   options.flaw == service::Flaw::kNone
                       ? ""
                       : absl::StrCat("_", std::string(service::FlawName(options.flaw))));
  // Checks: every seed, with the flaw; and without it.
  out.scenario =
      ScriptShrinker::Parse(ScriptScenarioText(small, name, "", scenario::Expect::kPass));
  out.check_seeds = options.check_seeds;
  for (int seed = 0; seed < options.check_seeds; ++seed) {
    RunOptions run;
    run.seed = static_cast<uint64_t>(seed);
    run.flaw = options.flaw;
    out.seeds_failing += FailsLike(RunScenario(out.scenario, run), target, out.lock) ? 1 : 0;
    ++out.runs;
  }
  if (options.flaw != service::Flaw::kNone) {
    bool passes = true;
    for (int seed = 0; seed < options.check_seeds; ++seed) {
      RunOptions run;
      run.seed = static_cast<uint64_t>(seed);
      passes &= RunScenario(out.scenario, run).passed;
      ++out.runs;
    }
    out.passes_without_flaw = passes;
  }
  RunOptions shown;
  shown.seed = options.seed;
  shown.flaw = options.flaw;
  out.shrunk_run = RunScenario(out.scenario, shown);
  ++out.runs;
  out.shrunk = SizeOf(out.shrunk_run, out.scenario.clients);
  const bool clean = out.passes_without_flaw.value_or(false);
  out.scenario_text =
      ScriptScenarioText(small, name, Describe(options, out),
                         clean ? scenario::Expect::kPass : scenario::Expect::kViolation);
  absl::StatusOr<scenario::Scenario> final_scenario =
      scenario::ParseScenario(out.scenario_text, "shrunk.json");
  LOCKSIM_ASSERT(final_scenario.ok());
  out.scenario = *std::move(final_scenario);
  return out;
}

}  // namespace locksim::runner
