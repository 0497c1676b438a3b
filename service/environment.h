// The only way protocol code touches the world. The simulator implements it (sim/ + runner/);
// a real network could implement it without changing a line of the protocol. Nothing in service/
// includes anything from sim/.
//
// Rules every implementation keeps, and protocol code may rely on:
// - Handlers run to completion: a Call, Reply or StartTimer made inside a handler never calls
//   back into any node before that handler returns.
// - Every Call gets exactly one outcome later: Node::OnCallReply or Node::OnCallFailed (kRefused
//   soon when the callee is down; kTimeout when no reply came within the environment's RPC
//   timeout). A duplicated or late reply is never handed to the node twice.
// - A crashed node gets no more calls of any of its handlers, and its timers never fire.
#ifndef LOCKSIM_SERVICE_ENVIRONMENT_H_
#define LOCKSIM_SERVICE_ENVIRONMENT_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "service/messages.h"

namespace locksim::service {

using Micros = std::chrono::microseconds;  // integer time; the only unit the protocol sees

using CallId = uint64_t;      // an outgoing call, as its caller knows it
using ReplyToken = uint64_t;  // an incoming call, as its callee answers it
using TimerId = uint64_t;

enum class CallFailure : uint8_t {
  kRefused,  // the callee is down ("connection refused"): learned fast
  kTimeout,  // no reply within the RPC timeout: the callee may or may not have acted
};

// What a clerk reports when a Lock/Unlock call ends.
struct CompletedOperation {
  RequestId id;
  OpKind op = OpKind::kLock;
  std::string lock;
  std::optional<bool> result;  // nullopt: the clerk gave up; whether it took effect is unknown
};

class Environment {
 public:
  virtual ~Environment() = default;

  // Starts an RPC to `to`; its outcome arrives later through OnCallReply or OnCallFailed.
  virtual CallId Call(NodeId to, Message request) = 0;
  // Answers an incoming call. REQUIRES: `token` came with OnCall and has not been answered.
  virtual void Reply(ReplyToken token, Message reply) = 0;
  // OnTimer(id) runs once, `delay` from now, unless cancelled first.
  virtual TimerId StartTimer(Micros delay) = 0;
  // Cancelling a timer that fired or was cancelled already is allowed and does nothing.
  virtual void CancelTimer(TimerId id) = 0;
  virtual Micros Now() const = 0;
  // Clerks only: the user's Lock/Unlock call has ended.
  virtual void OperationCompleted(const CompletedOperation& operation) = 0;
};

// A protocol participant: a lock server or a clerk.
class Node {
 public:
  virtual ~Node() = default;
  virtual void OnCall(NodeId from, ReplyToken token, const Message& request) = 0;
  virtual void OnCallReply(CallId call, const Message& reply) = 0;
  virtual void OnCallFailed(CallId call, CallFailure failure) = 0;
  virtual void OnTimer(TimerId timer) = 0;
};

}  // namespace locksim::service

#endif  // LOCKSIM_SERVICE_ENVIRONMENT_H_
