#include "runner/swarm.h"

#include <algorithm>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/assert.h"
#include "sim/prng.h"

namespace locksim::runner {
namespace {

using sim::Duration;
using sim::Probability;

bool AnyPositive(const scenario::ChannelProbabilities& p, bool include_reply) {
  return !p.request.is_zero() || !p.forward.is_zero() || !p.forward_reply.is_zero() ||
         (include_reply && !p.reply.is_zero());
}

std::string Percent(Probability p) {
  return absl::StrFormat("%.1f%%", 100.0 * static_cast<double>(p.numerator()) /
                                       static_cast<double>(Probability::kDenominator));
}

std::string Millis(Duration d) { return absl::StrFormat("%.3g ms", d.micros() / 1000.0); }

// A probability drawn uniformly in [0, max_parts_per_billion].
Probability DrawProbability(sim::Prng& rng, uint64_t max_parts_per_billion) {
  return Probability::PartsPerBillion(rng.Below(max_parts_per_billion + 1));
}

}  // namespace

bool HasFaultsOutsideTheModel(const scenario::Scenario& s) {
  if (AnyPositive(s.network.drop, /*include_reply=*/false)) return true;
  bool fails[2] = {false, false};
  for (const scenario::Fault& fault : s.faults) {
    if (std::holds_alternative<scenario::PartitionFault>(fault)) return true;
    const auto target = [&](scenario::CrashTarget t) {
      if (t != scenario::CrashTarget::kBackup) fails[0] = true;
      if (t != scenario::CrashTarget::kPrimary) fails[1] = true;
    };
    if (const auto* f = std::get_if<scenario::CrashAtFault>(&fault)) target(f->target);
    if (const auto* f = std::get_if<scenario::CrashAfterMessagesFault>(&fault)) target(f->target);
    if (std::holds_alternative<scenario::CrashAfterForwardsFault>(fault)) fails[0] = true;
    if (const auto* f = std::get_if<scenario::DeafAtFault>(&fault)) fails[f->server] = true;
  }
  // "either" alone fails one server per run, but the two entries of a scenario may each pick
  // one: count a scenario that names both servers as failing both.
  size_t server_faults = 0;
  for (const scenario::Fault& fault : s.faults) {
    server_faults += std::holds_alternative<scenario::PartitionFault>(fault) ? 0 : 1;
  }
  return fails[0] && fails[1] && server_faults > 1;
}

SwarmConfiguration DrawSwarmConfiguration(const scenario::Scenario& base, uint64_t seed) {
  LOCKSIM_ASSERT(base.workload.has_value());
  sim::Prng rng = sim::Prng(seed).Fork(sim::Stream::kSwarm);
  const scenario::Workload& w = *base.workload;
  SwarmConfiguration out;
  scenario::Scenario& s = out.scenario;
  s = base;
  scenario::Workload& sw = *s.workload;

  // Who and what.
  const int64_t total_ops = w.ops_per_client * base.clients;
  s.clients = static_cast<int>(1 + rng.Below(static_cast<uint64_t>(std::max(2, 2 * base.clients))));
  // A partition names client nodes: keep every client it names.
  const bool partitioned = std::any_of(s.faults.begin(), s.faults.end(), [](const auto& fault) {
    return std::holds_alternative<scenario::PartitionFault>(fault);
  });
  if (partitioned) s.clients = std::max(s.clients, base.clients);
  sw.ops_per_client = std::max<int64_t>(1, total_ops / s.clients);
  const size_t locks = 1 + rng.Below(2 * w.locks.size());
  sw.locks.clear();
  for (size_t i = 0; i < locks; ++i) {
    sw.locks.push_back(i < w.locks.size() ? w.locks[i] : absl::StrCat("l", i));
  }
  sw.unlock_fraction = Probability::PartsPerBillion(100'000'000 + rng.Below(800'000'001));
  const int64_t think_max = 2 * w.think.max.micros();
  sw.think.min = Duration::Micros(rng.Between(0, think_max));
  sw.think.max = Duration::Micros(rng.Between(sw.think.min.micros(), think_max));

  // The network: a latency range inside the scenario's, duplicates, lost replies.
  const int64_t lo = base.network.latency.min.micros();
  const int64_t hi = base.network.latency.max.micros();
  s.network.latency.min = Duration::Micros(rng.Between(lo, hi));
  s.network.latency.max = Duration::Micros(rng.Between(s.network.latency.min.micros(), hi));
  const bool duplicates = rng.Below(2) == 1;
  if (duplicates) {
    for (Probability* p : {&s.network.duplicate.request, &s.network.duplicate.reply,
                           &s.network.duplicate.forward, &s.network.duplicate.forward_reply}) {
      *p = DrawProbability(rng, 100'000'000);
    }
  }
  const bool outside = HasFaultsOutsideTheModel(base);
  const bool lose_replies = rng.Below(2) == 1;

  // At most one server fault of its own, unless the scenario already fails servers outside the
  // model.
  std::string fault = "no server fault";
  const uint64_t kind = rng.Below(4);
  if (!outside) {
    s.faults.clear();
    const auto messages = [&](int64_t per_op) {
      return 1 + rng.Below(static_cast<uint64_t>(std::max<int64_t>(1, per_op * total_ops)));
    };
    if (kind == 1 || kind == 2) {
      const service::NodeId server = kind == 1 ? service::kPrimaryNode : service::kBackupNode;
      // The primary handles about two messages per operation (request, ack), the backup one.
      const uint64_t count = messages(kind == 1 ? 2 : 1);
      scenario::CrashAfterMessagesFault crash;
      crash.target = kind == 1 ? scenario::CrashTarget::kPrimary : scenario::CrashTarget::kBackup;
      crash.messages_min = crash.messages_max = count;
      s.faults.push_back(crash);
      fault = absl::StrCat("crash ", service::NodeName(server), " after ", count, " messages");
    } else if (kind == 3) {
      // Some time while the workload runs: an operation takes about a think time and two round
      // trips.
      const int64_t per_op = (sw.think.min.micros() + sw.think.max.micros()) / 2 +
                             2 * (s.network.latency.min.micros() + s.network.latency.max.micros());
      scenario::DeafAtFault deaf;
      deaf.server = service::kPrimaryNode;
      const Duration at =
          Duration::Micros(rng.Between(0, std::max<int64_t>(1, per_op * sw.ops_per_client)));
      deaf.at = {at, at};
      s.faults.push_back(deaf);
      fault = absl::StrCat("primary deaf at ", Millis(at));
    }
  } else {
    fault = "the scenario's own faults";
  }
  if (!outside || base.network.drop.reply.is_zero()) {
    const bool server_fault = !s.faults.empty();
    s.network.drop.reply = lose_replies
                               ? DrawProbability(rng, server_fault ? 20'000'000 : 50'000'000)
                               : Probability::Never();
  }

  out.description = absl::StrCat(
      s.clients, " clients x ", sw.ops_per_client, " ops on ", locks, " locks (unlock ",
      Percent(sw.unlock_fraction), ", think ", Millis(sw.think.min), "-", Millis(sw.think.max),
      "), latency ", Millis(s.network.latency.min), "-", Millis(s.network.latency.max),
      duplicates ? ", duplicates" : "", s.network.drop.reply.is_zero() ? "" : ", replies lost ",
      s.network.drop.reply.is_zero() ? "" : Percent(s.network.drop.reply), ", ", fault);
  return out;
}

}  // namespace locksim::runner
