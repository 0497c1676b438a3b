// libFuzzer harness for the lock checker against its exhaustive reference
// (tests/check/brute_force.h, through tests/fuzz/reference.h) on small histories decoded from the
// fuzz bytes. Aborts, printing
// the history, when the greedy checker's verdict differs from the reference's (one-pass verdict,
// explained check, or the history listed in reverse), when the general search (WGL) decides
// otherwise, or when an explanation is not a 1-minimal certificate, or is not short.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "check/history.h"
#include "check/history_json.h"
#include "check/lock_linearizability.h"
#include "check/wgl_linearizability.h"
#include "tests/fuzz/reference.h"

namespace {

using locksim::check::History;
using locksim::check::HistoryOperation;
using locksim::check::LockOp;

// Few enough operations for the exhaustive search (every subset of the pending ones times every
// order) to stay fast.
constexpr size_t kMaxOperations = 8;
constexpr size_t kBytesPerOperation = 3;

// Three bytes per operation:
//   byte 0: bit 0 Lock/Unlock, bit 1 lock "a"/"b", bit 2 pending, bit 3 result, bits 4-5 client
//   byte 1: invoke, 0..15 (small, so equal times are common)
//   byte 2: return - invoke, 0..15
History Decode(const uint8_t* data, size_t size) {
  History history;
  for (size_t at = 0; at + kBytesPerOperation <= size && history.operations.size() < kMaxOperations;
       at += kBytesPerOperation) {
    const uint8_t flags = data[at];
    HistoryOperation op;
    op.op = (flags & 1) != 0 ? LockOp::kUnlock : LockOp::kLock;
    op.lock = (flags & 2) != 0 ? "b" : "a";
    op.client = (flags >> 4) & 3;
    op.invoke = data[at + 1] & 15;
    if ((flags & 4) == 0) {
      op.ret = op.invoke + (data[at + 2] & 15);
      op.result = (flags & 8) != 0;
    }
    history.operations.push_back(op);
  }
  return history;
}

[[noreturn]] void Fail(const char* what, const History& history) {
  std::fprintf(stderr, "checker fuzzer: %s:\n%s\n", what,
               locksim::check::WriteHistoryJson(history).c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using locksim::check::testing::ReferenceCertificate;
  const History history = Decode(data, size);
  const bool reference = locksim::check::testing::ReferenceLinearizable(history);
  if (locksim::check::IsLockHistoryLinearizable(history) != reference) {
    Fail("the one-pass verdict differs from the exhaustive search", history);
  }
  History reversed = history;
  std::reverse(reversed.operations.begin(), reversed.operations.end());
  if (locksim::check::IsLockHistoryLinearizable(reversed) != reference) {
    Fail("listed in reverse, the verdict differs from the exhaustive search", history);
  }
  const locksim::check::WglHistoryResult wgl =
      locksim::check::CheckHistoryWithWgl(history, locksim::check::WglBudget{});
  if (wgl.verdict == locksim::check::Verdict::kUndecided ||
      (wgl.verdict == locksim::check::Verdict::kLinearizable) != reference) {
    Fail("the general search differs from the exhaustive search", history);
  }
  const locksim::check::LockCheckResult result = locksim::check::CheckLockLinearizability(history);
  if (result.linearizable != reference) {
    Fail("the explained check differs from the exhaustive search", history);
  }
  if (result.linearizable) return 0;

  // The explanation: a certificate (from held too when it says so), 1-minimal, with its key
  // operations among its own, and a summary a person can read.
  std::vector<size_t> set;
  for (const locksim::check::UnorderableOperation& u : result.unorderable) {
    if (u.operation.lock != result.lock || u.operation.pending()) {
      Fail("the certificate holds an operation it may not", history);
    }
    set.push_back(u.index);
  }
  if (set.empty() || !result.minimal) Fail("no minimal certificate", history);
  if (!ReferenceCertificate(history, result.lock, set, /*from_held=*/false)) {
    Fail("the explanation is not a certificate", history);
  }
  if (result.whatever_came_before &&
      !ReferenceCertificate(history, result.lock, set, /*from_held=*/true)) {
    Fail("the explanation is not a certificate from a held lock", history);
  }
  for (size_t skip = 0; skip < set.size(); ++skip) {
    std::vector<size_t> smaller = set;
    smaller.erase(smaller.begin() + static_cast<std::ptrdiff_t>(skip));
    if (ReferenceCertificate(history, result.lock, smaller, /*from_held=*/false)) {
      Fail("the certificate is not 1-minimal", history);
    }
  }
  for (const locksim::check::KeyUnorderableOperation& key : result.key_operations) {
    if (std::find(set.begin(), set.end(), key.index) == set.end()) {
      Fail("a key operation is not in the certificate", history);
    }
  }
  const std::string summary = locksim::check::FormatExplanation(result);
  if (std::count(summary.begin(), summary.end(), '\n') >= 40) Fail("a long summary", history);
  return 0;
}
