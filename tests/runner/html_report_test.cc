// The report page's data and assembly, without a browser (tests/browser loads the page in one):
// what the data says about a run matches the run, the page is a pure function of the run, and
// nothing embedded can break out of its element.
#include "runner/html_report.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "runner/simulation.h"
#include "scenario/scenario_parser.h"
#include "service/flaws.h"
#include "service/node_id.h"

namespace locksim::runner {
namespace {

using nlohmann::json;

struct Page {
  RunResult result;
  json data;
  std::string html;
};

Page Render(const scenario::Scenario& scenario, uint64_t seed, service::Flaw flaw) {
  HtmlReportSink sink;
  RunOptions options;
  options.seed = seed;
  options.flaw = flaw;
  options.scenario_path = scenario.file;
  options.sinks.push_back(&sink);
  Page page;
  page.result = RunScenario(scenario, options);
  page.data =
      HtmlReportData(page.result, scenario, sink.events(), service::NodeNames(scenario.clients));
  std::ostringstream out;
  WriteHtmlReport(page.result, scenario, sink, out);
  page.html = out.str();
  return page;
}

scenario::Scenario Load(const std::string& path) {
  absl::StatusOr<scenario::Scenario> scenario = scenario::LoadScenario(path);
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return *scenario;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// lab1/primary_fail2 with no-duplicate-table: the deaf primary executes client 1's Lock(c),
// loses the reply and halts; the re-sent request runs again at the backup and returns false.
class FailingLabRun : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    page_ = new Page(Render(Load(std::string(LOCKSIM_SCENARIOS_DIR) + "/lab1/primary_fail2.json"),
                            1, service::Flaw::kNoDuplicateTable));
  }
  static void TearDownTestSuite() { delete page_; }
  static const Page* page_;
};
const Page* FailingLabRun::page_ = nullptr;

TEST_F(FailingLabRun, EveryMessageWithItsFate) {
  const json& msgs = page_->data["msgs"];
  const sim::NetworkStats& n = page_->result.network;
  ASSERT_EQ(msgs.size(), n.sent) << page_->result.repro;
  uint64_t delivered = 0, discarded = 0;
  for (const json& m : msgs) {
    for (size_t i = 8; i + 2 < m.size(); i += 3) {
      delivered += m[i] == static_cast<int>(HtmlMessageEnd::kDeliver);
      discarded += m[i] == static_cast<int>(HtmlMessageEnd::kDiscard);
    }
  }
  EXPECT_EQ(delivered, n.delivered);
  EXPECT_EQ(discarded, n.discarded);
  // The first message is client 0's request of call 1 (linked through its call_start).
  EXPECT_EQ(msgs[0][5], "request c0#1 lock(a)");
  EXPECT_EQ(msgs[0][6], 1);
}

TEST_F(FailingLabRun, RefusedAndTimedOutCallsNameTheirRequest) {
  int refused = 0, timeouts = 0;
  for (const json& mark : page_->data["marks"]) {
    const int kind = mark[0];
    if (kind != static_cast<int>(HtmlMark::kCallRefused) &&
        kind != static_cast<int>(HtmlMark::kCallTimeout)) {
      continue;
    }
    (kind == static_cast<int>(HtmlMark::kCallRefused) ? refused : timeouts)++;
    ASSERT_EQ(mark.size(), 10u);
    const int64_t request = mark[9];
    ASSERT_GE(request, 1) << mark.dump();
    EXPECT_EQ(page_->data["msgs"][request - 1][6], mark[5]) << "the request belongs to the call";
  }
  EXPECT_EQ(refused, static_cast<int>(page_->result.network.calls_refused));
  EXPECT_EQ(timeouts, static_cast<int>(page_->result.network.calls_timed_out));
}

TEST_F(FailingLabRun, OperationsWithTheirStepsAndResults) {
  const json& ops = page_->data["ops"];
  ASSERT_EQ(ops.size(), 6u);
  // #2: client 1's Lock(c), steps[3], expected true, returned false.
  EXPECT_EQ(ops[2][0], 1);
  EXPECT_EQ(ops[2][1], 0);
  EXPECT_EQ(page_->data["locks"][ops[2][2].get<int>()][0], "c");
  EXPECT_EQ(ops[2][3], 8000);
  EXPECT_EQ(ops[2][5], 2010000);
  EXPECT_EQ(ops[2][7], 0);
  EXPECT_EQ(ops[2][8], 3);
  EXPECT_EQ(ops[2][9], 1);
  for (const json& op : ops) EXPECT_GE(op[6], op[4]) << "returns after its invoke in the trace";
}

TEST_F(FailingLabRun, TheCheckersExplanationAndLockOrder) {
  const json& explain = page_->data["explain"];
  ASSERT_TRUE(explain.is_object());
  EXPECT_EQ(explain["lock"], "c");
  EXPECT_EQ(explain["ops"], json::array({2}));
  EXPECT_NE(explain["why"].get<std::string>().find("cannot have found the lock held"),
            std::string::npos);
  const json& locks = page_->data["locks"];
  ASSERT_EQ(locks.size(), 3u);
  EXPECT_EQ(locks[0][0], "a");
  EXPECT_EQ(locks[0][1], 1);
  EXPECT_EQ(locks[0][3].size(), 1u) << "client 0 holds a to the end";
  EXPECT_EQ(locks[2][1], 0) << "c is not linearizable";
  EXPECT_GE(locks[2][4], 0) << "and has a stuck point";
}

TEST_F(FailingLabRun, FaultsAndCrash) {
  ASSERT_EQ(page_->data["faults"].size(), 1u);
  EXPECT_NE(page_->data["faults"][0][2].get<std::string>().find("deaf"), std::string::npos);
  int crashes = 0;
  for (const json& mark : page_->data["marks"]) {
    crashes += mark[0] == static_cast<int>(HtmlMark::kCrash);
  }
  EXPECT_EQ(crashes, 1);
}

TEST_F(FailingLabRun, PageIsSelfContainedWithItsData) {
  const std::string& html = page_->html;
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("id=\"run-data\""), std::string::npos);
  EXPECT_NE(html.find("\"scenario\":\"lab1_primary_fail2\""), std::string::npos);
  EXPECT_EQ(html.find("{{"), std::string::npos) << "every slot filled";
  EXPECT_EQ(Count(html, "</script>"), 3u) << "error catcher, data, script";
  for (const char* fetch : {"src=", "href=", "@import", "url(http", "fetch(", "XMLHttpRequest"}) {
    EXPECT_EQ(html.find(fetch), std::string::npos) << fetch;
  }
}

TEST(HtmlReport, SameRunSamePageByteForByte) {
  const scenario::Scenario scenario =
      Load(std::string(LOCKSIM_SCENARIOS_DIR) + "/lost_replies.json");
  const Page a = Render(scenario, 7, service::Flaw::kNone);
  const Page b = Render(scenario, 7, service::Flaw::kNone);
  EXPECT_EQ(a.html, b.html);
  EXPECT_EQ(a.data["msgs"].size(), a.result.network.sent);
}

TEST(HtmlReport, LockNamesCannotBreakOutOfTheScript) {
  const std::string nasty = R"(</script><script>alert(1)</script><!-- & \u2028 \u0001)";
  const absl::StatusOr<scenario::Scenario> scenario =
      scenario::ParseScenario(R"({"clients": 1, "steps": [{"client": 0, "lock": ")" + nasty +
                                  R"(", "expect": true}, {"client": 0, "unlock": "x"}]})",
                              "nasty.json");
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  const Page page = Render(*scenario, 1, service::Flaw::kNone);
  EXPECT_EQ(Count(page.html, "</script>"), 3u);
  const size_t start = page.html.find("id=\"run-data\">") + 14;
  const size_t end = page.html.find("</script>", start);
  const std::string embedded = page.html.substr(start, end - start);
  EXPECT_EQ(embedded.find("<!--"), std::string::npos);
  EXPECT_EQ(embedded.find("\xe2\x80\xa8"), std::string::npos);
  // What the page's script reads back is the name itself.
  const json data = json::parse(embedded);
  EXPECT_EQ(data["locks"][0][0], "</script><script>alert(1)</script><!-- & \xe2\x80\xa8 \x01");
}

TEST(HtmlReport, JsonForScriptElementEscapesWhatCouldEndTheElement) {
  EXPECT_EQ(JsonForScriptElement(R"({"a":"</script>&"})"), R"({"a":"\u003c/script\u003e\u0026"})");
  EXPECT_EQ(JsonForScriptElement("\"\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa\""),
            "\"\\u2028\\u2029\xe2\x80\xaa\"");
  EXPECT_EQ(JsonForScriptElement("[1,2]"), "[1,2]");
}

}  // namespace
}  // namespace locksim::runner
