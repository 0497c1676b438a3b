// Deliberate, named, documented bugs in the protocol, for `--flaw NAME`: anyone can switch one on
// and watch the checks catch it. Each is off by default and costs one enum comparison when off.
// The code each flaw changes carries a `// Flaw kName:` comment beside it.
#ifndef LOCKSIM_SERVICE_FLAWS_H_
#define LOCKSIM_SERVICE_FLAWS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace locksim::service {

enum class Flaw : uint8_t {
  kNone,
  kNoDuplicateTable,
  kDuplicateByOperation,
  kReplyBeforeForwardAck,
  kBackupForgetsForwardedResults,
  kClerkGivesUp,
  kForwardOutOfOrder,
  kPrimaryIgnoresForwardFailure,
};

struct FlawInfo {
  Flaw flaw;
  const char* name;         // kebab-case, as given to --flaw
  const char* description;  // what goes wrong and why, for a learner
};

// Every flaw but kNone, in a fixed order.
std::span<const FlawInfo> AllFlaws();
std::optional<Flaw> FlawByName(std::string_view name);
// "" for kNone.
const char* FlawName(Flaw flaw);

}  // namespace locksim::service

#endif  // LOCKSIM_SERVICE_FLAWS_H_
