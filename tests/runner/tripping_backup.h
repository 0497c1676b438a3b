// A test double for the backup that has a bug: it hands every call to the real backup, but one
// of its invariants fails on the forward with order `trip_order` (for lock `trip_lock`, or any
// lock when that is empty), as a backup applying forwards it should not would trip one of its
// own LOCKSIM_ASSERTs. Runs use it through RunOptions::node_double (TripBackupAt): it shows a
// failed assertion in protocol code becoming a finding, with no product flaw needed.
#ifndef LOCKSIM_TESTS_RUNNER_TRIPPING_BACKUP_H_
#define LOCKSIM_TESTS_RUNNER_TRIPPING_BACKUP_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <variant>

#include "base/assert.h"
#include "runner/simulation.h"
#include "service/environment.h"
#include "service/messages.h"
#include "service/node_id.h"

namespace locksim::runner::testing {

class TrippingBackup : public service::Node {
 public:
  TrippingBackup(service::Node& real, uint64_t trip_order, std::string trip_lock)
      : real_(real), trip_order_(trip_order), trip_lock_(std::move(trip_lock)) {}

  void OnCall(service::NodeId from, service::ReplyToken token,
              const service::Message& request) override {
    if (const auto* forward = std::get_if<service::ForwardRequest>(&request)) {
      const bool tripping =
          forward->order == trip_order_ && (trip_lock_.empty() || forward->lock == trip_lock_);
      LOCKSIM_ASSERT(!tripping);
    }
    real_.OnCall(from, token, request);
  }
  void OnCallReply(service::CallId call, const service::Message& reply) override {
    real_.OnCallReply(call, reply);
  }
  void OnCallFailed(service::CallId call, service::CallFailure failure) override {
    real_.OnCallFailed(call, failure);
  }
  void OnTimer(service::TimerId timer) override { real_.OnTimer(timer); }

 private:
  service::Node& real_;
  const uint64_t trip_order_;
  const std::string trip_lock_;
};

// `options` with the backup replaced by a TrippingBackup.
inline RunOptions TripBackupAt(RunOptions options, uint64_t trip_order,
                               std::string trip_lock = "") {
  options.node_double = [trip_order, trip_lock](
                            service::NodeId node,
                            service::Node& real) -> std::unique_ptr<service::Node> {
    if (node != service::kBackupNode) return nullptr;
    return std::make_unique<TrippingBackup>(real, trip_order, trip_lock);
  };
  return options;
}

}  // namespace locksim::runner::testing

#endif  // LOCKSIM_TESTS_RUNNER_TRIPPING_BACKUP_H_
