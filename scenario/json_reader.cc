#include "scenario/json_reader.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/printable.h"
#include "base/status_macros.h"

namespace locksim::scenario {

std::string Child(const std::string& path, const std::string& key) {
  return path.empty() ? std::string(key) : absl::StrCat(path, ".", key);
}

std::string Element(const std::string& path, size_t index) {
  return absl::StrCat(path, "[", index, "]");
}

const char* TypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "an integer";
    case Json::value_t::number_float:
      return "a number";
    default:
      return "something else";
  }
}

absl::Status JsonReader::Error(const std::string& path, const std::string& what) const {
  return absl::InvalidArgumentError(absl::StrCat(
      Printable(file_), ": ", path.empty() ? std::string("(root)") : path, ": ", what));
}

absl::Status JsonReader::ExpectObject(const Json& value, const std::string& path) const {
  if (value.is_object()) return absl::OkStatus();
  return Error(path, absl::StrCat("expected an object, found ", TypeName(value)));
}

absl::Status JsonReader::CheckKeys(const Json& object, const std::string& path,
                                   std::initializer_list<const char*> allowed) const {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* name : allowed) known |= key == name;
    if (!known) {
      return Error(
          Child(path, Printable(key)),
          absl::StrCat("unknown key (expected one of: ", absl::StrJoin(allowed, ", "), ")"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> JsonReader::Integer(const Json& value, const std::string& path, int64_t min,
                                            int64_t max) const {
  const auto out_of_range = [&](std::string shown) {
    return Error(path, absl::StrCat(shown, " is out of range (expected ", min, " to ", max, ")"));
  };
  if (value.is_number_unsigned()) {
    const uint64_t v = value.get<uint64_t>();
    // nlohmann stores every non-negative literal as unsigned, so the lower bound matters here too.
    if (v > static_cast<uint64_t>(max) || (min > 0 && v < static_cast<uint64_t>(min))) {
      return out_of_range(absl::StrCat(v));
    }
    return static_cast<int64_t>(v);
  }
  if (value.is_number_integer()) {
    const int64_t v = value.get<int64_t>();
    if (v < min || v > max) return out_of_range(absl::StrCat(v));
    return v;
  }
  return Error(path, absl::StrCat("expected an integer, found ", TypeName(value)));
}

absl::StatusOr<uint64_t> JsonReader::Unsigned(const Json& value, const std::string& path) const {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer()) return Error(path, "expected a non-negative integer");
  return Error(path,
               absl::StrCat("expected a non-negative integer below 2^64, found ", TypeName(value)));
}

absl::StatusOr<bool> JsonReader::Bool(const Json& value, const std::string& path) const {
  if (value.is_boolean()) return value.get<bool>();
  return Error(path, absl::StrCat("expected true or false, found ", TypeName(value)));
}

absl::StatusOr<std::string> JsonReader::String(const Json& value, const std::string& path) const {
  if (value.is_string()) return value.get<std::string>();
  return Error(path, absl::StrCat("expected a string, found ", TypeName(value)));
}

absl::StatusOr<sim::Probability> JsonReader::Probability(const Json& value,
                                                         const std::string& path) const {
  if (!value.is_number()) {
    return Error(path, absl::StrCat("expected a probability (a number from 0 to 1), found ",
                                    TypeName(value)));
  }
  const double p = value.get<double>();
  if (!(p >= 0.0 && p <= 1.0)) {
    return Error(path, absl::StrCat(value.dump(), " is not a probability (expected 0 to 1)"));
  }
  return sim::Probability::FromDouble(p);
}

absl::StatusOr<sim::Duration> JsonReader::Millis(const Json& value, const std::string& path,
                                                 sim::Duration max) const {
  if (!value.is_number()) {
    return Error(path, absl::StrCat("expected milliseconds (a number), found ", TypeName(value)));
  }
  // Every bound is whole milliseconds; print it as such (a double would print as 8.64e+07).
  const int64_t max_ms = max.micros() / 1000;
  const auto too_long = [&] {
    return Error(path, absl::StrCat(value.dump(), " ms is too long (at most ", max_ms, " ms)"));
  };
  // nlohmann's is_number_integer() is also true for unsigned values, so test unsigned first.
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() > static_cast<uint64_t>(max_ms)) return too_long();
    return sim::Duration::Millis(static_cast<int64_t>(value.get<uint64_t>()));
  }
  if (value.is_number_integer()) {
    if (value.get<int64_t>() < 0) return Error(path, absl::StrCat(value.dump(), " ms is negative"));
    if (value.get<int64_t>() > max_ms) return too_long();
    return sim::Duration::Millis(value.get<int64_t>());
  }
  const double ms = value.get<double>();
  if (!std::isfinite(ms)) return Error(path, absl::StrCat(value.dump(), " ms is not a duration"));
  if (ms < 0) return Error(path, absl::StrCat(value.dump(), " ms is negative"));
  if (ms > static_cast<double>(max_ms)) return too_long();
  // The resolution is 1 µs: 1.5 ms is fine, 0.0005 ms is not. Converting decimal milliseconds to
  // a double and multiplying by 1000 is off by at most a few parts in 1e16, so anything further
  // than a relative 1e-14 from a whole number of microseconds was written finer than 1 µs (a
  // looser tolerance would let e.g. 86000000.0005 ms through).
  const double us = ms * 1000.0;
  const double rounded = std::round(us);
  if (std::abs(us - rounded) > 1e-14 * std::max(1.0, us)) {
    return Error(path, absl::StrCat(value.dump(),
                                    " ms is finer than the 1 µs resolution (use whole "
                                    "microseconds, e.g. 0.001)"));
  }
  return sim::Duration::Micros(static_cast<int64_t>(std::llround(us)));
}

absl::StatusOr<sim::DurationRange> JsonReader::MillisOrRange(const Json& value,
                                                             const std::string& path,
                                                             sim::Duration max) const {
  if (!value.is_object()) {
    LOCKSIM_ASSIGN_OR_RETURN(const sim::Duration d, Millis(value, path, max));
    return sim::DurationRange{d, d};
  }
  LOCKSIM_RETURN_IF_ERROR(CheckKeys(value, path, {"min", "max"}));
  if (!value.contains("min") || !value.contains("max")) {
    return Error(path, "expected {\"min\": a, \"max\": b} with both keys");
  }
  LOCKSIM_ASSIGN_OR_RETURN(const sim::Duration lo, Millis(value["min"], Child(path, "min"), max));
  LOCKSIM_ASSIGN_OR_RETURN(const sim::Duration hi, Millis(value["max"], Child(path, "max"), max));
  if (lo > hi) return Error(path, "min is greater than max");
  return sim::DurationRange{lo, hi};
}

absl::StatusOr<std::pair<int64_t, int64_t>> JsonReader::IntegerOrRange(const Json& value,
                                                                       const std::string& path,
                                                                       int64_t min,
                                                                       int64_t max) const {
  if (!value.is_object()) {
    LOCKSIM_ASSIGN_OR_RETURN(const int64_t v, Integer(value, path, min, max));
    return std::make_pair(v, v);
  }
  LOCKSIM_RETURN_IF_ERROR(CheckKeys(value, path, {"min", "max"}));
  if (!value.contains("min") || !value.contains("max")) {
    return Error(path, "expected {\"min\": a, \"max\": b} with both keys");
  }
  LOCKSIM_ASSIGN_OR_RETURN(const int64_t lo, Integer(value["min"], Child(path, "min"), min, max));
  LOCKSIM_ASSIGN_OR_RETURN(const int64_t hi, Integer(value["max"], Child(path, "max"), min, max));
  if (lo > hi) return Error(path, "min is greater than max");
  return std::make_pair(lo, hi);
}

}  // namespace locksim::scenario
