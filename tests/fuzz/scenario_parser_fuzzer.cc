// libFuzzer harness for scenario files (docs/scenario-format.md): any bytes, of any size or depth.
// Aborts, printing the input, when
//  - an error is not bad input (kInvalidArgument), or is not one line `fuzz.json: PATH: what`;
//  - an error carries a byte a terminal would act on (text from the file must be escaped);
//  - the text check (scenario/json_text_check.h) lets through a text nlohmann then refuses (the
//    parser would still say bad input, but the check is meant to say it first, with the path);
//  - a scenario that was accepted breaks the bounds the format promises;
// and, through the sanitizers it is built with, on any crash (a stack overflow from deep nesting,
// an uncaught exception), leak or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "scenario/json_text_check.h"
#include "scenario/scenario.h"
#include "scenario/scenario_parser.h"

namespace {

[[noreturn]] void Fail(const char* what, std::string_view text, std::string_view detail) {
  std::fprintf(stderr, "scenario parser fuzzer: %s: %.*s\ninput (%zu bytes):\n%.*s\n", what,
               static_cast<int>(detail.size()), detail.data(), text.size(),
               static_cast<int>(text.size()), text.data());
  std::abort();
}

// A byte a terminal acts on: C0 controls (but tab) and DEL. Printable() escapes these.
bool HasControlByte(std::string_view s) {
  for (const char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && b != '\t') || b == 0x7f) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<locksim::scenario::Scenario> parsed =
      locksim::scenario::ParseScenario(text, "fuzz.json");
  if (!parsed.ok()) {
    const std::string message(parsed.status().message());
    if (parsed.status().code() != absl::StatusCode::kInvalidArgument) {
      Fail("an error that is not bad input", text, parsed.status().ToString());
    }
    if (!message.starts_with("fuzz.json: ") || message.find(": ", 11) == std::string::npos) {
      Fail("the error does not name the file and a JSON path", text, message);
    }
    if (HasControlByte(message)) Fail("the error holds a raw control byte", text, message);
    if (!locksim::scenario::CheckJsonText(text).has_value()) {
      try {
        (void)nlohmann::json::parse(text);
      } catch (const nlohmann::json::exception& e) {
        Fail("the text check let through a text nlohmann refuses", text, e.what());
      }
    }
    return 0;
  }
  const locksim::scenario::Scenario& s = *parsed;
  if (s.clients < 1 || s.clients > 1000) Fail("clients out of bounds", text, "");
  if (s.name.empty()) Fail("an empty name", text, "");
  return 0;
}
