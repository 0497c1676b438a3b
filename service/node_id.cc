#include "service/node_id.h"

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/assert.h"

namespace locksim::service {
namespace {

constexpr std::string_view kClientPrefix = "client";

}  // namespace

std::string NodeName(NodeId node) {
  LOCKSIM_ASSERT(node >= 0);
  if (node == kPrimaryNode) return "primary";
  if (node == kBackupNode) return "backup";
  return absl::StrCat(std::string(kClientPrefix), ClientOf(node));
}

std::vector<std::string> NodeNames(int clients) {
  std::vector<std::string> names;
  for (NodeId node = 0; node < ClientNode(clients); ++node) names.push_back(NodeName(node));
  return names;
}

absl::StatusOr<NodeId> ParseNodeName(std::string_view name, int clients) {
  LOCKSIM_ASSERT(clients >= 0);
  if (name == "primary") return kPrimaryNode;
  if (name == "backup") return kBackupNode;
  const std::string_view digits =
      name.starts_with(kClientPrefix) ? name.substr(kClientPrefix.size()) : std::string_view();
  // Decimal digits without a leading zero (but "client0"): one spelling per node.
  const bool is_client_name = !digits.empty() &&
                              digits.find_first_not_of("0123456789") == std::string_view::npos &&
                              (digits.size() == 1 || digits[0] != '0');
  if (!is_client_name) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", std::string(name), "\" is not a node name"));
  }
  // Nine digits always fit; a longer number is beyond any run's clients.
  uint32_t client = 0;
  if (digits.size() <= 9 && absl::SimpleAtoi(std::string(digits), &client) &&
      client < static_cast<uint32_t>(clients)) {
    return ClientNode(static_cast<ClientId>(client));
  }
  return absl::OutOfRangeError(
      absl::StrCat("client ", std::string(digits), " does not exist (clients: ", clients, ")"));
}

}  // namespace locksim::service
