// Early returns for absl::Status and absl::StatusOr, as Abseil keeps them in its own
// status_macros.h: code that reads untrusted input (scenario files, sweep results) checks every
// step and hands the first error up unchanged.
#ifndef LOCKSIM_BASE_STATUS_MACROS_H_
#define LOCKSIM_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns the error of an absl::StatusOr expression, or assigns its value to `lhs` (which may
// declare a variable: `LOCKSIM_ASSIGN_OR_RETURN(const int n, ReadCount());`).
#define LOCKSIM_ASSIGN_OR_RETURN(lhs, expr) \
  LOCKSIM_ASSIGN_OR_RETURN_IMPL(LOCKSIM_STATUS_CONCAT(status_or_, __LINE__), lhs, expr)
#define LOCKSIM_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(*tmp)

// Returns the absl::Status of `expr` unless it is OK.
#define LOCKSIM_RETURN_IF_ERROR(expr)  \
  do {                                 \
    absl::Status status_ = (expr);     \
    if (!status_.ok()) return status_; \
  } while (false)

#define LOCKSIM_STATUS_CONCAT(a, b) LOCKSIM_STATUS_CONCAT_IMPL(a, b)
#define LOCKSIM_STATUS_CONCAT_IMPL(a, b) a##b

#endif  // LOCKSIM_BASE_STATUS_MACROS_H_
