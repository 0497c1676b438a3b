// `locksim check HISTORY [--json] [--checker greedy|wgl]`: is a recorded history of a lock
// service linearizable (contract section 3)? Exit 0 yes, 1 no, 2 bad input.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "check/history_json.h"
#include "check/lock_linearizability.h"
#include "check/wgl_linearizability.h"
#include "cli/command.h"

namespace locksim::cli {
namespace {

// The general search is exponential in concurrency: give it a bound and say when it is hit.
constexpr uint64_t kWglStepBudget = 50'000'000;

struct CheckArgs {
  std::string history_path;
  bool json = false;
  std::string checker = "greedy";
};

int CheckWithWgl(const CheckArgs& args, const check::History& history) {
  const check::WglHistoryResult result = check::CheckHistoryWithWgl(history, kWglStepBudget);
  if (result.verdict == check::Verdict::kGaveUp) {
    // Neither verdict is known: that is not a property of the history, so not exit 1.
    std::cerr << "locksim check: " << args.history_path << ": the general search gave up on lock \""
              << result.lock << "\" after " << result.steps
              << " steps; the greedy checker (the default) decides any lock history\n";
    return kExitBadInput;
  }
  const bool linearizable = result.verdict == check::Verdict::kLinearizable;
  if (args.json) {
    nlohmann::json out = {{"linearizable", linearizable},
                          {"operations", history.operations.size()},
                          {"checker", "wgl"},
                          {"steps", result.steps}};
    if (!linearizable) out["lock"] = result.lock;
    std::cout << out.dump() << "\n";
  } else if (linearizable) {
    std::cout << "linearizable: " << history.operations.size() << " operations (general search, "
              << result.steps << " steps)\n";
  } else {
    std::cout << "NOT linearizable: lock \"" << result.lock
              << "\" (general search; run with --checker greedy for an explanation)\n";
  }
  return linearizable ? kExitPass : kExitViolation;
}

int CheckCommand(const CheckArgs& args) {
  absl::StatusOr<check::History> history = check::LoadHistoryJsonFile(args.history_path);
  if (!history.ok()) {
    std::cerr << "locksim check: " << history.status().message() << "\n";
    return kExitBadInput;
  }
  if (args.checker == "wgl") return CheckWithWgl(args, *history);

  const check::LockCheckResult result = check::CheckLockLinearizability(*history);
  if (args.json) {
    nlohmann::json out = {{"linearizable", result.linearizable},
                          {"operations", result.operations},
                          {"locks", result.locks},
                          {"checker", "greedy"}};
    if (!result.linearizable) {
      nlohmann::json witness = nlohmann::json::array();
      for (const check::UnorderableOperation& u : result.unorderable) {
        const check::HistoryOperation& op = u.operation;
        witness.push_back(
            {{"index", u.index},
             {"client", op.client},
             {"op", std::string(check::LockOpName(op.op))},
             {"invoke", op.invoke},
             {"return", op.ret.has_value() ? nlohmann::json(*op.ret) : nullptr},
             {"result", op.result.has_value() ? nlohmann::json(*op.result) : nullptr}});
      }
      out["lock"] = result.lock;
      out["failing_locks"] = result.failing_locks;
      out["why"] = result.why;
      out["witness"] = std::move(witness);
      out["explanation"] = check::FormatExplanation(result);
    }
    std::cout << out.dump() << "\n";
  } else {
    std::cout << check::FormatExplanation(result) << "\n";  // the verdict, or the explanation
  }
  return result.linearizable ? kExitPass : kExitViolation;
}

}  // namespace

void RegisterCheckCommand(CLI::App& root, int* exit_status) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* check = root.add_subcommand(
      "check",
      "Check a history file (contract section 3) for linearizability against the lock "
      "semantics. Exit 0 linearizable, 1 not, 2 bad input.");
  check->add_option("HISTORY", args->history_path, "history file (JSON)")->required();
  check->add_flag("--json", args->json, "print one JSON object instead of the verdict");
  check
      ->add_option("--checker", args->checker,
                   "greedy: exact and O(n log n) for locks, with an explanation (default); "
                   "wgl: the general Wing-Gong-Lowe search, for comparison")
      ->check(CLI::IsMember({"greedy", "wgl"}));
  check->callback([args, exit_status] { *exit_status = CheckCommand(*args); });
}

}  // namespace locksim::cli
