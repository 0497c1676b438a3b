#include "check/history.h"

namespace locksim::check {

std::string_view LockOpName(LockOp op) { return op == LockOp::kLock ? "lock" : "unlock"; }

}  // namespace locksim::check
