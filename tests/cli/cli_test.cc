// The locksim program as users and CI scripts see it: exit statuses, stdout/stderr, the JSON
// objects of docs/command-line.md, and the files it writes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class Cli : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("locksim_cli_test_" + std::to_string(::getpid()) + "_" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `locksim ARGS` from the source directory (so scenario paths are the README's).
  Outcome Locksim(const std::string& args) {
    const fs::path out = dir_ / "stdout";
    const fs::path err = dir_ / "stderr";
    const std::string command = "cd '" LOCKSIM_SOURCE_DIR "' && NO_COLOR=1 '" LOCKSIM_BINARY "' " +
                                args + " >'" + out.string() + "' 2>'" + err.string() +
                                "' </dev/null";
    const int raw = std::system(command.c_str());
    Outcome outcome;
    outcome.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    outcome.out = ReadFile(out);
    outcome.err = ReadFile(err);
    return outcome;
  }

  fs::path Write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }

  fs::path dir_;
};

TEST_F(Cli, HelpExitsZero) {
  const Outcome o = Locksim("--help");
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("run"), std::string::npos);
  EXPECT_EQ(Locksim("run --help").status, 0);
  EXPECT_EQ(Locksim("sweep --help").status, 0);
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(Locksim("").status, 2);
  EXPECT_EQ(Locksim("frobnicate").status, 2);
  EXPECT_EQ(Locksim("run").status, 2);
  EXPECT_EQ(Locksim("run scenarios/no_faults.json --seed banana").status, 2);
  EXPECT_EQ(Locksim("run scenarios/no_faults.json --bogus").status, 2);
  EXPECT_EQ(Locksim("sweep scenarios/no_faults.json").status, 2) << "--seeds is required";
}

TEST_F(Cli, NegativeOrHugeNumbersAreBadInputNotWrappedAround) {
  EXPECT_EQ(Locksim("run scenarios/no_faults.json --seed -1").status, 2);
  EXPECT_EQ(Locksim("run scenarios/no_faults.json --seed 18446744073709551616").status, 2);
  EXPECT_EQ(Locksim("run scenarios/no_faults.json --seed 18446744073709551615").status, 0);
  EXPECT_EQ(Locksim("sweep scenarios/no_faults.json --seeds -5").status, 2);
  EXPECT_EQ(Locksim("sweep scenarios/no_faults.json --seeds 10 --jobs 0").status, 2);
  EXPECT_EQ(Locksim("sweep scenarios/no_faults.json --seeds 10 --jobs -3").status, 2);
  EXPECT_EQ(Locksim("sweep scenarios/no_faults.json --seeds 10 --max-failures -1").status, 2);
  EXPECT_EQ(Locksim("sweep scenarios/no_faults.json --seeds 10 --first-seed -1").status, 2);
}

TEST_F(Cli, MissingScenarioNamesTheFile) {
  const Outcome o = Locksim("run does/not/exist.json");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("does/not/exist.json"), std::string::npos) << o.err;
  EXPECT_EQ(o.out, "") << "nothing on stdout for bad input";
}

TEST_F(Cli, MalformedScenarioNamesFileAndJsonPath) {
  const fs::path bad =
      Write("bad.json", R"({"clients": 2, "steps": [{"client": 5, "lock": "a"}]})");
  const Outcome o = Locksim("run '" + bad.string() + "' --json");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("bad.json"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("steps[0].client"), std::string::npos) << o.err;
  EXPECT_EQ(o.out, "");
}

// Hostile scenario text (issue #11 item 3): every case is bad input naming the file and the JSON
// path, for run and sweep alike, with nothing on stdout; never a signal.
TEST_F(Cli, HostileScenariosAreBadInputNeverACrash) {
  using namespace std::string_literals;
  const std::string deep(200'000, '[');
  const std::string shut(200'000, ']');
  const std::vector<std::pair<std::string, std::string>> cases = {
      // file text, the start of the message after the file name
      {R"({"clients": 1e400, "steps": [{"sleep_ms": 1}]})", ": clients: 1e400 is beyond"},
      {"1e400", ": (root): 1e400 is beyond"},
      {R"({"workload": {"ops_per_client": 1, "locks": )" + deep + shut + "}}",
       ": workload.locks[0][0]"},
      {R"({"unknown": )" + deep + shut + "}", ": unknown[0][0]"},
      {R"({"steps": [{"client": 0, "lock": "a"}]})"s + '\0' + "garbage{{{",
       ": (root): a NUL byte at line 1, column 40"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string name = "hostile" + std::to_string(i) + ".json";
    const fs::path file = Write(name, cases[i].first);
    for (const std::string& command :
         {"run '" + file.string() + "'", "run '" + file.string() + "' --json",
          "sweep '" + file.string() + "' --seeds 3 --json"}) {
      const Outcome o = Locksim(command);
      EXPECT_EQ(o.status, 2) << command << "\n" << o.err;
      EXPECT_EQ(o.out, "") << command;
      EXPECT_NE(o.err.find(name + cases[i].second), std::string::npos) << command << "\n" << o.err;
    }
  }
}

// Names in a scenario file are data: in the human output (run and sweep summaries, violation
// messages) a control character or terminal escape is shown escaped, never sent to the terminal;
// --json carries the exact string.
TEST_F(Cli, NamesFromTheFileAreEscapedInHumanOutput) {
  const fs::path file = Write("escapes.json", R"({"name": "x\u001b[2J", "clients": 1,
      "steps": [{"client": 0, "lock": "a\u001b[31mRED", "expect": false}]})");
  const Outcome run = Locksim("run '" + file.string() + "'");
  EXPECT_EQ(run.status, 1) << run.err;
  EXPECT_EQ(run.out.find('\x1b'), std::string::npos) << "NO_COLOR is set: no escape at all";
  EXPECT_NE(run.out.find("scenario   x\\x1b[2J"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("lock(\"a\\x1b[31mRED\") should return false"), std::string::npos)
      << run.out;
  const Outcome sweep = Locksim("sweep '" + file.string() + "' --seeds 2");
  EXPECT_EQ(sweep.status, 1) << sweep.err;
  EXPECT_EQ(sweep.out.find('\x1b'), std::string::npos);
  EXPECT_NE(sweep.out.find("lock(\"a\\x1b[31mRED\")"), std::string::npos) << sweep.out;
  const Outcome json_run = Locksim("run '" + file.string() + "' --json");
  EXPECT_EQ(json::parse(json_run.out)["scenario"], "x\x1b[2J") << "the exact name in JSON";
}

TEST_F(Cli, UnknownFlawIsBadInput) {
  const Outcome o = Locksim("run scenarios/no_faults.json --flaw no-such-flaw");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("no-such-flaw"), std::string::npos);
}

TEST_F(Cli, UnwritableTraceIsBadInputAndRunsNothing) {
  const Outcome o = Locksim("run scenarios/no_faults.json --trace /nonexistent/dir/t.jsonl");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
}

TEST_F(Cli, UnwritableTimelineLeavesNoTraceBehind) {
  const fs::path trace = dir_ / "t.jsonl";
  const Outcome o = Locksim("run scenarios/no_faults.json --trace '" + trace.string() +
                            "' --timeline /nonexistent/dir/t.json");
  EXPECT_EQ(o.status, 2);
  EXPECT_FALSE(fs::exists(trace)) << "nothing half-written";
}

TEST_F(Cli, UnwritableHtmlIsBadInputAndLeavesNothingBehind) {
  const fs::path trace = dir_ / "t.jsonl";
  const fs::path timeline = dir_ / "t.json";
  const Outcome o =
      Locksim("run scenarios/no_faults.json --trace '" + trace.string() + "' --timeline '" +
              timeline.string() + "' --html /nonexistent/dir/run.html");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--html /nonexistent/dir/run.html"), std::string::npos) << o.err;
  EXPECT_EQ(o.out, "");
  EXPECT_FALSE(fs::exists(trace)) << "nothing half-written";
  EXPECT_FALSE(fs::exists(timeline)) << "nothing half-written";
}

TEST_F(Cli, FailedWriteIsReportedAndLeavesNothingBehind) {
  const fs::path trace = dir_ / "t.jsonl";
  const Outcome o =
      Locksim("run scenarios/no_faults.json --trace '" + trace.string() + "' --html /dev/full");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--html /dev/full: write failed"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(trace)) << "nothing half-written";
  EXPECT_TRUE(fs::exists("/dev/full")) << "a device is never removed";
}

TEST_F(Cli, HtmlPageOfAFailingRun) {
  const fs::path page = dir_ / "run.html";
  const Outcome o =
      Locksim("run scenarios/lab1/primary_fail2.json --flaw no-duplicate-table --html '" +
              page.string() + "'");
  EXPECT_EQ(o.status, 1) << "exit status as run: " << o.err;
  EXPECT_NE(o.out.find("page        " + page.string()), std::string::npos) << o.out;
  const std::string html = ReadFile(page);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("lab1_primary_fail2"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos) << "written whole";
  // --json prints the same single object with or without the page.
  const Outcome plain =
      Locksim("run scenarios/lab1/primary_fail2.json --flaw no-duplicate-table --json");
  const Outcome with_page =
      Locksim("run scenarios/lab1/primary_fail2.json --flaw no-duplicate-table --json --html '" +
              page.string() + "'");
  EXPECT_EQ(plain.out, with_page.out);
}

TEST_F(Cli, RunPrimaryCrashPassesWithHumanSummary) {
  const Outcome o = Locksim("run scenarios/primary_crash.json --seed 3");
  EXPECT_EQ(o.status, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("primary_crash"), std::string::npos);
  EXPECT_NE(o.out.find("seed       3"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("crash primary"), std::string::npos) << "the fault and when: " << o.out;
  EXPECT_NE(o.out.find("linearizability"), std::string::npos);
  EXPECT_NE(o.out.find("locksim run scenarios/primary_crash.json --seed 3"), std::string::npos);
  EXPECT_EQ(o.out.find("\033["), std::string::npos) << "NO_COLOR: no escape codes";
}

TEST_F(Cli, RunJsonHasTheContractFields) {
  const Outcome o = Locksim("run scenarios/primary_crash.json --seed 4 --json");
  ASSERT_EQ(o.status, 0) << o.err;
  const json j = json::parse(o.out);
  EXPECT_EQ(j["scenario"], "primary_crash");
  EXPECT_EQ(j["seed"], 4);
  EXPECT_EQ(j["outcome"], "pass");
  EXPECT_TRUE(j["violations"].is_array());
  EXPECT_EQ(j["repro"], "locksim run scenarios/primary_crash.json --seed 4");
}

TEST_F(Cli, SameSeedSameOutputByteForByte) {
  const Outcome a = Locksim("run scenarios/primary_crash.json --seed 9 --json");
  const Outcome b = Locksim("run scenarios/primary_crash.json --seed 9 --json");
  // Two failed runs would print two equal empty outputs: each must be a whole, passing report.
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  ASSERT_FALSE(a.out.empty());
  EXPECT_EQ(json::parse(a.out)["seed"], 9);
  EXPECT_EQ(a.out, b.out);
  // The human summary too.
  const Outcome c = Locksim("run scenarios/primary_crash.json --seed 9");
  const Outcome d = Locksim("run scenarios/primary_crash.json --seed 9");
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_NE(c.out.find("fingerprint "), std::string::npos) << c.out;
  EXPECT_EQ(c.out, d.out);
}

TEST_F(Cli, FlawedRunExitsOneWithViolationsAndRepro) {
  const Outcome o =
      Locksim("sweep scenarios/lab1/primary_fail7.json --seeds 1 --flaw no-duplicate-table --json");
  ASSERT_EQ(o.status, 1) << o.out << o.err;
  const json sweep = json::parse(o.out);
  ASSERT_FALSE(sweep["failing_seeds"].empty());
  const uint64_t seed = sweep["failing_seeds"][0];
  const Outcome run = Locksim("run scenarios/lab1/primary_fail7.json --seed " +
                              std::to_string(seed) + " --flaw no-duplicate-table --json");
  EXPECT_EQ(run.status, 1);
  const json j = json::parse(run.out);
  EXPECT_EQ(j["outcome"], "violation");
  EXPECT_FALSE(j["violations"].empty());
  EXPECT_TRUE(j["violations"][0]["kind"].is_string());
  EXPECT_TRUE(j["violations"][0]["message"].is_string());
  EXPECT_EQ(j["repro"], "locksim run scenarios/lab1/primary_fail7.json --seed " +
                            std::to_string(seed) + " --flaw no-duplicate-table");
}

TEST_F(Cli, RecordedDecisionsReplayTheRun) {
  const fs::path decisions = dir_ / "decisions.json";
  const Outcome recorded = Locksim(
      "run scenarios/lost_replies.json --seed 3 --flaw "
      "no-duplicate-table --json --record-decisions '" +
      decisions.string() + "'");
  ASSERT_EQ(recorded.status, 1) << recorded.err;
  const json file = json::parse(ReadFile(decisions));
  EXPECT_EQ(file["format"], "locksim-decisions");
  EXPECT_EQ(file["seed"], 3);
  EXPECT_EQ(file["flaw"], "no-duplicate-table");
  EXPECT_GT(file["decisions"].get<int>(), 100);
  // The seed and flaw come from the file.
  const Outcome replayed =
      Locksim("run scenarios/lost_replies.json --json --decisions '" + decisions.string() + "'");
  ASSERT_EQ(replayed.status, 1) << replayed.err;
  const json a = json::parse(recorded.out);
  const json b = json::parse(replayed.out);
  EXPECT_EQ(a["fingerprint"], b["fingerprint"]);
  EXPECT_EQ(b["repro"],
            "locksim run scenarios/lost_replies.json --seed 3 --flaw "
            "no-duplicate-table --decisions " +
                decisions.string());
}

TEST_F(Cli, BadDecisionFileIsBadInputNamingTheFile) {
  const fs::path bad = Write("bad.json", R"({"format": "locksim-decisions", "version": 1,
      "streams": {"workload client9": []}})");
  const Outcome o =
      Locksim("run scenarios/no_faults.json --json --decisions '" + bad.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find(bad.string() + ": streams[\"workload client9\"]: client 9 does not exist"),
            std::string::npos)
      << o.err;
  EXPECT_EQ(Locksim("run scenarios/no_faults.json --decisions /nonexistent.json").status, 2);
}

TEST_F(Cli, ExploreJsonHasTheContractFields) {
  const Outcome o = Locksim("explore scenarios/lab1/primary_fail3.json --depth 2 --json");
  ASSERT_EQ(o.status, 0) << o.err;
  const json j = json::parse(o.out);
  EXPECT_EQ(j["scenario"], "lab1_primary_fail3");
  EXPECT_EQ(j["strategy"], "faults");
  EXPECT_GT(j["schedules"].get<int>(), 10);
  EXPECT_EQ(j["exhaustive"], true);
  EXPECT_EQ(j["outcome"], "pass");
  EXPECT_TRUE(j["failing"].is_array());
  EXPECT_TRUE(j["failures"].is_array());
  const Outcome human = Locksim("explore scenarios/lab1/primary_fail3.json --depth 2");
  EXPECT_EQ(human.status, 0);
  EXPECT_NE(human.out.find("exhaustive over seed 0: all " + j["schedules"].dump() +
                           " schedules with at most two faults"),
            std::string::npos)
      << human.out;
}

// Every failing schedule comes with a `locksim run` command, and that command fails the same way.
TEST_F(Cli, ExploreFindingsReproduceWithRun) {
  const fs::path junit = dir_ / "explore.xml";
  const Outcome o = Locksim(
      "explore scenarios/single_lock_contention.json --strategy pct --budget 40 --flaw "
      "forward-out-of-order --max-failures 2 --json --junit '" +
      junit.string() + "'");
  ASSERT_EQ(o.status, 1) << o.err;
  const json j = json::parse(o.out);
  EXPECT_EQ(j["outcome"], "violation");
  EXPECT_EQ(j["exhaustive"], false);
  ASSERT_EQ(j["failing"].size(), 2u);
  for (const json& f : j["failing"]) {
    const std::string repro = f["repro"];
    ASSERT_EQ(repro.rfind("locksim run ", 0), 0u) << repro;
    EXPECT_NE(repro.find(" --schedule pct:d3:n"), std::string::npos) << repro;
    const Outcome again = Locksim(repro.substr(std::string("locksim ").size()) + " --json");
    EXPECT_EQ(again.status, 1) << repro;
    const json run = json::parse(again.out);
    EXPECT_EQ(run["violations"][0]["kind"], f["kind"]) << repro;
    EXPECT_EQ(run["violations"][0]["message"], f["message"]) << repro;
    EXPECT_EQ(run["repro"], repro);
  }
  EXPECT_NE(ReadFile(junit).find("<testsuite name=\"locksim explore pct single_lock_contention\""),
            std::string::npos);
  // A lost reply's token goes through the shell unquoted.
  const Outcome faults = Locksim(
      "explore scenarios/lab1/backup_fail.json --flaw no-duplicate-table --max-failures 1 --json");
  ASSERT_EQ(faults.status, 1) << faults.err;
  const std::string repro = json::parse(faults.out)["failing"][0]["repro"];
  EXPECT_NE(repro.find("--schedule faults:lose-reply@primary-to-client0:"), std::string::npos)
      << repro;
  const Outcome again = Locksim(repro.substr(std::string("locksim ").size()));
  EXPECT_EQ(again.status, 1) << repro << "\n" << again.err;
}

TEST_F(Cli, ExploreAndScheduleBadInputExitsTwo) {
  const auto bad = [&](const std::string& args, const std::string& says) {
    const Outcome o = Locksim(args);
    EXPECT_EQ(o.status, 2) << args;
    EXPECT_EQ(o.out, "") << args;
    EXPECT_NE(o.err.find(says), std::string::npos) << args << ": " << o.err;
  };
  bad("explore scenarios/lab1/basic.json --strategy random", "--strategy random");
  bad("explore scenarios/lab1/basic.json --strategy swarm", "this scenario is a script");
  bad("explore scenarios/lab1/basic.json --depth 3", "--depth");
  bad("explore scenarios/lab1/basic.json --budget 0", "--budget");
  bad("explore scenarios/lab1/basic.json --flaw nope", "no such flaw");
  bad("explore scenarios/lab1/basic.json --shard 2/2", "--shard");
  bad("explore scenarios/nope.json", "nope.json");
  bad("run scenarios/lab1/basic.json --schedule faults:crash-primary@x", "expected a count");
  bad("run scenarios/lab1/basic.json --schedule swarm", "this scenario is a script");
  bad("run scenarios/lab1/basic.json --schedule faults:lose-reply@primary-to-client3:1",
      "client 3 does not exist");
}

TEST_F(Cli, ViolationScenarioExploresToAViolationAndExitsZero) {
  const Outcome o =
      Locksim("explore scenarios/violation_both_servers_down.json --budget 30 --json");
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(json::parse(o.out)["outcome"], "violation");
}

TEST_F(Cli, TraceAndTimelineFiles) {
  const fs::path trace = dir_ / "run.jsonl";
  const fs::path timeline = dir_ / "run.json";
  const Outcome o = Locksim("run scenarios/primary_crash.json --seed 1 --trace '" + trace.string() +
                            "' --timeline '" + timeline.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  std::ifstream lines(trace);
  int count = 0;
  bool saw_crash = false;
  for (std::string line; std::getline(lines, line); ++count) {
    const json record = json::parse(line);  // throws (fails the test) on a bad line
    ASSERT_TRUE(record.contains("t_us"));
    saw_crash |= record["event"] == "crash";
  }
  EXPECT_GT(count, 100);
  EXPECT_TRUE(saw_crash);
  const json chrome = json::parse(ReadFile(timeline));
  ASSERT_TRUE(chrome["traceEvents"].is_array());
  EXPECT_GT(chrome["traceEvents"].size(), 100u);
}

TEST_F(Cli, SweepJsonShardsAndMerge) {
  const Outcome whole = Locksim("sweep scenarios/violation_lost_forwards.json --seeds 40 --json");
  ASSERT_EQ(whole.status, 0) << "a violation scenario whose violation is found exits 0: "
                             << whole.out << whole.err;
  const json w = json::parse(whole.out);
  EXPECT_EQ(w["seeds"], 40);
  EXPECT_EQ(w["first_seed"], 0);
  EXPECT_EQ(w["expect"], "violation");
  EXPECT_EQ(w["outcome"], "violation");

  for (int i = 0; i < 3; ++i) {
    const Outcome shard =
        Locksim("sweep scenarios/violation_lost_forwards.json --seeds 40 --shard " +
                std::to_string(i) + "/3 --json");
    Write("shard" + std::to_string(i) + ".json", shard.out);
  }
  const Outcome merged = Locksim("merge '" + (dir_ / "shard0.json").string() + "' '" +
                                 (dir_ / "shard1.json").string() + "' '" +
                                 (dir_ / "shard2.json").string() + "' --json");
  ASSERT_EQ(merged.status, 0) << merged.err;
  const json m = json::parse(merged.out);
  EXPECT_EQ(m["seeds"], 40);
  EXPECT_EQ(m["failing_seeds"], w["failing_seeds"]);
  EXPECT_EQ(m["failures"], w["failures"]);
  EXPECT_EQ(m["outcome"], "violation");
  EXPECT_EQ(m["shards"], 3);
  EXPECT_EQ(m["contiguous"], true);
  // One result of the same shape as the whole sweep's.
  for (const auto& [key, value] : w.items()) EXPECT_TRUE(m.contains(key)) << key;
  EXPECT_EQ(m["requested"], w["requested"]);
  EXPECT_EQ(m["simulated_seconds"], w["simulated_seconds"]);

  const Outcome overlap = Locksim("merge '" + (dir_ / "shard0.json").string() + "' '" +
                                  (dir_ / "shard0.json").string() + "'");
  EXPECT_EQ(overlap.status, 2);
}

TEST_F(Cli, MergeRefusesAShardThatContradictsItself) {
  const Outcome shard =
      Locksim("sweep scenarios/violation_lost_forwards.json --seeds 20 --max-failures 2 --json");
  json edited = json::parse(shard.out);
  ASSERT_EQ(edited["failures"].size(), 2u) << shard.out;
  edited["failures"][1]["seed"] = 1000;
  const fs::path file = Write("edited.json", edited.dump());
  const Outcome o = Locksim("merge '" + file.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(
      o.err.find(file.string() + ": failures[1].seed: seed 1000 differs from failing_seeds[1]"),
      std::string::npos)
      << o.err;
}

TEST_F(Cli, SweepWritesJUnit) {
  const fs::path junit = dir_ / "junit.xml";
  const Outcome o =
      Locksim("sweep scenarios/no_faults.json --seeds 20 --junit '" + junit.string() + "'");
  EXPECT_EQ(o.status, 0) << o.out << o.err;
  const std::string xml = ReadFile(junit);
  EXPECT_NE(xml.find("<testsuite"), std::string::npos);
  EXPECT_NE(xml.find("summary: 20 seeds"), std::string::npos) << xml;
}

TEST_F(Cli, BadShardIsBadInput) {
  EXPECT_EQ(Locksim("sweep scenarios/no_faults.json --seeds 10 --shard 3/3").status, 2);
  EXPECT_EQ(Locksim("sweep scenarios/no_faults.json --seeds 10 --shard x").status, 2);
}

TEST_F(Cli, CheckLinearizableHistory) {
  const fs::path history = Write("ok.json", R"({"operations": [
    {"client": 0, "op": "lock", "lock": "a", "invoke": 0, "return": 5, "result": true},
    {"client": 1, "op": "unlock", "lock": "a", "invoke": 3, "return": null},
    {"client": 1, "op": "lock", "lock": "a", "invoke": 6, "return": 9, "result": true}]})");
  const Outcome o = Locksim("check '" + history.string() + "' --json");
  ASSERT_EQ(o.status, 0) << o.err;
  const json j = json::parse(o.out);
  EXPECT_EQ(j["linearizable"], true);
  EXPECT_EQ(j["operations"], 3);
  EXPECT_EQ(Locksim("check '" + history.string() + "' --checker wgl").status, 0);
}

TEST_F(Cli, CheckNonLinearizableHistoryExplainsIt) {
  const fs::path history = Write("bad.json", R"({"operations": [
    {"client": 0, "op": "lock", "lock": "a", "invoke": 0, "return": 5, "result": true},
    {"client": 1, "op": "lock", "lock": "a", "invoke": 6, "return": 9, "result": true}]})");
  const Outcome o = Locksim("check '" + history.string() + "'");
  EXPECT_EQ(o.status, 1);
  EXPECT_NE(o.out.find("NOT linearizable: lock \"a\""), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("client 1"), std::string::npos) << o.out;
  const json j = json::parse(Locksim("check '" + history.string() + "' --json").out);
  EXPECT_EQ(j["linearizable"], false);
  EXPECT_EQ(j["lock"], "a");
  EXPECT_EQ(j["witness"].size(), 2u);
  EXPECT_EQ(Locksim("check '" + history.string() + "' --checker wgl").status, 1);
}

TEST_F(Cli, CheckMalformedHistoryNamesFileAndPath) {
  const fs::path history = Write("h.json", R"({"operations": [
    {"client": 0, "op": "lock", "lock": "a", "invoke": 5, "return": 2, "result": true}]})");
  const Outcome o = Locksim("check '" + history.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("h.json: operations[0].return"), std::string::npos) << o.err;
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(Locksim("check /no/such/history.json").status, 2);
  EXPECT_EQ(Locksim("check '" + history.string() + "' --checker magic").status, 2);
}

TEST_F(Cli, CheckJsonIsOneObjectWithTheExplanation) {
  const fs::path history = Write("bad.json", R"({"operations": [
    {"client": 0, "op": "lock", "lock": "b", "invoke": 0, "return": 1, "result": true},
    {"client": 4, "op": "unlock", "lock": "a", "invoke": 2, "return": 3, "result": true}]})");
  const Outcome o = Locksim("check '" + history.string() + "' --json");
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.err, "");
  const json j = json::parse(o.out);  // throws unless stdout is exactly one JSON value
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["linearizable"], false);
  EXPECT_EQ(j["operations"], 2);
  EXPECT_EQ(j["lock"], "a");
  ASSERT_EQ(j["witness"].size(), 1u);
  EXPECT_EQ(j["witness"][0]["client"], 4);
  EXPECT_EQ(j["witness"][0]["index"], 1);
  EXPECT_NE(j["explanation"].get<std::string>().find("client 4's Unlock [2, 3] -> true"),
            std::string::npos)
      << j["explanation"];
}

TEST_F(Cli, CheckBadJsonNamesFileAndPathWithNothingOnStdout) {
  const fs::path history = Write("broken.json", R"({"operations": [
    {"client": 0, "op": "lock", "lock": "a", "invoke": 0, "return": 1, "result": true},
    {"client": 1, "op": "grab", "lock": "a", "invoke": 2}]})");
  for (const char* flags : {"", " --json", " --checker wgl"}) {
    const Outcome o = Locksim("check '" + history.string() + "'" + flags);
    EXPECT_EQ(o.status, 2) << flags;
    EXPECT_EQ(o.out, "") << flags;
    EXPECT_NE(o.err.find("broken.json: operations[1].op: unknown op \"grab\""), std::string::npos)
        << o.err;
  }
  const fs::path truncated = Write("cut.json", R"({"operations": [{"client": 0, )");
  const Outcome o = Locksim("check '" + truncated.string() + "' --json");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find("cut.json: operations[0]"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("invalid JSON"), std::string::npos) << o.err;
}

TEST_F(Cli, ShrinkWritesAScenarioThatFailsOnEverySeed) {
  const fs::path out = dir_ / "small.json";
  const fs::path page = dir_ / "small.html";
  const std::string args =
      "shrink scenarios/crash_lost_replies_4x150.json --seed 0 --flaw "
      "no-duplicate-table --out '" +
      out.string() + "'";
  const Outcome o = Locksim(args + " --json --html '" + page.string() + "'");
  ASSERT_EQ(o.status, 0) << "locksim " << args << "\n" << o.err;
  const json j = json::parse(o.out);
  for (const char* key : {"scenario", "seed", "kind", "out", "original", "shrunk", "seconds"}) {
    EXPECT_TRUE(j.contains(key)) << key << " in " << o.out;
  }
  for (const char* key : {"clients", "operations", "faults", "messages", "events"}) {
    EXPECT_TRUE(j["original"][key].is_number_integer()) << key;
    EXPECT_TRUE(j["shrunk"][key].is_number_integer()) << key;
  }
  EXPECT_EQ(j["kind"], "linearizability");
  EXPECT_EQ(j["out"], out.string());
  EXPECT_EQ(j["original"]["operations"], 600);
  EXPECT_LE(j["shrunk"]["operations"].get<int>(), 8);
  EXPECT_EQ(j["seeds_failing"], 100);
  EXPECT_NE(ReadFile(page).find("</html>"), std::string::npos) << "the page, whole";
  // The file is an ordinary scenario: it fails with the flaw and passes without it.
  EXPECT_EQ(Locksim("sweep '" + out.string() + "' --seeds 20 --flaw no-duplicate-table").status, 1);
  EXPECT_EQ(Locksim("sweep '" + out.string() + "' --seeds 20").status, 0);
  // Same input, same file.
  const std::string first = ReadFile(out);
  ASSERT_EQ(Locksim(args).status, 0);
  EXPECT_EQ(ReadFile(out), first);
}

TEST_F(Cli, ShrinkPrintsSizesAndTheShrunkRun) {
  const fs::path out = dir_ / "small.json";
  const Outcome o = Locksim(
      "shrink scenarios/crash_lost_replies_4x150.json --seed 0 --flaw "
      "clerk-gives-up --out '" +
      out.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("operations      600"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("fails the same way on 100 of 100 seeds; passes without the flaw"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("wrote       " + out.string()), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("[liveness]"), std::string::npos) << o.out;
}

TEST_F(Cli, SweepPrintsTheShrinkCommandOfItsFirstFailingSeed) {
  const Outcome o =
      Locksim("sweep scenarios/crash_lost_replies_4x150.json --seeds 20 --flaw no-duplicate-table");
  EXPECT_EQ(o.status, 1) << o.err;
  const size_t first = o.out.find("  seed ");
  ASSERT_NE(first, std::string::npos) << o.out;
  const std::string seed = o.out.substr(first + 7, o.out.find(' ', first + 7) - first - 7);
  EXPECT_NE(o.out.find("shrink:    locksim shrink scenarios/crash_lost_replies_4x150.json --seed " +
                       seed + " --flaw no-duplicate-table"),
            std::string::npos)
      << o.out;
  EXPECT_EQ(o.out.find("shrink:"), o.out.rfind("shrink:")) << "only for the first failing seed";
}

TEST_F(Cli, ExplorePrintsAShrinkCommandThatShrinksItsFirstFinding) {
  const Outcome o = Locksim(
      "explore scenarios/crash_after_forward.json --strategy faults --flaw "
      "reply-before-forward-ack --max-failures 1");
  ASSERT_EQ(o.status, 1) << o.err;
  const std::string marker = "shrink:    ";
  const size_t at = o.out.find(marker);
  ASSERT_NE(at, std::string::npos) << o.out;
  std::string command =
      o.out.substr(at + marker.size(), o.out.find("  (", at) - at - marker.size());
  ASSERT_EQ(command.rfind("locksim shrink scenarios/crash_after_forward.json --seed 0 --flaw "
                          "reply-before-forward-ack --schedule faults:",
                          0),
            0u)
      << command;
  const fs::path out = dir_ / "from_explore.json";
  const Outcome shrunk = Locksim(command.substr(std::string("locksim ").size()) +
                                 " --json --out '" + out.string() + "'");
  ASSERT_EQ(shrunk.status, 0) << command << "\n" << shrunk.err;
  const json j = json::parse(shrunk.out);
  EXPECT_EQ(j["kind"], "linearizability");
  EXPECT_LT(j["shrunk"]["operations"].get<int>(), j["original"]["operations"].get<int>());
  EXPECT_TRUE(fs::exists(out));
  EXPECT_EQ(
      Locksim("shrink scenarios/crash_after_forward.json --seed 0 --schedule faults:nope").status,
      2);
}

TEST_F(Cli, ShrinkOfAPassingRunExitsOneAndWritesNothing) {
  const fs::path out = dir_ / "small.json";
  const Outcome o = Locksim("shrink scenarios/crash_lost_replies_4x150.json --seed 0 --out '" +
                            out.string() + "'");
  EXPECT_EQ(o.status, 1) << o.err;
  EXPECT_NE(o.err.find("the run passes"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(Cli, ShrinkBadInputExitsTwo) {
  const fs::path bad = Write("bad.json", R"({"clients": 1, "steps": [{"sleep_ms": "x"}]})");
  EXPECT_EQ(Locksim("shrink '" + bad.string() + "' --seed 1").status, 2);
  EXPECT_EQ(Locksim("shrink scenarios/no_faults.json").status, 2) << "--seed is required";
  EXPECT_EQ(Locksim("shrink scenarios/no_faults.json --seed 1 --flaw nope").status, 2);
  const Outcome o = Locksim(
      "shrink scenarios/crash_lost_replies_4x150.json --seed 0 --flaw no-duplicate-table --out "
      "/nonexistent/dir/x.json");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--out /nonexistent/dir/x.json"), std::string::npos) << o.err;
}

TEST_F(Cli, FlawsListsEveryFlawAsJson) {
  const Outcome o = Locksim("flaws --json");
  ASSERT_EQ(o.status, 0);
  const json j = json::parse(o.out);
  ASSERT_GE(j["flaws"].size(), 6u);
  for (const json& flaw : j["flaws"]) {
    EXPECT_TRUE(flaw["name"].is_string());
    EXPECT_TRUE(flaw["description"].is_string());
  }
}

}  // namespace
