// Typed, bounded reads from a JSON document, each error naming the file and the JSON path. The
// scenario parser is written in terms of these, so every value it accepts has been checked for
// type and range in one place.
#ifndef LOCKSIM_SCENARIO_JSON_READER_H_
#define LOCKSIM_SCENARIO_JSON_READER_H_

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "sim/probability.h"
#include "sim/time.h"

namespace locksim::scenario {

using Json = nlohmann::json;

// "steps[3]" + "client" -> "steps[3].client"; "" + "clients" -> "clients".
std::string Child(const std::string& path, const std::string& key);
std::string Element(const std::string& path, size_t index);

class JsonReader {
 public:
  explicit JsonReader(std::string file) : file_(std::move(file)) {}

  absl::Status Error(const std::string& path, const std::string& what) const;

  absl::Status ExpectObject(const Json& value, const std::string& path) const;
  // Every key of `object` must be in `allowed`.
  absl::Status CheckKeys(const Json& object, const std::string& path,
                         std::initializer_list<const char*> allowed) const;
  absl::StatusOr<int64_t> Integer(const Json& value, const std::string& path, int64_t min,
                                  int64_t max) const;
  absl::StatusOr<uint64_t> Unsigned(const Json& value, const std::string& path) const;
  absl::StatusOr<bool> Bool(const Json& value, const std::string& path) const;
  absl::StatusOr<std::string> String(const Json& value, const std::string& path) const;
  // A JSON number in [0, 1] -> parts per billion.
  absl::StatusOr<sim::Probability> Probability(const Json& value, const std::string& path) const;
  // Milliseconds (a JSON number, resolution 1 µs) in [0, max] -> Duration.
  absl::StatusOr<sim::Duration> Millis(const Json& value, const std::string& path,
                                       sim::Duration max) const;
  // A number of milliseconds, or {"min": a, "max": b} with a <= b.
  absl::StatusOr<sim::DurationRange> MillisOrRange(const Json& value, const std::string& path,
                                                   sim::Duration max) const;
  // An integer, or {"min": a, "max": b} with a <= b, within [min, max].
  absl::StatusOr<std::pair<int64_t, int64_t>> IntegerOrRange(const Json& value,
                                                             const std::string& path, int64_t min,
                                                             int64_t max) const;

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

// Describes a JSON value's type for messages: "a string", "an array", ...
const char* TypeName(const Json& value);

}  // namespace locksim::scenario

#endif  // LOCKSIM_SCENARIO_JSON_READER_H_
