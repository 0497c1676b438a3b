// Decision files (runner/decision_file.h): what is written reads back equal, and every malformed
// file is an error naming the file and the JSON path.
#include "runner/decision_file.h"

#include <gtest/gtest.h>

#include <string>

#include "service/node_id.h"

namespace locksim::runner {
namespace {

using nlohmann::json;

DecisionFile Sample() {
  DecisionFile file;
  file.scenario = "primary_crash";
  file.seed = 17;
  file.flaw = "no-duplicate-table";
  file.schedule = "swarm";
  file.decisions.Append(sim::DecisionStream::Workload(1),
                        {sim::DecisionKind::kMoreOperations, 2, 1});
  file.decisions.Append(sim::DecisionStream::Workload(1),
                        {sim::DecisionKind::kThinkTime, 5001, 17});
  file.decisions.Append(sim::DecisionStream::Link(service::kPrimaryNode, service::ClientNode(2)),
                        {sim::DecisionKind::kDrop, 2, 1});
  file.decisions.Append(sim::DecisionStream::Order(),
                        {sim::DecisionKind::kSimultaneousOrder, 3, 2});
  return file;
}

absl::StatusOr<DecisionFile> Parse(const std::string& text, int clients = 3) {
  return DecisionFileFromJson(json::parse(text), "d.json", clients);
}

TEST(DecisionFile, WhatIsWrittenReadsBackEqual) {
  const DecisionFile file = Sample();
  const std::string text = DecisionFileText(file);
  absl::StatusOr<DecisionFile> back = Parse(text);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << text;
  EXPECT_EQ(*back, file);
  // One stream per line, so that two files diff well.
  EXPECT_NE(text.find("\n  \"workload client1\": [[\"more_operations\", 2, 1], [\"think_time\", "
                      "5001, 17]]"),
            std::string::npos)
      << text;
}

TEST(DecisionFile, AnEmptyListAndNullsReadBack) {
  DecisionFile file;
  file.scenario = "x";
  const std::string text = DecisionFileText(file);
  absl::StatusOr<DecisionFile> back = Parse(text);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << text;
  EXPECT_EQ(*back, file);
}

TEST(DecisionFile, ErrorsNameTheFileAndThePath) {
  const auto error = [](const std::string& text, int clients = 3) {
    absl::StatusOr<DecisionFile> file = Parse(text, clients);
    EXPECT_FALSE(file.ok()) << text;
    return file.ok() ? std::string() : std::string(file.status().message());
  };
  const std::string head = R"({"format": "locksim-decisions", "version": 1, )";
  EXPECT_EQ(error("[]"), "d.json: (root): expected an object");
  EXPECT_NE(error(R"({"format": "x", "version": 1, "streams": {}})").find("d.json: format:"),
            std::string::npos);
  EXPECT_NE(error(R"({"format": "locksim-decisions", "version": 2, "streams": {}})")
                .find("d.json: version:"),
            std::string::npos);
  EXPECT_EQ(error(head + R"("streams": {}, "colour": 1})"), "d.json: colour: unknown key");
  EXPECT_EQ(error(head + R"("seed": -1, "streams": {}})"),
            "d.json: seed: expected a non-negative integer");
  EXPECT_EQ(error(head + R"("streams": {"link primary>client7": []}})"),
            "d.json: streams[\"link primary>client7\"]: client 7 does not exist (clients: 3)");
  EXPECT_NE(
      error(head + R"("streams": {"nowhere": []}})").find("streams[\"nowhere\"]: not a stream"),
      std::string::npos);
  EXPECT_EQ(error(head + R"("streams": {"plan": [["fault_time", 10]]}})"),
            "d.json: streams[\"plan\"][0]: expected [kind, bound, value]: a kind name and two "
            "integers");
  EXPECT_EQ(error(head + R"("streams": {"plan": [["warp", 10, 1]]}})"),
            "d.json: streams[\"plan\"][0]: \"warp\" is not a decision kind");
  EXPECT_EQ(
      error(head + R"("streams": {"plan": [["fault_time", 10, 1], ["fault_time", 10, 10]]}})"),
      "d.json: streams[\"plan\"][1]: expected 2 <= bound and 0 <= value < bound");
  EXPECT_EQ(error(head + R"("decisions": 3, "streams": {"plan": [["fault_time", 10, 1]]}})"),
            "d.json: decisions: says 3 but the streams hold 1 decisions");
}

TEST(DecisionFile, LoadNamesUnreadableAndMalformedFiles) {
  EXPECT_EQ(LoadDecisionFile("/nonexistent/d.json", 1).status().message(),
            "/nonexistent/d.json: cannot read the file");
}

}  // namespace
}  // namespace locksim::runner
