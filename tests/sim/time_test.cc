// Time arithmetic, and how time is written for people. The text is pinned: fault descriptions
// carry it into the trace, whose fingerprint must not change.
#include "sim/time.h"

#include <gtest/gtest.h>

namespace locksim::sim {
namespace {

TEST(Time, AddingSaturatesAtMax) {
  EXPECT_EQ(Time::FromMicros(5) + Duration::Micros(7), Time::FromMicros(12));
  EXPECT_EQ(Time::Max() + Duration::Micros(1), Time::Max());
  EXPECT_EQ(Time::FromMicros(10) + Duration::Max(), Time::Max());
  EXPECT_EQ(Time::FromMicros(12) - Time::FromMicros(5), Duration::Micros(7));
}

TEST(FormatSimTime, MicrosThenMillisThenSeconds) {
  EXPECT_EQ(FormatSimTime(Time::Zero()), "0 µs");
  EXPECT_EQ(FormatSimTime(Time::FromMicros(999)), "999 µs");
  EXPECT_EQ(FormatSimTime(Time::FromMicros(1000)), "1.000 ms");
  EXPECT_EQ(FormatSimTime(Time::FromMicros(12'500)), "12.500 ms");
  EXPECT_EQ(FormatSimTime(Time::FromMicros(999'999)), "999.999 ms");
  EXPECT_EQ(FormatSimTime(Time::FromMicros(1'000'000)), "1.000000 s");
  EXPECT_EQ(FormatSimTime(Time::FromMicros(1'234'567)), "1.234567 s");
  EXPECT_EQ(FormatSimTime(Time::FromMicros(2'592'000'000'001)), "2592000.000001 s");
}

}  // namespace
}  // namespace locksim::sim
