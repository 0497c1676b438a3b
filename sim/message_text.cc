#include "sim/message_text.h"

#include <type_traits>

#include "absl/strings/str_cat.h"
#include "sim/trace.h"

namespace locksim::sim {
namespace {

const char* OpName(service::OpKind op) { return op == service::OpKind::kLock ? "lock" : "unlock"; }

std::string RequestIdText(const service::RequestId& id) {
  return absl::StrCat("c", id.client, "#", id.sequence);
}

uint64_t HashRequestId(uint64_t h, const service::RequestId& id) {
  return MixHash(MixHash(h, static_cast<uint64_t>(id.client)), id.sequence);
}

}  // namespace

std::string DescribeMessage(const service::Message& message) {
  return std::visit(
      [](const auto& m) -> std::string {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, service::ClientRequest>) {
          return absl::StrCat("request ", RequestIdText(m.id), " ", OpName(m.op), "(", m.lock, ")");
        } else if constexpr (std::is_same_v<T, service::ClientReply>) {
          return absl::StrCat("reply ", RequestIdText(m.id), " = ", m.result ? "true" : "false");
        } else if constexpr (std::is_same_v<T, service::ForwardRequest>) {
          return absl::StrCat("forward #", m.order, " ", RequestIdText(m.id), " ", OpName(m.op),
                              "(", m.lock, ") = ", m.result ? "true" : "false");
        } else {
          return absl::StrCat("forward_ack #", m.order);
        }
      },
      message);
}

uint64_t MessageHash(const service::Message& message) {
  const uint64_t h = static_cast<uint64_t>(message.index()) + 1;
  return std::visit(
      [h](const auto& m) -> uint64_t {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, service::ClientRequest>) {
          return MixHash(MixHash(HashRequestId(h, m.id), static_cast<uint64_t>(m.op)),
                         HashBytes(m.lock));
        } else if constexpr (std::is_same_v<T, service::ClientReply>) {
          return MixHash(HashRequestId(h, m.id), m.result ? 1 : 0);
        } else if constexpr (std::is_same_v<T, service::ForwardRequest>) {
          uint64_t x =
              MixHash(HashRequestId(MixHash(h, m.order), m.id), static_cast<uint64_t>(m.op));
          return MixHash(MixHash(x, HashBytes(m.lock)), m.result ? 1 : 0);
        } else {
          return MixHash(h, m.order);
        }
      },
      message);
}

}  // namespace locksim::sim
