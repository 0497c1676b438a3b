// The scenario keys that name messages: `network.messages`, a crash step's `after`, a deaf step's
// `at` (docs/scenario-format.md, "Naming messages"), what they parse to and every error.
#include "scenario/message_rules_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "scenario/scenario_parser.h"

namespace locksim::scenario {
namespace {

using sim::MessageSelector;
using sim::MessageType;

Scenario Parse(const std::string& json) {
  absl::StatusOr<Scenario> s = ParseScenario(json, "x.json");
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : Scenario{};
}

std::string Error(const std::string& json) {
  const absl::StatusOr<Scenario> s = ParseScenario(json, "x.json");
  if (s.ok()) return "parsed";
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.status().message());
}

// A two-client scripted scenario whose `network.messages` is [rule].
std::string RuleError(const std::string& rule) {
  return Error(R"({"clients": 2, "network": {"messages": [)" + rule +
               R"(]}, "steps": [{"sleep_ms": 1}]})");
}

// A two-client scripted scenario whose one step is `step`.
std::string StepError(const std::string& step) {
  return Error(R"({"clients": 2, "steps": [)" + step + "]}");
}

TEST(MessageRulesParser, RulesParseToSelectorsAndFates) {
  const Scenario s = Parse(R"({"clients": 2, "network": {"latency_ms": {"min": 1, "max": 5},
    "messages": [
      {"message": "reply", "client": 1, "call": 2, "lose": true},
      {"message": "forward", "client": 0, "call": 1, "nth": 2, "latency_ms": 4},
      {"message": "request", "client": 0, "call": 3, "to": "backup", "duplicate": true,
       "latency_ms": [1, 3]},
      {"message": "refusal", "client": 1, "call": 1, "latency_ms": 2}
    ]}, "steps": [{"sleep_ms": 1}]})");
  ASSERT_EQ(s.network.messages.size(), 4u);
  const sim::MessageFateRule& lost = s.network.messages[0];
  EXPECT_EQ(lost.message, (MessageSelector{MessageType::kReply, 1, 2, -1, -1, 1}));
  EXPECT_TRUE(lost.lose);
  EXPECT_EQ(lost.label, "network.messages[0]");
  const sim::MessageFateRule& slow = s.network.messages[1];
  EXPECT_EQ(slow.message.nth, 2u);
  EXPECT_FALSE(slow.lose);
  EXPECT_EQ(slow.latency[0], sim::Duration::Millis(4));
  EXPECT_FALSE(slow.latency[1].has_value());
  const sim::MessageFateRule& twice = s.network.messages[2];
  EXPECT_EQ(twice.message.to, service::kBackupNode);
  EXPECT_TRUE(twice.duplicate);
  EXPECT_EQ(twice.latency[0], sim::Duration::Millis(1));
  EXPECT_EQ(twice.latency[1], sim::Duration::Millis(3));
  EXPECT_EQ(s.network.messages[3].message.type, MessageType::kRefusal);
}

TEST(MessageRulesParser, AnchoredCrashAndDeafSteps) {
  const Scenario s = Parse(R"({"clients": 2, "steps": [
    {"crash": "primary", "after": {"message": "forward", "client": 1, "call": 1}},
    {"crash": "backup", "after": {"message": "request", "client": 0, "call": 2}},
    {"deaf": "primary", "at": {"message": "request", "client": 0, "call": 1, "nth": 2}},
    {"crash": "primary"}
  ]})");
  ASSERT_EQ(s.steps.size(), 4u);
  const auto& forward = std::get<CrashStep>(s.steps[0]);
  EXPECT_EQ(forward.server, service::kPrimaryNode);
  ASSERT_TRUE(forward.after.has_value());
  EXPECT_EQ(forward.after->type, MessageType::kForward);
  // A request's receiver defaults to the crashing server.
  const auto& request = std::get<CrashStep>(s.steps[1]);
  ASSERT_TRUE(request.after.has_value());
  EXPECT_EQ(request.after->to, service::kBackupNode);
  const auto& deaf = std::get<DeafStep>(s.steps[2]);
  ASSERT_TRUE(deaf.at.has_value());
  EXPECT_EQ(*deaf.at, (MessageSelector{MessageType::kRequest, 0, 1, -1, service::kPrimaryNode, 2}));
  EXPECT_FALSE(std::get<CrashStep>(s.steps[3]).after.has_value());
}

TEST(MessageRulesParser, DescribeSaysWhichMessage) {
  EXPECT_EQ(sim::DescribeSelector(MessageSelector{MessageType::kReply, 0, 2, 0, -1, 1}),
            "the reply of client 0's call 2 from primary");
  EXPECT_EQ(sim::DescribeSelector(MessageSelector{MessageType::kForwardReply, 1, 1, -1, -1, 3}),
            "the 3rd forward ack of client 1's call 1");
}

TEST(MessageRulesParser, RuleErrorsNameFileAndPath) {
  EXPECT_EQ(Error(R"({"network": {"messages": {}}, "steps": [{"sleep_ms": 1}]})"),
            "x.json: network.messages: expected an array, found an object");
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": 0, "lose": true})"),
            "x.json: network.messages[0]: a named message needs \"call\" (e.g. {\"message\": "
            "\"reply\", \"client\": 0, \"call\": 1})");
  EXPECT_EQ(RuleError(R"({"message": "ack", "client": 0, "call": 1, "lose": true})"),
            "x.json: network.messages[0].message: \"ack\" is not a message type (expected "
            "request, reply, forward, forward_reply or refusal)");
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": 2, "call": 1, "lose": true})"),
            "x.json: network.messages[0].client: client 2 does not exist (clients: 2)");
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": -1, "call": 1, "lose": true})"),
            "x.json: network.messages[0].client: client -1 does not exist (clients: 2)");
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": "a", "call": 1, "lose": true})"),
            "x.json: network.messages[0].client: expected a client number, found a string");
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": 0, "call": 1})"),
            "x.json: network.messages[0]: say what happens to the message: \"lose\": true, "
            "\"duplicate\": true or \"latency_ms\"");
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": 0, "call": 1, "lose": true, "dup": 1})")
                .rfind("x.json: network.messages[0].dup: unknown key (expected one of: ", 0),
            0u);
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": 0, "call": 1, "from": "client0",
                          "lose": true})"),
            "x.json: network.messages[0].from: client0 cannot be the sender of a reply (a "
            "server)");
  EXPECT_EQ(RuleError(R"({"message": "forward", "client": 0, "call": 1, "to": "primary",
                          "lose": true})"),
            "x.json: network.messages[0].to: primary cannot be the receiver of a forward (the "
            "backup)");
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": 0, "call": 1, "to": "client7",
                          "lose": true})")
                .rfind("x.json: network.messages[0].to: ", 0),
            0u);
  EXPECT_EQ(RuleError(R"({"message": "refusal", "client": 0, "call": 1, "lose": true})"),
            "x.json: network.messages[0].lose: a refusal (a refused connection) can only be "
            "delayed: give \"latency_ms\"");
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": 0, "call": 1, "lose": true,
                          "latency_ms": 3})"),
            "x.json: network.messages[0].latency_ms: a lost message is neither duplicated nor "
            "delayed");
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": 0, "call": 1, "latency_ms": [1, 2]})"),
            "x.json: network.messages[0].latency_ms: a list gives the two copies of a duplicated "
            "message: [first, second] with \"duplicate\": true");
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": 0, "call": 0, "lose": true})")
                .rfind("x.json: network.messages[0].call: ", 0),
            0u);
  EXPECT_EQ(RuleError(R"({"message": "reply", "client": 0, "call": 1, "nth": 0, "lose": true})")
                .rfind("x.json: network.messages[0].nth: ", 0),
            0u);
}

TEST(MessageRulesParser, AnchorErrorsNameFileAndPath) {
  EXPECT_EQ(StepError(R"({"sleep_ms": 1, "after": {"message": "reply", "client": 0, "call": 1}})"),
            "x.json: steps[0].after: only a crash step takes \"after\"");
  EXPECT_EQ(
      StepError(R"({"crash": "primary", "at": {"message": "reply", "client": 0, "call": 1}})"),
      "x.json: steps[0].at: only a deaf step takes \"at\"");
  EXPECT_EQ(StepError(R"({"crash": "primary", "after": {"message": "refusal", "client": 0,
                          "call": 1}})"),
            "x.json: steps[0].after.message: a server neither sends nor handles a refusal; name a "
            "request, reply, forward or forward_reply");
  EXPECT_EQ(StepError(R"({"crash": "primary", "after": {"message": "reply", "client": 0,
                          "call": 1, "from": "backup"}})"),
            "x.json: steps[0].after.from: the primary neither sends nor handles a reply from "
            "backup");
  EXPECT_EQ(StepError(R"({"deaf": "primary", "at": {"message": "reply", "client": 0, "call": 1}})"),
            "x.json: steps[0].at.message: a server turns deaf at a client request: expected "
            "\"request\"");
  EXPECT_EQ(StepError(R"({"deaf": "primary", "at": {"message": "request", "client": 0, "call": 1,
                          "to": "backup"}})"),
            "x.json: steps[0].at.to: the request must go to the primary that turns deaf");
  EXPECT_EQ(StepError(R"({"deaf": "primary", "at": {"message": "request", "client": 0,
                          "call": 1, "lose": true}})")
                .rfind("x.json: steps[0].at.lose: unknown key (expected one of: ", 0),
            0u);
}

}  // namespace
}  // namespace locksim::scenario
