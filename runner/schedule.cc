#include "runner/schedule.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "runner/fault_schedule.h"
#include "runner/pct_schedule.h"
#include "runner/swarm.h"

namespace locksim::runner {
namespace {

constexpr const char* kTokenHelp =
    "a schedule token is faults:none, faults:PLACEMENT[+PLACEMENT...] (crash-primary@K, "
    "crash-backup@K, deaf@K, lose-reply@SERVER-to-clientN:K, dup-request@clientN-to-SERVER:K), "
    "pct:dD:nN or swarm";

absl::Status Bad(std::string_view token, std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("--schedule ", std::string(token), ": ",
                                                 std::string(why), " (", kTokenHelp, ")"));
}

// ""TEXT"" followed by `what`.
std::string Quoted(std::string_view text, std::string_view what) {
  return absl::StrCat("\"", std::string(text), "\"", std::string(what));
}

bool ParseCount(std::string_view text, uint64_t* out) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos &&
         absl::SimpleAtoi(std::string(text), out);
}

absl::StatusOr<FaultPlacement> ParsePlacement(std::string_view token, std::string_view text,
                                              int clients) {
  const size_t at = text.find('@');
  if (at == std::string_view::npos) return Bad(token, Quoted(text, " has no @"));
  const std::string_view what = text.substr(0, at);
  const std::string_view where = text.substr(at + 1);
  FaultPlacement placement;
  std::string_view number = where;
  if (what == "crash-primary" || what == "crash-backup") {
    placement.kind = FaultPlacement::Kind::kCrash;
    placement.server = what == "crash-primary" ? service::kPrimaryNode : service::kBackupNode;
  } else if (what == "deaf") {
    placement.kind = FaultPlacement::Kind::kDeaf;
  } else if (what == "lose-reply" || what == "dup-request") {
    // Both name one message of a link: FROM-to-TO:K, a server's reply to a client or a client's
    // request to a server.
    const bool reply = what == "lose-reply";
    placement.kind =
        reply ? FaultPlacement::Kind::kLoseReply : FaultPlacement::Kind::kDuplicateRequest;
    constexpr std::string_view kTo = "-to-";
    const size_t to = where.find(kTo);
    const size_t colon = where.find(':');
    if (to == std::string_view::npos || colon == std::string_view::npos || colon < to) {
      return Bad(token, Quoted(text, reply ? ": expected lose-reply@SERVER-to-clientN:K"
                                           : ": expected dup-request@clientN-to-SERVER:K"));
    }
    absl::StatusOr<service::NodeId> from = service::ParseNodeName(where.substr(0, to), clients);
    absl::StatusOr<service::NodeId> dest =
        service::ParseNodeName(where.substr(to + kTo.size(), colon - to - kTo.size()), clients);
    if (!from.ok() || !dest.ok()) {
      return Bad(token,
                 std::string(!from.ok() ? from.status().message() : dest.status().message()));
    }
    const service::NodeId server = reply ? *from : *dest;
    const service::NodeId client = reply ? *dest : *from;
    if (!service::IsServerNode(server) || service::IsServerNode(client)) {
      return Bad(token, Quoted(text, reply ? ": a reply goes from a server to a client"
                                           : ": a request goes from a client to a server"));
    }
    placement.server = server;
    placement.client = client;
    number = where.substr(colon + 1);
  } else {
    return Bad(token, Quoted(what, " is not a fault"));
  }
  if (!ParseCount(number, &placement.number)) {
    return Bad(token, Quoted(text, ": expected a count (after the @, or after the : of a reply)"));
  }
  if (placement.kind != FaultPlacement::Kind::kCrash && placement.number == 0) {
    return Bad(token, Quoted(text, ": requests and replies count from 1"));
  }
  return placement;
}

absl::StatusOr<Schedule> ParseFaults(std::string_view token, std::string_view rest, int clients) {
  FaultsSchedule schedule;
  if (rest == "none") return schedule;
  const std::vector<std::string> parts = absl::StrSplit(std::string(rest), '+');
  for (const std::string& part : parts) {
    absl::StatusOr<FaultPlacement> placement = ParsePlacement(token, part, clients);
    if (!placement.ok()) return placement.status();
    schedule.placements.push_back(*placement);
  }
  return schedule;
}

absl::StatusOr<Schedule> ParsePct(std::string_view token, std::string_view rest) {
  const std::vector<std::string> parts = absl::StrSplit(std::string(rest), ':');
  PctSchedule schedule;
  uint64_t depth = 0;
  if (parts.size() != 2 || parts[0].size() < 2 || parts[0][0] != 'd' || parts[1].size() < 2 ||
      parts[1][0] != 'n' || !ParseCount(std::string_view(parts[0]).substr(1), &depth) ||
      !ParseCount(std::string_view(parts[1]).substr(1), &schedule.sends) || depth < 1 ||
      depth > 64 || schedule.sends < 1) {
    return Bad(token, "expected pct:dD:nN with 1 <= D <= 64 and N >= 1");
  }
  schedule.depth = static_cast<int>(depth);
  return schedule;
}

}  // namespace

std::string PlacementToken(const FaultPlacement& p) {
  switch (p.kind) {
    case FaultPlacement::Kind::kCrash:
      return absl::StrCat("crash-", service::NodeName(p.server), "@", p.number);
    case FaultPlacement::Kind::kDeaf:
      return absl::StrCat("deaf@", p.number);
    case FaultPlacement::Kind::kLoseReply:
      return absl::StrCat("lose-reply@", service::NodeName(p.server), "-to-",
                          service::NodeName(p.client), ":", p.number);
    case FaultPlacement::Kind::kDuplicateRequest:
      return absl::StrCat("dup-request@", service::NodeName(p.client), "-to-",
                          service::NodeName(p.server), ":", p.number);
  }
  LOCKSIM_UNREACHABLE("unknown placement kind");
}

std::string ScheduleToken(const Schedule& schedule) {
  if (const auto* faults = std::get_if<FaultsSchedule>(&schedule)) {
    if (faults->placements.empty()) return "faults:none";
    return absl::StrCat("faults:",
                        absl::StrJoin(faults->placements, "+", [](std::string* out, const auto& p) {
                          out->append(PlacementToken(p));
                        }));
  }
  if (const auto* pct = std::get_if<PctSchedule>(&schedule)) {
    return absl::StrCat("pct:d", pct->depth, ":n", pct->sends);
  }
  return "swarm";
}

absl::StatusOr<Schedule> ParseScheduleToken(std::string_view token, int clients) {
  if (token == "swarm") return SwarmSchedule{};
  if (token.rfind("faults:", 0) == 0) return ParseFaults(token, token.substr(7), clients);
  if (token.rfind("pct:", 0) == 0) return ParsePct(token, token.substr(4));
  return Bad(token, "unknown strategy");
}

std::string ScheduleMisfit(const Schedule& schedule, const scenario::Scenario& scenario) {
  if (std::holds_alternative<SwarmSchedule>(schedule) && !scenario.workload.has_value()) {
    return "swarm draws a workload's configuration, and this scenario is a script (use faults)";
  }
  return "";
}

ScheduledRun PrepareSchedule(const Schedule& schedule, const scenario::Scenario& scenario,
                             uint64_t seed, bool log_points) {
  ScheduledRun run;
  run.token = ScheduleToken(schedule);
  if (const auto* faults = std::get_if<FaultsSchedule>(&schedule)) {
    auto source = std::make_unique<FaultsSource>(faults->placements, log_points);
    run.faults = source.get();
    run.source = std::move(source);
    run.description = run.token;
  } else if (const auto* pct = std::get_if<PctSchedule>(&schedule)) {
    run.source = std::make_unique<PctSource>(seed, scenario.clients, pct->depth, pct->sends,
                                             scenario.network.latency);
    run.description =
        absl::StrCat(run.token, ": ", scenario.clients, " chains, ", pct->depth - 1,
                     " priority change points among the first ", pct->sends, " sends");
  } else {
    LOCKSIM_ASSERT(scenario.workload.has_value());
    SwarmConfiguration swarm = DrawSwarmConfiguration(scenario, seed);
    run.scenario = std::move(swarm.scenario);
    run.description = absl::StrCat("swarm: ", swarm.description);
  }
  return run;
}

}  // namespace locksim::runner
