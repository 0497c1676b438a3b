// A history: what the clients of the lock service observed. Each operation has the time it was
// invoked and, unless it is still pending, the time it returned and its boolean result. Times are
// integers in any one unit; only their order matters. The simulator builds these directly; files
// use the format of docs/history-format.md (check/history_json.h).
#ifndef LOCKSIM_CHECK_HISTORY_H_
#define LOCKSIM_CHECK_HISTORY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace locksim::check {

enum class LockOp : uint8_t { kLock, kUnlock };

// "lock" or "unlock", as in history files.
std::string_view LockOpName(LockOp op);

struct HistoryOperation {
  int64_t client = 0;
  LockOp op = LockOp::kLock;
  std::string lock;
  int64_t invoke = 0;
  // Absent while the operation is pending: it may or may not have taken effect.
  std::optional<int64_t> ret;
  // Present iff `ret` is present.
  std::optional<bool> result;

  bool pending() const { return !ret.has_value(); }
};

struct History {
  std::vector<HistoryOperation> operations;
};

// For sentences: "client 3's Lock [10, 15] -> true" / "client 3's Unlock [10, pending]".
std::string DescribeOperation(const HistoryOperation& operation);

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_HISTORY_H_
