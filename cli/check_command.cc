// `locksim check HISTORY [--json] [--explain-out FILE] [--checker greedy|wgl] [--memory-mb N]
// [--step-budget N]`: is a recorded history of a lock service linearizable? The file format, what
// linearizable means for locks, and the exit statuses are in docs/history-format.md; the checkers
// in docs/checker.md. Exit 0 yes, 1 no, 2 bad input or usage, 3 undecided (only --checker wgl:
// a budget ran out, or memory did).
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/assert.h"
#include "base/printable.h"
#include "check/history_json.h"
#include "check/lock_linearizability.h"
#include "check/wgl_linearizability.h"
#include "cli/command.h"
#include "cli/common_options.h"

namespace locksim::cli {
namespace {

// Neither verdict is known (a budget of the general search ran out, or memory did): not a
// property of the history, so not 1, and not bad input, so not 2.
constexpr int kExitUndecided = 3;

struct CheckArgs {
  std::string history_path;
  bool json = false;
  std::string explain_out;
  std::string checker = "greedy";
  uint64_t memory_mb = 1024;
  uint64_t step_budget = 50'000'000;
};

// Writes `text` to `path` so that the file is either absent (or as it was) or complete: into a
// temporary file beside it, then renamed over it.
absl::Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::filesystem::path target(path);
  const std::filesystem::path temporary =
      target.parent_path() /
      ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      const int error = errno;
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      return absl::UnavailableError(
          absl::StrCat(Printable(path), ": cannot write: ", std::strerror(error)));
    }
  }
  if (std::rename(temporary.c_str(), target.c_str()) != 0) {
    const int error = errno;
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    return absl::UnavailableError(
        absl::StrCat(Printable(path), ": cannot write: ", std::strerror(error)));
  }
  return absl::OkStatus();
}

// --explain-out before anything is printed, so that a file that cannot be written leaves
// stdout empty.
bool WriteExplanation(const CheckArgs& args, const std::string& text) {
  if (args.explain_out.empty()) return true;
  const absl::Status written = WriteFileAtomically(args.explain_out, text + "\n");
  if (!written.ok()) std::cerr << "locksim check: " << written.message() << "\n";
  return written.ok();
}

// Names in a history are valid UTF-8 (the reader checks), but an exception here would end the
// program with a signal: any invalid byte is replaced rather than thrown on.
std::string Dump(const nlohmann::json& object) {
  return object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

const char* ExhaustedName(check::Exhausted exhausted) {
  return exhausted == check::Exhausted::kMemory ? "memory budget" : "step budget";
}

int CheckWithWgl(const CheckArgs& args, const check::History& history) {
  const check::WglBudget budget{.steps = args.step_budget, .memory_bytes = args.memory_mb << 20};
  const check::WglHistoryResult result = check::CheckHistoryWithWgl(history, budget);
  if (result.verdict == check::Verdict::kUndecided) {
    const bool memory = result.exhausted == check::Exhausted::kMemory;
    std::cerr << "locksim check: " << Printable(args.history_path)
              << ": undecided: " << ExhaustedName(result.exhausted)
              << " (the general search stopped on lock " << QuotedPrintable(result.lock)
              << " after " << result.steps << " steps"
              << (memory ? absl::StrCat(", at ", args.memory_mb, " MiB; raise --memory-mb")
                         : absl::StrCat("; raise --step-budget"))
              << "); the greedy checker (the default) decides any lock history\n";
    if (args.json) {
      const nlohmann::json out = {{"linearizable", nullptr},
                                  {"undecided", ExhaustedName(result.exhausted)},
                                  {"operations", history.operations.size()},
                                  {"checker", "wgl"},
                                  {"lock", result.lock},
                                  {"steps", result.steps}};
      std::cout << Dump(out) << "\n";
    }
    return kExitUndecided;
  }
  const bool linearizable = result.verdict == check::Verdict::kLinearizable;
  const std::string verdict =
      linearizable ? absl::StrCat("linearizable: ", history.operations.size(),
                                  " operations (general search, ", result.steps, " steps)")
                   : absl::StrCat("NOT linearizable: lock ", QuotedPrintable(result.lock),
                                  " (general search; run with --checker greedy for an "
                                  "explanation)");
  if (!WriteExplanation(args, verdict)) return kExitBadInput;
  if (args.json) {
    nlohmann::json out = {{"linearizable", linearizable},
                          {"operations", history.operations.size()},
                          {"checker", "wgl"},
                          {"steps", result.steps}};
    if (!linearizable) out["lock"] = result.lock;
    std::cout << Dump(out) << "\n";
  } else {
    std::cout << verdict << "\n";
  }
  return linearizable ? kExitPass : kExitViolation;
}

nlohmann::json OperationJson(size_t index, const check::HistoryOperation& op) {
  return {{"index", index},
          {"client", op.client},
          {"op", std::string(check::LockOpName(op.op))},
          {"invoke", op.invoke},
          {"return", op.ret.has_value() ? nlohmann::json(*op.ret) : nullptr},
          {"result", op.result.has_value() ? nlohmann::json(*op.result) : nullptr}};
}

// The certificate's operations as a JSON array, written directly: through nlohmann's objects
// (a std::map each) a quarter of a million of them took a second.
std::string WitnessJson(const std::vector<check::UnorderableOperation>& witness) {
  std::string text = "[";
  for (const check::UnorderableOperation& u : witness) {
    const check::HistoryOperation& op = u.operation;
    absl::StrAppend(
        &text, text.size() == 1 ? "" : ",", "{\"index\":", u.index, ",\"client\":", op.client,
        ",\"op\":\"", std::string(check::LockOpName(op.op)), "\",\"invoke\":", op.invoke,
        ",\"return\":", op.ret.has_value() ? absl::StrCat(*op.ret) : std::string("null"),
        ",\"result\":", op.result.has_value() ? (*op.result ? "true" : "false") : "null", "}");
  }
  return text + "]";
}

int CheckWithGreedy(const CheckArgs& args, const check::History& history) {
  const check::LockCheckResult result = check::CheckLockLinearizability(history);
  const std::string summary = check::FormatExplanation(result);
  const bool summarised =
      !result.linearizable && result.unorderable.size() > check::kUnorderableListedInFull;
  if (!WriteExplanation(
          args, summarised ? check::FormatExplanation(result, check::ExplanationDetail::kFull)
                           : summary)) {
    return kExitBadInput;
  }
  if (args.json) {
    nlohmann::json out = {{"linearizable", result.linearizable},
                          {"operations", result.operations},
                          {"locks", result.locks},
                          {"checker", "greedy"}};
    if (!result.linearizable) {
      nlohmann::json key_operations = nlohmann::json::array();
      for (const check::KeyUnorderableOperation& key : result.key_operations) {
        nlohmann::json entry = OperationJson(key.index, key.operation);
        entry["role"] = key.role;
        key_operations.push_back(std::move(entry));
      }
      out["lock"] = result.lock;
      out["failing_locks"] = result.failing_locks;
      out["why"] = result.why;
      out["key_operations"] = std::move(key_operations);
      out["minimal"] = result.minimal;
      out["whatever_came_before"] = result.whatever_came_before;
      out["explanation"] = summary;
    }
    std::string text = Dump(out);
    if (!result.linearizable) {
      // The witness joins the object last, written by WitnessJson.
      LOCKSIM_ASSERT(text.back() == '}');
      text.pop_back();
      absl::StrAppend(&text, ",\"witness\":", WitnessJson(result.unorderable), "}");
    }
    std::cout << text << "\n";
    return result.linearizable ? kExitPass : kExitViolation;
  }
  std::cout << summary << "\n";
  if (summarised) {
    std::cout << "  (every operation of the certificate: "
              << (args.explain_out.empty()
                      ? std::string("--json, or --explain-out FILE")
                      : absl::StrCat("written to ", Printable(args.explain_out)))
              << ")\n";
  }
  return result.linearizable ? kExitPass : kExitViolation;
}

int CheckCommand(const CheckArgs& args) {
  try {
    absl::StatusOr<check::History> history = check::LoadHistoryJsonFile(args.history_path);
    if (!history.ok()) {
      std::cerr << "locksim check: " << history.status().message() << "\n";
      return kExitBadInput;
    }
    if (args.checker == "wgl") return CheckWithWgl(args, *history);
    return CheckWithGreedy(args, *history);
  } catch (const std::bad_alloc&) {
    // A history too large for this machine's memory: neither verdict, and no crash.
    std::cerr << "locksim check: " << Printable(args.history_path)
              << ": undecided: out of memory\n";
    return kExitUndecided;
  }
}

}  // namespace

void RegisterCheckCommand(CLI::App& root, int* exit_status) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* check = root.add_subcommand(
      "check",
      "Check a history file for linearizability against the lock semantics (the format and what "
      "linearizable means: docs/history-format.md). Exit 0 linearizable, 1 not, 2 bad input or "
      "usage, 3 undecided (--checker wgl only: its step or memory budget ran out).");
  check->add_option("HISTORY", args->history_path, "history file (JSON), or - for stdin")
      ->required();
  check->add_flag("--json", args->json,
                  "print one JSON object instead of the verdict (with every operation of the "
                  "explanation)");
  check->add_option("--explain-out", args->explain_out,
                    "also write the whole explanation, every operation of it, to FILE (written "
                    "whole or not at all)");
  check
      ->add_option("--checker", args->checker,
                   "greedy: exact and O(n log n) for locks, with an explanation (default); "
                   "wgl: the general Wing-Gong-Lowe search, for comparison")
      ->check(CLI::IsMember({"greedy", "wgl"}));
  check
      ->add_option("--memory-mb", args->memory_mb,
                   "wgl: memory the search may use, in MiB; past it the answer is \"undecided: "
                   "memory budget\", exit 3 (default 1024)")
      ->check(UnsignedInteger())
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  check
      ->add_option("--step-budget", args->step_budget,
                   "wgl: search steps before the answer is \"undecided: step budget\", exit 3 "
                   "(default 50000000)")
      ->check(UnsignedInteger());
  check->callback([args, exit_status] {
    if (args->history_path == "-") args->history_path = "/dev/stdin";
    *exit_status = CheckCommand(*args);
  });
}

}  // namespace locksim::cli
