#include "check/history.h"

#include "absl/strings/str_cat.h"
#include "base/assert.h"

namespace locksim::check {

std::string_view LockOpName(LockOp op) { return op == LockOp::kLock ? "lock" : "unlock"; }

std::string DescribeOperation(const HistoryOperation& operation) {
  const char* kind = operation.op == LockOp::kLock ? "Lock" : "Unlock";
  if (!operation.ret.has_value()) {
    return absl::StrCat("client ", operation.client, "'s ", kind, " [", operation.invoke,
                        ", pending]");
  }
  LOCKSIM_ASSERT(operation.result.has_value());
  return absl::StrCat("client ", operation.client, "'s ", kind, " [", operation.invoke, ", ",
                      *operation.ret, "] -> ", *operation.result ? "true" : "false");
}

}  // namespace locksim::check
