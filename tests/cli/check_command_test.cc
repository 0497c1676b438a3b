// `locksim check` as users and CI scripts see it (docs/history-format.md): long explanations stay
// short with the whole certificate a flag away, --explain-out writes whole files or none,
// hostile input is refused with the file and JSON path and never a signal, names are escaped,
// and the general search ends "undecided" within its budgets.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Outcome {
  int status = -1;  // the exit status, or -1 when killed by a signal
  std::string out;
  std::string err;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

size_t Lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

// One operation of a history file.
std::string Op(int client, const char* op, const std::string& lock, int64_t invoke, int64_t ret,
               bool result) {
  return "{\"client\": " + std::to_string(client) + ", \"op\": \"" + op + "\", \"lock\": \"" +
         lock + "\", \"invoke\": " + std::to_string(invoke) +
         ", \"return\": " + std::to_string(ret) + ", \"result\": " + (result ? "true" : "false") +
         "}";
}

// `pairs` Lock/Unlock pairs on one lock, one after another, then two successful Locks: not
// linearizable, and the only certificates count every Lock (`pairs` + 2 of them), since any
// Unlock could take effect anywhere after its invoke once relaxed.
std::string CountingHistory(int pairs) {
  std::string text = "{\"operations\": [\n";
  int64_t t = 0;
  for (int i = 0; i < pairs; ++i) {
    text += Op(i % 4, "lock", "a", t, t + 1, true) + ",\n";
    text += Op(i % 4, "unlock", "a", t + 2, t + 3, true) + ",\n";
    t += 4;
  }
  text += Op(5, "lock", "a", t, t + 1, true) + ",\n" + Op(6, "lock", "a", t + 2, t + 3, true);
  return text + "\n]}\n";
}

class CheckCommand : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("locksim_check_test_" + std::to_string(::getpid()) + "_" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `locksim ARGS`, stdin from `stdin_path` (default: empty).
  Outcome Locksim(const std::string& args, const std::string& stdin_path = "/dev/null") {
    const fs::path out = dir_ / "stdout";
    const fs::path err = dir_ / "stderr";
    const std::string command = "NO_COLOR=1 '" LOCKSIM_BINARY "' " + args + " >'" + out.string() +
                                "' 2>'" + err.string() + "' <'" + stdin_path + "'";
    const int raw = std::system(command.c_str());
    Outcome outcome;
    // The shell reports a child killed by signal N as 128 + N.
    outcome.status = WIFEXITED(raw) && WEXITSTATUS(raw) < 128 ? WEXITSTATUS(raw) : -1;
    outcome.out = ReadFile(out);
    outcome.err = ReadFile(err);
    return outcome;
  }

  fs::path Write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  fs::path dir_;
};

TEST_F(CheckCommand, ALongCertificateIsSummarisedAndWrittenInFull) {
  const fs::path history = Write("long.json", CountingHistory(3000));
  const fs::path full = dir_ / "explanation.txt";
  const Outcome o =
      Locksim("check '" + history.string() + "' --explain-out '" + full.string() + "'");
  EXPECT_EQ(o.status, 1) << o.err;
  EXPECT_LE(Lines(o.out), 40u) << o.out;
  EXPECT_NE(o.out.find("These 3002 Locks all returned true by time 12003, so the lock was freed "
                       "at least 3001 times between them; but by then only 3000 other Unlocks "
                       "that did not return false had been invoked."),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("3002 operations that cannot be ordered"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("(cannot take effect next: needs the lock free, and it is held)"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("#6001  client 6  lock    12002..12003  ->  true"), std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("written to " + full.string()), std::string::npos) << o.out;
  // The file lists every operation of the certificate.
  const std::string text = ReadFile(full);
  EXPECT_EQ(Lines(text), 3u + 3002u) << text.substr(0, 2000);
  EXPECT_NE(text.find("    #0  client 0  lock    0..1  ->  true\n"), std::string::npos);
  // And so does the JSON, with the few that matter most and the same summary.
  const Outcome j = Locksim("check '" + history.string() + "' --json");
  EXPECT_EQ(j.status, 1);
  const json object = json::parse(j.out);
  EXPECT_EQ(object["witness"].size(), 3002u);
  EXPECT_EQ(object["minimal"], true);
  ASSERT_GE(object["key_operations"].size(), 2u);
  EXPECT_EQ(object["key_operations"].back()["index"], 6001);
  EXPECT_EQ(object["key_operations"].back()["role"],
            "cannot take effect next: needs the lock free, and it is held");
  EXPECT_LE(Lines(object["explanation"].get<std::string>()), 10u);
}

TEST_F(CheckCommand, ExplainOutIsWrittenWholeOrNotAtAll) {
  const fs::path history = Write("long.json", CountingHistory(50));
  // Nowhere to write: exit 2, nothing on stdout, no file, no temporary left behind.
  const fs::path missing_dir = dir_ / "no" / "such" / "dir" / "out.txt";
  const Outcome o =
      Locksim("check '" + history.string() + "' --explain-out '" + missing_dir.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.out, "");
  EXPECT_NE(o.err.find(missing_dir.string() + ": cannot write"), std::string::npos) << o.err;
  // Bad input: an existing file keeps its contents.
  const fs::path out = Write("out.txt", "before\n");
  const fs::path broken = Write("broken.json", "{\"operations\": [");
  EXPECT_EQ(Locksim("check '" + broken.string() + "' --explain-out '" + out.string() + "'").status,
            2);
  EXPECT_EQ(ReadFile(out), "before\n");
  // A decided check replaces it, with nothing else left in the folder.
  EXPECT_EQ(Locksim("check '" + history.string() + "' --explain-out '" + out.string() + "'").status,
            1);
  EXPECT_TRUE(ReadFile(out).starts_with("NOT linearizable: lock \"a\"\n"));
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) files += entry.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 5u) << "long.json, broken.json, out.txt, stdout, stderr";
  // A linearizable history writes its verdict.
  const fs::path ok =
      Write("ok.json", "{\"operations\": [" + Op(0, "lock", "a", 0, 1, true) + "]}");
  EXPECT_EQ(Locksim("check '" + ok.string() + "' --explain-out '" + out.string() + "'").status, 0);
  EXPECT_EQ(ReadFile(out), "linearizable: 1 operations on 1 locks\n");
}

TEST_F(CheckCommand, LockNamesAreEscapedForTerminalsButNotInJson) {
  const std::string name = "evil\\u001b[2J\\u001b]0;pwned\\u0007";
  const fs::path history =
      Write("evil.json", "{\"operations\": [" + Op(0, "unlock", name, 0, 1, true) + "]}");
  const Outcome o = Locksim("check '" + history.string() + "'");
  EXPECT_EQ(o.status, 1);
  EXPECT_EQ(o.out.find('\x1b'), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find('\x07'), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("NOT linearizable: lock \"evil\\x1b[2J\\x1b]0;pwned\\x07\""),
            std::string::npos)
      << o.out;
  const json j = json::parse(Locksim("check '" + history.string() + "' --json").out);
  EXPECT_EQ(j["lock"], "evil\x1b[2J\x1b]0;pwned\x07");
  const Outcome wgl = Locksim("check '" + history.string() + "' --checker wgl");
  EXPECT_EQ(wgl.status, 1);
  EXPECT_EQ(wgl.out.find('\x1b'), std::string::npos) << wgl.out;
}

// Whatever the bytes, size or depth: exit 2, the file and a JSON path on stderr, nothing on
// stdout, never a signal.
TEST_F(CheckCommand, HostileFilesAreBadInputNeverASignal) {
  const std::string good = "{\"operations\": [" + Op(0, "lock", "a", 0, 1, true) + "]}";
  struct Case {
    std::string name;
    std::string text;
    std::string expected;  // in stderr, after the file name
  };
  const Case cases[] = {
      {"nul_then_garbage.json", good + std::string(1, '\0') + "garbage",
       ": (document): invalid JSON: parse error at line 1, column 101: a NUL byte"},
      {"nul_in_name.json",
       "{\"operations\": [{\"client\": 0, \"op\": \"lock\", \"lock\": \"a" + std::string(1, '\0') +
           "\", \"invoke\": 1}]}",
       ": operations[0].lock: invalid JSON"},
      {"huge_integer.json",
       "{\"operations\": [{\"client\": 0, \"op\": \"lock\", \"lock\": \"a\", \"invoke\": " +
           std::string(5000, '9') + "}]}",
       ": operations[0].invoke: an integer of 5000 digits is out of range"},
      {"deep.json", std::string(1'000'000, '['), ": (document): expected an object, got an array"},
      {"deep_value.json", "{\"operations\": [{\"client\": " + std::string(1'000'000, '[') + "}]}",
       ": operations[0].client: expected an integer, got an array"},
      {"truncated.json", good.substr(0, good.size() / 2), ": operations[0]"},
      {"bad_utf8.json",
       "{\"operations\": [{\"client\": 0, \"op\": \"lock\", \"lock\": \"\xff\", "
       "\"invoke\": 1}]}",
       ": operations[0].lock: invalid JSON"},
      {"empty.json", "", ": (document): invalid JSON"},
  };
  for (const Case& c : cases) {
    const fs::path path = Write(c.name, c.text);
    for (const char* flags : {"", " --json", " --checker wgl"}) {
      const Outcome o = Locksim("check '" + path.string() + "'" + flags);
      EXPECT_EQ(o.status, 2) << c.name << flags << ": " << o.err;
      EXPECT_EQ(o.out, "") << c.name << flags;
      EXPECT_NE(o.err.find(path.string() + c.expected), std::string::npos)
          << c.name << flags << ": " << o.err;
    }
  }
}

TEST_F(CheckCommand, ReadsStandardInput) {
  const fs::path history = Write("h.json", CountingHistory(2));
  const Outcome o = Locksim("check - --json", history.string());
  EXPECT_EQ(o.status, 1) << o.err;
  EXPECT_EQ(json::parse(o.out)["operations"], 6);
}

// The general search on a history whose memo table would grow to gigabytes: it stops at its
// memory budget with "undecided", exit 3, and the process stays near the budget.
TEST_F(CheckCommand, TheGeneralSearchStopsAtItsMemoryBudget) {
  // 40,000 operations on one lock from 64 clients, heavily overlapping, linearizable: a Lock
  // then an Unlock per slot, each spanning many slots.
  std::string text = "{\"operations\": [\n";
  for (int i = 0; i < 40'000; ++i) {
    const bool lock = i % 2 == 0;
    text += (i == 0 ? "" : ",\n") + Op(i % 64, lock ? "lock" : "unlock", "a", i, i + 400, true);
  }
  const fs::path history = Write("wide.json", text + "\n]}\n");
  rusage before{};
  getrusage(RUSAGE_CHILDREN, &before);
  const Outcome o = Locksim("check '" + history.string() + "' --checker wgl --memory-mb 64 --json");
  rusage after{};
  getrusage(RUSAGE_CHILDREN, &after);
  EXPECT_EQ(o.status, 3) << o.err;
  EXPECT_NE(o.err.find(history.string() + ": undecided: memory budget"), std::string::npos)
      << o.err;
  const json j = json::parse(o.out);
  EXPECT_TRUE(j["linearizable"].is_null());
  EXPECT_EQ(j["undecided"], "memory budget");
  // ru_maxrss is in KiB: the search's 64 MiB plus the program, the file and the parsed history
  // stay far below what an unbounded search reaches (gigabytes).
  EXPECT_LT(after.ru_maxrss, 400 * 1024) << "peak resident set of the check, KiB";
  // The step budget likewise.
  const Outcome steps = Locksim("check '" + history.string() + "' --checker wgl --step-budget 10");
  EXPECT_EQ(steps.status, 3);
  EXPECT_NE(steps.err.find("undecided: step budget"), std::string::npos) << steps.err;
  EXPECT_EQ(steps.out, "");
  // The greedy checker decides it at once.
  EXPECT_EQ(Locksim("check '" + history.string() + "'").status, 0);
}

TEST_F(CheckCommand, HelpNamesTheDocsAndEveryExitStatus) {
  const Outcome o = Locksim("check --help");
  EXPECT_EQ(o.status, 0);
  for (const char* text : {"docs/history-format.md", "Exit 0 linearizable, 1 not, 2 bad input",
                           "3 undecided", "--explain-out", "--memory-mb", "--step-budget"}) {
    EXPECT_NE(o.out.find(text), std::string::npos) << text << " in:\n" << o.out;
  }
  EXPECT_EQ(o.out.find("contract"), std::string::npos) << o.out;
}

}  // namespace
