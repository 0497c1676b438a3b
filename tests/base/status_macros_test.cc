// The early-return macros hand the first error up unchanged and otherwise go on.
#include "base/status_macros.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace locksim {
namespace {

absl::StatusOr<int> Half(int n) {
  if (n % 2 != 0) return absl::InvalidArgumentError(std::to_string(n) + " is odd");
  return n / 2;
}

// Halves twice; `steps` counts how far it got.
absl::StatusOr<int> Quarter(int n, int* steps) {
  LOCKSIM_ASSIGN_OR_RETURN(const int half, Half(n));
  ++*steps;
  LOCKSIM_ASSIGN_OR_RETURN(const int quarter, Half(half));
  ++*steps;
  return quarter;
}

absl::Status CheckEven(int n) { return Half(n).status(); }

absl::Status CheckBothEven(int a, int b, int* steps) {
  LOCKSIM_RETURN_IF_ERROR(CheckEven(a));
  ++*steps;
  LOCKSIM_RETURN_IF_ERROR(CheckEven(b));
  ++*steps;
  return absl::OkStatus();
}

TEST(StatusMacros, AssignOrReturnAssignsOrStops) {
  int steps = 0;
  EXPECT_EQ(*Quarter(12, &steps), 3);
  EXPECT_EQ(steps, 2);
  steps = 0;
  const absl::StatusOr<int> odd = Quarter(6, &steps);
  EXPECT_EQ(odd.status(), absl::InvalidArgumentError("3 is odd"));
  EXPECT_EQ(steps, 1);
}

TEST(StatusMacros, AssignOrReturnMovesTheValue) {
  const auto make = [] { return absl::StatusOr<std::unique_ptr<int>>(std::make_unique<int>(7)); };
  const auto read = [&]() -> absl::StatusOr<int> {
    LOCKSIM_ASSIGN_OR_RETURN(std::unique_ptr<int> p, make());
    return *p;
  };
  EXPECT_EQ(*read(), 7);
}

TEST(StatusMacros, ReturnIfErrorStopsAtTheFirstError) {
  int steps = 0;
  EXPECT_TRUE(CheckBothEven(2, 4, &steps).ok());
  EXPECT_EQ(steps, 2);
  steps = 0;
  EXPECT_EQ(CheckBothEven(1, 3, &steps), absl::InvalidArgumentError("1 is odd"));
  EXPECT_EQ(steps, 0);
}

}  // namespace
}  // namespace locksim
