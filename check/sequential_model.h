// The sequential specification interface the general (Wing–Gong–Lowe) search runs against, and
// the lock model. A model is deterministic: a state and an operation with a known output lead to
// at most one next state. States are packed in 64 bits so that the search can memoise them.
#ifndef LOCKSIM_CHECK_SEQUENTIAL_MODEL_H_
#define LOCKSIM_CHECK_SEQUENTIAL_MODEL_H_

#include <cstdint>
#include <optional>

namespace locksim::check {

class SequentialModel {
 public:
  virtual ~SequentialModel() = default;
  virtual uint64_t InitialState() const = 0;
  // The state after an operation with `input` takes effect in `state` and returns `output`, or
  // nullopt when it cannot return that output there. `output` nullopt: a pending operation whose
  // output is unknown, so any output is accepted.
  virtual std::optional<uint64_t> Step(uint64_t state, int64_t input,
                                       std::optional<int64_t> output) const = 0;
};

// Contract section 1. Input: kLockInput or kUnlockInput; output: 1 true, 0 false.
// State: 0 free, 1 held. `initially_held` exists so the explanation search can ask whether a set
// of operations can be ordered whatever happened before it.
class LockModel final : public SequentialModel {
 public:
  static constexpr int64_t kLockInput = 0;
  static constexpr int64_t kUnlockInput = 1;

  explicit LockModel(bool initially_held = false) : initially_held_(initially_held) {}
  uint64_t InitialState() const override { return initially_held_ ? 1 : 0; }
  std::optional<uint64_t> Step(uint64_t state, int64_t input,
                               std::optional<int64_t> output) const override {
    const bool held = state != 0;
    // Lock succeeds iff the lock was free; Unlock iff it was held. Either way the kind fixes the
    // state after it.
    const bool success = input == kLockInput ? !held : held;
    if (output.has_value() && (*output != 0) != success) return std::nullopt;
    return input == kLockInput ? 1 : 0;
  }

 private:
  bool initially_held_;
};

}  // namespace locksim::check

#endif  // LOCKSIM_CHECK_SEQUENTIAL_MODEL_H_
