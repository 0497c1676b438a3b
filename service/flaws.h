// Flaws: deliberate, named bugs in the lock protocol that `--flaw NAME` switches on, so anyone can
// watch the simulator's checks catch them. Each is off by default and costs one enum comparison.
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
  kBackupNeverTakesOver,
  kPrimaryWaitsForDeadBackup,
};

struct FlawInfo {
  Flaw flaw = Flaw::kNone;
  std::string_view name;         // kebab-case, as given to --flaw
  std::string_view description;  // what goes wrong and why, for a learner
};

// Every flaw except kNone, in a fixed order.
std::span<const FlawInfo> AllFlaws();
// nullopt when no flaw has that name ("none" names kNone).
std::optional<Flaw> FlawByName(std::string_view name);
// "none" for kNone.
std::string_view FlawName(Flaw flaw);

}  // namespace locksim::service

#endif  // LOCKSIM_SERVICE_FLAWS_H_
