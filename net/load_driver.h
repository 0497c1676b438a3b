// `locksim load`: a scenario's workload against real servers. One process, one event loop, one
// service::Clerk per client of the scenario (the real protocol code, unchanged), each issuing its
// operations one after another with its think times in real time, all drawn from the seed
// (scenario/workload_draw.h, as the simulator draws it). It records what the clients saw as a
// check::History.
//
// Each run is a session of its own on the servers: its clerks use client ids no other session
// uses, and its lock names carry the session as a prefix on the wire ("3f2a1/l0"), so that a pair
// of servers can serve run after run and each run starts, as the checker assumes, with every lock
// free and every client new. The history keeps the scenario's names and client numbers.
#ifndef LOCKSIM_NET_LOAD_DRIVER_H_
#define LOCKSIM_NET_LOAD_DRIVER_H_

#include <asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "check/history.h"
#include "net/runtime.h"
#include "net/server.h"
#include "scenario/scenario.h"
#include "service/flaws.h"

namespace locksim::net {

// Sessions: client ids session * kClientsPerSession + c (c < 1000, the scenario limit).
inline constexpr uint32_t kClientsPerSession = 1024;
inline constexpr uint32_t kSessions = (uint32_t{kMaxWireClientId} + 1) / kClientsPerSession - 1;

// A session drawn at random (std::random_device): two runs share one with chance 1/kSessions.
uint32_t NewSession();
// The name lock `name` has on the wire in `session`.
std::string SessionLockName(uint32_t session, const std::string& name);

struct LoadOptions {
  const scenario::Scenario* scenario = nullptr;  // REQUIRES: has a workload
  uint64_t seed = 1;
  std::vector<asio::ip::tcp::endpoint> primary;
  std::vector<asio::ip::tcp::endpoint> backup;
  std::string primary_name;  // as the user wrote them, for messages
  std::string backup_name;
  service::Flaw flaw = service::Flaw::kNone;  // clerk flaws only matter here
  uint32_t session = 0;
  // Both servers must answer within this before the workload starts.
  std::chrono::milliseconds connect_timeout{10'000};
  // The workload is abandoned after this; calls still open count as not completed.
  std::chrono::milliseconds deadline{600'000};
  LogSink log;  // connection events; may be empty
};

struct LoadOutcome {
  // Clients 0..N-1 and the scenario's lock names; times in microseconds since the workload began.
  check::History history;
  std::vector<bool> gave_up;  // per operation: its clerk reported failure
  int64_t completed = 0;
  int64_t failed = 0;
  bool deadline_hit = false;
  int64_t elapsed_us = 0;             // the workload's start to its last return
  std::vector<int64_t> latencies_us;  // invoke to return, per completed operation
  RuntimeStats calls;
};

// Errors: a lock name too long for the wire (kInvalidArgument), a server that cannot be reached
// or is not the server it should be (kUnavailable / kInvalidArgument). Each names the server.
absl::StatusOr<LoadOutcome> RunLoad(const LoadOptions& options);

}  // namespace locksim::net

#endif  // LOCKSIM_NET_LOAD_DRIVER_H_
