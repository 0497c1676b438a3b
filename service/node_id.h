// Who is who in a run: node ids and node names, in one place. The two servers come first, then
// one node per client. Every place that shows a node to a person (traces, fault descriptions,
// timelines) writes NodeName, and every place that reads one (scenario files) parses it with
// ParseNodeName, so a name always means the same node.
#ifndef LOCKSIM_SERVICE_NODE_ID_H_
#define LOCKSIM_SERVICE_NODE_ID_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace locksim::service {

using ClientId = int32_t;

// Nodes are small integers: the two servers first, then one per client.
using NodeId = int32_t;
inline constexpr NodeId kPrimaryNode = 0;
inline constexpr NodeId kBackupNode = 1;
inline constexpr NodeId ClientNode(ClientId client) { return 2 + client; }
inline constexpr bool IsServerNode(NodeId node) {
  return node == kPrimaryNode || node == kBackupNode;
}
// The client a client node belongs to. REQUIRES: `node` is a client node.
inline constexpr ClientId ClientOf(NodeId node) { return node - ClientNode(0); }

// "primary", "backup", "client0", "client1", ... REQUIRES: node >= 0.
std::string NodeName(NodeId node);
// Every node's name in a run with `clients` clients, indexed by node id.
std::vector<std::string> NodeNames(int clients);

// The node `name` names in a run with `clients` clients: exactly what NodeName writes
// ("client<i>" without leading zeros). Errors: kOutOfRange "client 7 does not exist (clients: 3)"
// for a client name beyond `clients`; kInvalidArgument "\"x\" is not a node name" for anything
// else. REQUIRES: clients >= 0.
absl::StatusOr<NodeId> ParseNodeName(std::string_view name, int clients);

}  // namespace locksim::service

#endif  // LOCKSIM_SERVICE_NODE_ID_H_
