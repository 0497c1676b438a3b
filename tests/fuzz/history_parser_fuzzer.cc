// libFuzzer harness for history files (docs/history-format.md): any bytes, of any size or depth.
// Aborts, printing the input, when
//  - simdjson's reader and the precise parser disagree: one accepts what the other refuses, or
//    both accept and read different histories;
//  - the stream (fed in pieces of varying size) takes what the whole-text reader refuses, or reads
//    it differently;
//  - ParseHistoryJson's error is not the precise parser's, or does not name the file;
//  - a history that was accepted does not survive WriteHistoryJson and ParseHistoryJson;
// and, through the sanitizers it is built with, on any crash, leak or undefined behaviour.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "check/history_json.h"
#include "check/history_json_precise.h"
#include "check/history_json_simdjson.h"
#include "check/lock_linearizability.h"

namespace {

using locksim::check::History;
using locksim::check::HistoryOperation;

bool Same(const History& a, const History& b) {
  if (a.operations.size() != b.operations.size()) return false;
  for (size_t i = 0; i < a.operations.size(); ++i) {
    const HistoryOperation& x = a.operations[i];
    const HistoryOperation& y = b.operations[i];
    if (x.client != y.client || x.op != y.op || x.lock != y.lock || x.invoke != y.invoke ||
        x.ret != y.ret || x.result != y.result) {
      return false;
    }
  }
  return true;
}

[[noreturn]] void Fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "history parser fuzzer: %s; input (%zu bytes):\n%.*s\n", what, text.size(),
               static_cast<int>(text.size()), text.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // simdjson reads past the end of its text: give it padding of its own.
  std::string padded(text);
  padded.append(locksim::check::kHistoryJsonPadding, '\0');
  const absl::StatusOr<History> read =
      locksim::check::ReadHistoryJsonWithSimdjson(std::string_view(padded).substr(0, size));
  const absl::StatusOr<History> precise =
      locksim::check::ParseHistoryJsonPrecise(text, "fuzz.json");
  if (read.ok() != precise.ok()) {
    Fail(read.ok() ? "simdjson accepted what the precise parser refuses"
                   : "the precise parser accepted what simdjson refuses",
         text);
  }
  const absl::StatusOr<History> parsed = locksim::check::ParseHistoryJson(text, "fuzz.json");
  // The stream, fed the text in pieces of 1 to 16 bytes (a fixed pattern, so a finding replays).
  size_t offset = 0;
  size_t turn = 0;
  const auto source = [&](char* buffer, size_t wanted) -> absl::StatusOr<size_t> {
    const size_t count = std::min({wanted, 1 + (turn++ * 7) % 16, size - offset});
    std::memcpy(buffer, data + offset, count);
    offset += count;
    return count;
  };
  const absl::StatusOr<std::optional<History>> streamed =
      locksim::check::StreamHistoryJson(source, size);
  if (!streamed.ok()) Fail("the stream failed on a source that cannot", text);
  if (streamed->has_value() && (!read.ok() || !Same(**streamed, *read))) {
    Fail(read.ok() ? "the stream read another history" : "the stream took an invalid text", text);
  }
  if (!read.ok()) {
    if (parsed.ok() || parsed.status() != precise.status()) {
      Fail("ParseHistoryJson's error is not the precise parser's", text);
    }
    if (!std::string(parsed.status().message()).starts_with("fuzz.json: ")) {
      Fail("the error does not name the file", text);
    }
    return 0;
  }
  if (!Same(*read, *precise)) Fail("the parsers read different histories", text);
  if (!parsed.ok() || !Same(*parsed, *read)) Fail("ParseHistoryJson read another history", text);
  const absl::StatusOr<History> again =
      locksim::check::ParseHistoryJson(locksim::check::WriteHistoryJson(*parsed), "fuzz.json");
  if (!again.ok() || !Same(*again, *parsed))
    Fail("the history does not survive a round trip", text);
  // Whatever was accepted can be checked (small histories: the fuzzer's inputs are small).
  const locksim::check::LockCheckResult result = locksim::check::CheckLockLinearizability(*parsed);
  if (!result.linearizable && result.unorderable.empty()) Fail("an empty explanation", text);
  return 0;
}
