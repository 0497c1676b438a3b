#include "runner/sweep_json.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace locksim::runner {
namespace {

using nlohmann::json;

// Reads typed fields of one JSON object; every error names the file and the field's JSON path.
class Fields {
 public:
  Fields(const std::string& file, const json& object, std::string path)
      : file_(file), object_(object), path_(std::move(path)) {}

  bool Has(const char* key) const { return object_.contains(key); }

  absl::Status Error(const std::string& path, const std::string& what) const {
    return absl::InvalidArgumentError(absl::StrCat(file_, ": ", path, ": ", what));
  }
  std::string PathOf(const std::string& key) const {
    return path_.empty() ? key : absl::StrCat(path_, ".", key);
  }

  absl::StatusOr<const json*> Get(const char* key, bool (json::*is)() const noexcept,
                                  const char* type) const {
    if (!object_.contains(key) || !(object_[key].*is)()) {
      return Error(PathOf(key),
                   absl::StrCat("expected ", type, " (is this `locksim sweep --json` output?)"));
    }
    return &object_[key];
  }
  absl::StatusOr<std::string> String(const char* key) const {
    LOCKSIM_ASSIGN_OR_RETURN(const json* value, Get(key, &json::is_string, "a string"));
    return value->get<std::string>();
  }
  absl::StatusOr<uint64_t> Unsigned(const char* key) const {
    LOCKSIM_ASSIGN_OR_RETURN(const json* value,
                             Get(key, &json::is_number_unsigned, "a non-negative integer"));
    return value->get<uint64_t>();
  }
  absl::StatusOr<bool> Bool(const char* key) const {
    LOCKSIM_ASSIGN_OR_RETURN(const json* value, Get(key, &json::is_boolean, "true or false"));
    return value->get<bool>();
  }
  // A finite number >= 0 and below `max`.
  absl::StatusOr<double> Seconds(const char* key, double max) const {
    LOCKSIM_ASSIGN_OR_RETURN(const json* value, Get(key, &json::is_number, "a number"));
    const double seconds = value->get<double>();
    if (!(seconds >= 0 && seconds < max)) {
      return Error(PathOf(key), absl::StrCat(value->dump(), " seconds is out of range"));
    }
    return seconds;
  }
  absl::StatusOr<Fields> Object(const char* key) const {
    LOCKSIM_ASSIGN_OR_RETURN(const json* value, Get(key, &json::is_object, "an object"));
    return Fields(file_, *value, PathOf(key));
  }
  absl::StatusOr<const json*> Array(const char* key) const {
    return Get(key, &json::is_array, "an array");
  }
  // The fields of `object`, an element of an array of this object, at `path`.
  Fields Element(const json& object, std::string path) const {
    return Fields(file_, object, std::move(path));
  }

 private:
  const std::string& file_;
  const json& object_;
  std::string path_;
};

// Simulated time in seconds must come back as whole microseconds that fit in 64 bits.
constexpr double kMaxSimulatedSeconds = 9e12;

absl::StatusOr<SeedFailure> ReadFailure(const Fields& failure) {
  SeedFailure f;
  LOCKSIM_ASSIGN_OR_RETURN(f.seed, failure.Unsigned("seed"));
  LOCKSIM_ASSIGN_OR_RETURN(f.kind, failure.String("kind"));
  LOCKSIM_ASSIGN_OR_RETURN(f.message, failure.String("message"));
  LOCKSIM_ASSIGN_OR_RETURN(f.repro, failure.String("repro"));
  return f;
}

// "failing_seeds" and "failures" say the same seeds in the same order; both are read and
// checked against each other and against the seeds the result ran.
absl::Status ReadFailures(const Fields& in, SweepResult& r) {
  LOCKSIM_ASSIGN_OR_RETURN(const json* failing, in.Array("failing_seeds"));
  LOCKSIM_ASSIGN_OR_RETURN(const json* failures, in.Array("failures"));
  for (size_t i = 0; i < failing->size(); ++i) {
    const std::string path = absl::StrCat("failing_seeds[", i, "]");
    const json& seed = (*failing)[i];
    if (!seed.is_number_unsigned()) return in.Error(path, "expected a seed (integer)");
    const uint64_t value = seed.get<uint64_t>();
    if (value < r.first_seed || value - r.first_seed >= r.seeds_run) {
      return in.Error(path, absl::StrCat("seed ", value, " is not among the seeds run (",
                                         r.seeds_run, " from ", r.first_seed, ")"));
    }
    if (i > 0 && value <= (*failing)[i - 1].get<uint64_t>()) {
      return in.Error(path, "the failing seeds are not in increasing order");
    }
  }
  if (failures->size() != failing->size()) {
    return in.Error("failures", absl::StrCat(failures->size(), " failures for ", failing->size(),
                                             " failing seeds"));
  }
  for (size_t i = 0; i < failures->size(); ++i) {
    const std::string path = absl::StrCat("failures[", i, "]");
    if (!(*failures)[i].is_object()) return in.Error(path, "expected an object");
    LOCKSIM_ASSIGN_OR_RETURN(SeedFailure failure, ReadFailure(in.Element((*failures)[i], path)));
    if (failure.seed != (*failing)[i].get<uint64_t>()) {
      return in.Error(path + ".seed",
                      absl::StrCat("seed ", failure.seed, " differs from failing_seeds[", i, "] (",
                                   (*failing)[i].dump(), ")"));
    }
    r.failures.push_back(std::move(failure));
  }
  return absl::OkStatus();
}

}  // namespace

nlohmann::json SweepResultJson(const SweepResult& r) {
  json failing = json::array();
  json failures = json::array();
  for (const SeedFailure& f : r.failures) {
    failing.push_back(f.seed);
    failures.push_back(
        {{"seed", f.seed}, {"kind", f.kind}, {"message", f.message}, {"repro", f.repro}});
  }
  return {
      {"scenario", r.scenario},
      {"scenario_path", r.scenario_path},
      {"seeds", r.seeds_run},
      {"first_seed", r.first_seed},
      {"requested", {{"first_seed", r.requested.first}, {"seeds", r.requested.count}}},
      {"shard", {{"index", r.shard.index}, {"count", r.shard.count}}},
      {"flaw", r.flaw.empty() ? json(nullptr) : json(r.flaw)},
      {"expect", scenario::ExpectName(r.expect)},
      {"failing_seeds", std::move(failing)},
      {"failures", std::move(failures)},
      {"outcome", OutcomeName(r)},
      {"stopped_early", r.stopped_early},
      {"failure_rate_upper_95", FailureRateUpperBound(r.failures.size(), r.seeds_run)},
      {"wall_seconds", r.wall_seconds},
      {"seeds_per_second", SeedsPerSecond(r)},
      {"simulated_seconds", static_cast<double>(r.simulated_micros) / 1e6},
  };
}

absl::StatusOr<SweepResult> SweepResultFromJson(const nlohmann::json& value,
                                                const std::string& file) {
  const Fields in(file, value, "");
  if (!value.is_object()) return in.Error("(root)", "expected an object");
  SweepResult r;
  LOCKSIM_ASSIGN_OR_RETURN(r.scenario, in.String("scenario"));
  if (in.Has("scenario_path")) {
    LOCKSIM_ASSIGN_OR_RETURN(r.scenario_path, in.String("scenario_path"));
  }
  LOCKSIM_ASSIGN_OR_RETURN(r.seeds_run, in.Unsigned("seeds"));
  LOCKSIM_ASSIGN_OR_RETURN(r.first_seed, in.Unsigned("first_seed"));
  if (r.first_seed > UINT64_MAX - r.seeds_run) {
    return in.Error("seeds", "first_seed + seeds overflows 64 bits");
  }
  r.requested = SeedRange{r.first_seed, r.seeds_run};
  if (in.Has("requested")) {
    LOCKSIM_ASSIGN_OR_RETURN(const Fields requested, in.Object("requested"));
    LOCKSIM_ASSIGN_OR_RETURN(r.requested.first, requested.Unsigned("first_seed"));
    LOCKSIM_ASSIGN_OR_RETURN(r.requested.count, requested.Unsigned("seeds"));
  }
  if (in.Has("shard")) {
    LOCKSIM_ASSIGN_OR_RETURN(const Fields shard, in.Object("shard"));
    LOCKSIM_ASSIGN_OR_RETURN(r.shard.index, shard.Unsigned("index"));
    LOCKSIM_ASSIGN_OR_RETURN(r.shard.count, shard.Unsigned("count"));
    if (r.shard.index >= r.shard.count) {
      return in.Error("shard", "expected 0 <= index < count");
    }
  }
  if (in.Has("flaw") && !value["flaw"].is_null()) {
    LOCKSIM_ASSIGN_OR_RETURN(r.flaw, in.String("flaw"));
  }
  LOCKSIM_ASSIGN_OR_RETURN(const std::string expect, in.String("expect"));
  const std::optional<scenario::Expect> known = scenario::ExpectByName(expect);
  if (!known.has_value()) return in.Error("expect", "expected \"pass\" or \"violation\"");
  r.expect = *known;
  LOCKSIM_RETURN_IF_ERROR(ReadFailures(in, r));
  if (in.Has("outcome")) {
    LOCKSIM_ASSIGN_OR_RETURN(const std::string outcome, in.String("outcome"));
    if (outcome != OutcomeName(r)) {
      return in.Error("outcome", absl::StrCat("\"", outcome, "\" disagrees with failing_seeds (",
                                              r.failures.size(), " failing)"));
    }
  }
  if (in.Has("stopped_early")) {
    LOCKSIM_ASSIGN_OR_RETURN(r.stopped_early, in.Bool("stopped_early"));
  }
  if (in.Has("wall_seconds")) {
    LOCKSIM_ASSIGN_OR_RETURN(r.wall_seconds, in.Seconds("wall_seconds", 1e15));
  }
  if (in.Has("simulated_seconds")) {
    LOCKSIM_ASSIGN_OR_RETURN(const double simulated,
                             in.Seconds("simulated_seconds", kMaxSimulatedSeconds));
    r.simulated_micros = std::llround(simulated * 1e6);
  }
  return r;
}

}  // namespace locksim::runner
