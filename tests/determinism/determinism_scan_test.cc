// The determinism lint flags each kind of nondeterministic API in small snippets, leaves clean
// code alone (comments, strings, lookups in hash maps, our own PRNG), and the program exits 1 on
// a finding, 0 on clean files, 2 on bad arguments.
#include "tests/determinism/determinism_scan.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace locksim::lint {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// "line: first words of what", one per finding, for readable expectations.
std::vector<std::string> Scan(const std::vector<SourceFile>& files) {
  std::vector<std::string> out;
  for (const Finding& f : ScanForNondeterminism(files)) {
    out.push_back(f.path + ":" + std::to_string(f.line) + ": " +
                  f.what.substr(0, f.what.find(',')));
  }
  return out;
}
std::vector<std::string> Scan(const std::string& text) { return Scan({{"x.cc", text}}); }

constexpr char kStdRandom[] = "the standard library's random numbers";
constexpr char kClock[] = "a clock: a run knows only its virtual time (sim/time.h)";
constexpr char kSleep[] = "a sleep: a run knows only its virtual time (sim/time.h)";
constexpr char kThreads[] = "threads or their synchronisation: a run is single-threaded";
constexpr char kHash[] = "iteration over a hash container";

std::string At(int line, const std::string& what) {
  return "x.cc:" + std::to_string(line) + ": " + what;
}

TEST(DeterminismScan, FlagsStandardRandomNumbers) {
  EXPECT_THAT(Scan("#include <random>\n"
                   "std::mt19937 engine(42);\n"
                   "int Draw() { std::uniform_int_distribution<int> d(0, 9); return d(engine); }\n"
                   "std::random_device device;\n"
                   "void Mix(std::vector<int>& v) { std::shuffle(v.begin(), v.end(), engine); }\n"),
              ElementsAre(At(1, kStdRandom), At(2, kStdRandom), At(3, kStdRandom),
                          At(4, kStdRandom), At(5, "std::shuffle or std::sample")));
}

TEST(DeterminismScan, FlagsCAndAbslRandomNumbers) {
  EXPECT_THAT(Scan("int a = rand() % 6;\n"
                   "void Seed() { srand(1); }\n"
                   "int b = std::rand();\n"
                   "absl::BitGen gen;\n"
                   "int c = absl::Uniform(gen, 0, 10);\n"),
              ElementsAre(At(1, "the C library's random numbers: draw from sim::Prng"),
                          At(2, "the C library's random numbers: draw from sim::Prng"),
                          At(3, "the C library's random numbers: draw from sim::Prng"),
                          At(4, "absl's random generators"), At(5, "absl's random generators")));
  EXPECT_THAT(Scan("#include \"absl/random/random.h\"\n"),
              ElementsAre(At(1, "absl's random generators: draw from sim::Prng")));
}

TEST(DeterminismScan, FlagsClocksAndSleeps) {
  EXPECT_THAT(Scan("auto t0 = std::chrono::steady_clock::now();\n"
                   "long t1 = time(nullptr);\n"
                   "absl::Time t2 = absl::Now();\n"
                   "void Wait() { usleep(5); sleep(1); }\n"
                   "#include <ctime>\n"
                   "long t3 = clock() / 2;\n"),
              ElementsAre(At(1, kClock), At(2, kClock), At(3, kClock), At(4, kSleep), At(5, kClock),
                          At(6, kClock)));
}

TEST(DeterminismScan, FlagsThreads) {
  EXPECT_THAT(Scan("#include <thread>\n"
                   "std::thread worker([] {});\n"
                   "std::mutex mu;\n"
                   "std::atomic<int> count{0};\n"
                   "absl::Mutex amu;\n"
                   "void Nap() { std::this_thread::sleep_for(std::chrono::seconds(1)); }\n"),
              ElementsAre(At(1, kThreads), At(2, kThreads), At(3, kThreads), At(4, kThreads),
                          At(5, kThreads), At(6, kSleep), At(6, kThreads)));
}

TEST(DeterminismScan, FlagsIterationOverAHashMapDeclaredInTheFile) {
  EXPECT_THAT(Scan("absl::flat_hash_map<std::string, int> counts;\n"
                   "int Sum() {\n"
                   "  int s = 0;\n"
                   "  for (const auto& [name, n] : counts) s += n;\n"
                   "  return s;\n"
                   "}\n"
                   "std::unordered_set<int> seen;\n"
                   "int First() { return *seen.begin(); }\n"
                   "int Last(const std::unordered_map<int, int>& m) {\n"
                   "  return std::begin(m)->first;\n"
                   "}\n"),
              ElementsAre(At(4, kHash), At(8, kHash), At(10, kHash)));
}

TEST(DeterminismScan, FlagsIterationOverAMemberDeclaredInAnIncludedHeader) {
  const std::vector<SourceFile> files = {
      {"lib/table.h",
       "#include \"absl/container/flat_hash_map.h\"\n"
       "using Index = absl::flat_hash_map<int, std::vector<int>>;\n"
       "class Table {\n"
       " public:\n"
       "  const absl::node_hash_map<int, int>& entries() const;\n"
       " private:\n"
       "  Index index_;\n"
       "};\n"},
      {"lib/table.cc",
       "#include \"lib/table.h\"\n"
       "int Table::Total() const {\n"
       "  int total = 0;\n"
       "  for (const auto& [k, v] :\n"
       "       this->index_) {\n"
       "    total += k;\n"
       "  }\n"
       "  for (const auto& e : other.entries()) total += e.second;\n"
       "  return total;\n"
       "}\n"},
      // Not including the header: the same names mean something else here.
      {"lib/other.cc", "std::vector<int> index_;\nvoid F() { for (int i : index_) G(i); }\n"}};
  EXPECT_THAT(Scan(files), ElementsAre("lib/table.cc:4: " + std::string(kHash),
                                       "lib/table.cc:8: " + std::string(kHash)));
}

TEST(DeterminismScan, LeavesCleanCodeAlone) {
  EXPECT_THAT(Scan("// A comment naming std::mt19937, rand() and std::thread does not count.\n"
                   "/* Nor does time(nullptr) in a block\n"
                   "   comment. */\n"
                   "#include <chrono>\n"
                   "// #include <thread>\n"
                   "#include \"absl/container/flat_hash_map.h\"\n"
                   "#include \"sim/prng.h\"\n"
                   "constexpr uint64_t kMax = 5'000'000;\n"
                   "const char* kText = \"std::random_device and time(nullptr) in a string\";\n"
                   "const char* kRaw = R\"x(std::mt19937 \"quoted\" )\" sleep(1))x\";\n"
                   "const char kQuote = '\"';\n"
                   "using Micros = std::chrono::microseconds;\n"
                   "absl::flat_hash_map<int, int> counts;\n"
                   "std::map<int, int> ordered;\n"
                   "int Lookup(int k) {\n"
                   "  auto it = counts.find(k);\n"
                   "  if (it == counts.end() || !counts.contains(k)) return counts[k];\n"
                   "  return it->second + counts.at(k);\n"
                   "}\n"
                   "int Sum(const std::vector<int>& v) {\n"
                   "  int s = 0;\n"
                   "  for (const auto& [k, n] : ordered) s += n;\n"
                   "  for (size_t i = 0; i < v.size(); ++i) s += v[i];\n"
                   "  for (int x : v) s += x;\n"
                   "  return s + static_cast<int>(ordered.begin()->first);\n"
                   "}\n"
                   "uint64_t Draw(sim::Prng& rng) { return rng.Below(6) + rng.random(); }\n"
                   "class Clock { int clock() const; sim::Time time() const; };\n"
                   "int Run(Clock& c) { return c.clock() + c.time().micros(); }\n"
                   "std::mt19937 allowed(1);  // NOLINT(determinism): this line says why\n"),
              IsEmpty());
}

// Runs the lint program on `args`; returns its exit status and puts its output in `out`.
int RunLint(const std::string& args, std::string* out) {
  const fs::path output =
      fs::temp_directory_path() / ("determinism_lint_" + std::to_string(::getpid()) + ".out");
  const std::string command = std::string("'") + LOCKSIM_DETERMINISM_LINT + "' " + args + " >'" +
                              output.string() + "' 2>&1";
  const int raw = std::system(command.c_str());
  std::ifstream in(output);
  std::stringstream text;
  text << in.rdbuf();
  *out = text.str();
  fs::remove(output);
  return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
}

TEST(DeterminismLint, ExitsOneOnAFindingZeroWhenCleanTwoOnBadArguments) {
  const fs::path dir =
      fs::temp_directory_path() / ("determinism_lint_test_" + std::to_string(::getpid()));
  fs::create_directories(dir / "dirty" / "sub");
  fs::create_directories(dir / "clean");
  std::ofstream(dir / "dirty" / "sub" / "engine.cc") << "#include <random>\nstd::mt19937 e;\n";
  std::ofstream(dir / "dirty" / "map.h")
      << "absl::flat_hash_map<int, int> m;\ninline int F() { for (auto& [k, v] : m) return k; }\n";
  std::ofstream(dir / "dirty" / "notes.txt") << "std::thread is fine in a text file\n";
  std::ofstream(dir / "clean" / "ok.h") << "inline int Twice(int x) { return 2 * x; }\n";

  std::string out;
  EXPECT_EQ(RunLint("'" + (dir / "dirty").string() + "'", &out), 1) << out;
  EXPECT_THAT(out, HasSubstr("dirty/map.h:2: iteration over a hash container"));
  EXPECT_THAT(out, HasSubstr("dirty/sub/engine.cc:1: the standard library's random numbers"));
  EXPECT_THAT(out, HasSubstr("dirty/sub/engine.cc:2: the standard library's random numbers"));
  EXPECT_THAT(out, HasSubstr("3 finding(s) in 2 files"));

  EXPECT_EQ(RunLint("'" + (dir / "clean").string() + "'", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("1 files clean"));

  EXPECT_EQ(RunLint("", &out), 2) << out;
  EXPECT_EQ(RunLint("'" + (dir / "missing").string() + "'", &out), 2) << out;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace locksim::lint
