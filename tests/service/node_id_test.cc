// Node names: NodeName and ParseNodeName are one pair, each the other's inverse, with one
// spelling per node.
#include "service/node_id.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/status/status.h"

namespace locksim::service {
namespace {

TEST(NodeId, NamesServersThenClients) {
  EXPECT_EQ(NodeName(kPrimaryNode), "primary");
  EXPECT_EQ(NodeName(kBackupNode), "backup");
  EXPECT_EQ(NodeName(ClientNode(0)), "client0");
  EXPECT_EQ(NodeName(ClientNode(12)), "client12");
  EXPECT_EQ(NodeNames(2), (std::vector<std::string>{"primary", "backup", "client0", "client1"}));
  EXPECT_EQ(ClientOf(ClientNode(7)), 7);
}

TEST(NodeId, ParseIsTheInverseOfName) {
  constexpr int kClients = 1000;
  for (NodeId node = 0; node < ClientNode(kClients); ++node) {
    const absl::StatusOr<NodeId> parsed = ParseNodeName(NodeName(node), kClients);
    ASSERT_TRUE(parsed.ok()) << NodeName(node) << ": " << parsed.status();
    EXPECT_EQ(*parsed, node);
  }
}

TEST(NodeId, AClientBeyondTheRunIsOutOfRange) {
  for (const auto& [name, message] :
       {std::pair<std::string, std::string>{"client3", "client 3 does not exist (clients: 3)"},
        {"client999999999", "client 999999999 does not exist (clients: 3)"},
        {"client99999999999999999999999",
         "client 99999999999999999999999 does not exist "
         "(clients: 3)"}}) {
    const absl::StatusOr<NodeId> parsed = ParseNodeName(name, 3);
    EXPECT_EQ(parsed.status(), absl::OutOfRangeError(message)) << name;
  }
  EXPECT_EQ(ParseNodeName("client0", 0).status(),
            absl::OutOfRangeError("client 0 does not exist (clients: 0)"));
}

TEST(NodeId, AnythingElseIsNotANodeName) {
  for (const std::string name :
       {"", "Primary", "primary ", "server", "client", "clients", "client01", "client-1",
        "client+1", "client 1", "client1x", "0", "backup0"}) {
    const absl::StatusOr<NodeId> parsed = ParseNodeName(name, 3);
    EXPECT_EQ(parsed.status(), absl::InvalidArgumentError("\"" + name + "\" is not a node name"))
        << name;
  }
}

}  // namespace
}  // namespace locksim::service
