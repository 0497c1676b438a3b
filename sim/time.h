// Virtual time: integer microseconds in strong types. No floating point on the simulation path;
// durations from scenario files become microseconds once, at parse time. Only FormatSimTime,
// which writes a time for people, divides in floating point.
#ifndef LOCKSIM_SIM_TIME_H_
#define LOCKSIM_SIM_TIME_H_

#include <compare>
#include <cstdint>
#include <limits>
#include <string>

namespace locksim::sim {

// A span of virtual time.
class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration Micros(int64_t us) { return Duration(us); }
  static constexpr Duration Millis(int64_t ms) { return Duration(ms * 1000); }
  static constexpr Duration Seconds(int64_t s) { return Duration(s * 1'000'000); }
  static constexpr Duration Max() { return Duration(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t micros() const { return us_; }
  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration other) const { return Duration(us_ + other.us_); }
  constexpr Duration operator-(Duration other) const { return Duration(us_ - other.us_); }

 private:
  constexpr explicit Duration(int64_t us) : us_(us) {}
  int64_t us_ = 0;
};

// A point of virtual time, measured from the start of the run.
class Time {
 public:
  constexpr Time() = default;
  static constexpr Time Zero() { return Time(); }
  static constexpr Time FromMicros(int64_t us) { return Time(us); }
  static constexpr Time Max() { return Time(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t micros() const { return us_; }
  constexpr auto operator<=>(const Time&) const = default;
  // Saturates at Max() so that "now + a very long timeout" never wraps around.
  constexpr Time operator+(Duration d) const {
    return us_ > std::numeric_limits<int64_t>::max() - d.micros() ? Max() : Time(us_ + d.micros());
  }
  constexpr Duration operator-(Time other) const { return Duration::Micros(us_ - other.us_); }

 private:
  constexpr explicit Time(int64_t us) : us_(us) {}
  int64_t us_ = 0;
};

// An inclusive range of durations, drawn uniformly per use (latencies, think times, fault times).
struct DurationRange {
  Duration min;
  Duration max;
  constexpr bool operator==(const DurationRange&) const = default;
};

// Virtual time for people: "740 µs", "12.500 ms", "1.234567 s". Reports, check messages and fault
// descriptions (which the trace fingerprints) all write time this way.
std::string FormatSimTime(Time time);

}  // namespace locksim::sim

#endif  // LOCKSIM_SIM_TIME_H_
