// `locksim serve` and `locksim load` as users and scripts see them: exit statuses (0 on SIGTERM,
// 2 when a server cannot bind or a load cannot reach its servers or gets bad input), stdout and
// stderr, --json, and the history file (whole, or absent). Servers are child processes on
// 127.0.0.1 with ports the system picks, read back from their log. Every wait is bounded.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

// A `locksim serve` child process whose stderr goes to a file.
class ServerProcess {
 public:
  ServerProcess(const std::vector<std::string>& args, const fs::path& log) : log_(log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, STDERR_FILENO);
      const int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, STDIN_FILENO);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(LOCKSIM_BINARY));
      argv.push_back(const_cast<char*>("serve"));
      for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
      argv.push_back(nullptr);
      ::execv(LOCKSIM_BINARY, argv.data());
      ::_exit(127);
    }
  }
  ~ServerProcess() {
    if (!exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  // The port from the "serving on 127.0.0.1:PORT" line, waiting up to 20 s for it.
  std::optional<int> Port() {
    const std::string serving = "serving on 127.0.0.1:";
    for (int looks = 0; looks < 2000; ++looks) {
      const std::string log = ReadFile(log_);
      const size_t at = log.find(serving);
      if (at != std::string::npos) {
        const size_t digits = at + serving.size();
        const size_t end = log.find_first_not_of("0123456789", digits);
        if (end > digits && end != std::string::npos) return std::stoi(log.substr(digits));
      }
      if (Exited()) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
  }

  // Sends `signal` and waits up to 20 s for the exit; the exit status, or -1.
  int SignalAndWait(int signal) {
    ::kill(pid_, signal);
    for (int looks = 0; looks < 2000; ++looks) {
      if (Exited()) return status_;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

  // Waits up to 20 s for the process to exit by itself.
  int Wait() { return SignalAndWait(0); }

  std::string log() const { return ReadFile(log_); }

 private:
  bool Exited() {
    if (exited_) return true;
    int raw = 0;
    if (::waitpid(pid_, &raw, WNOHANG) != pid_) return false;
    exited_ = true;
    status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    return true;
  }

  fs::path log_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = -1;
};

class NetCli : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("locksim_net_cli_test_" + std::to_string(::getpid()) + "_" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `locksim ARGS` from the source directory, bounded by `timeout` (coreutils).
  Outcome Locksim(const std::string& args) {
    const fs::path out = dir_ / "stdout";
    const fs::path err = dir_ / "stderr";
    const std::string command = "cd '" LOCKSIM_SOURCE_DIR "' && NO_COLOR=1 timeout 300 '" +
                                std::string(LOCKSIM_BINARY) + "' " + args + " >'" + out.string() +
                                "' 2>'" + err.string() + "' </dev/null";
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

  // A port on 127.0.0.1 that nothing listens on (it was free a moment ago).
  static int FreePort() {
    asio::io_context io;
    asio::ip::tcp::acceptor probe(io,
                                  asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return probe.local_endpoint().port();
  }

  fs::path dir_;
};

TEST_F(NetCli, HelpExitsZero) {
  EXPECT_EQ(Locksim("serve --help").status, 0);
  const Outcome load = Locksim("load --help");
  EXPECT_EQ(load.status, 0);
  EXPECT_NE(load.out.find("--primary"), std::string::npos);
}

TEST_F(NetCli, ServeBadArgumentsExitTwo) {
  EXPECT_EQ(Locksim("serve --role boss --listen 127.0.0.1:0").status, 2);
  EXPECT_EQ(Locksim("serve --role primary").status, 2) << "--listen is required";
  for (const char* listen : {"127.0.0.1", "127.0.0.1:70000", "::1:7000", "127.0.0.1:x", ":7"}) {
    const Outcome o = Locksim(std::string("serve --role backup --listen '") + listen + "'");
    EXPECT_EQ(o.status, 2) << listen;
    EXPECT_NE(o.err.find("--listen"), std::string::npos) << listen << ": " << o.err;
  }
  const Outcome backup_with_backup =
      Locksim("serve --role backup --listen 127.0.0.1:0 --backup 127.0.0.1:7001");
  EXPECT_EQ(backup_with_backup.status, 2);
  EXPECT_NE(backup_with_backup.err.find("forwards to nobody"), std::string::npos);
  EXPECT_EQ(Locksim("serve --role backup --listen 127.0.0.1:0 --drop-replies 1.5").status, 2);
}

TEST_F(NetCli, ServeThatCannotBindExitsTwo) {
  asio::io_context io;
  asio::ip::tcp::acceptor taken(io,
                                asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const int port = taken.local_endpoint().port();
  const Outcome o =
      Locksim("serve --role backup --listen 127.0.0.1:" + std::to_string(port) + " --json");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("cannot bind"), std::string::npos) << o.err;
  EXPECT_EQ(o.out, "") << "--json prints nothing when there is no run";
  // Not an address of this machine.
  EXPECT_EQ(Locksim("serve --role backup --listen 192.0.2.1:7000").status, 2);
}

TEST_F(NetCli, LoadBadInputExitsTwoAndWritesNothing) {
  const std::string servers = " --primary 127.0.0.1:1 --backup 127.0.0.1:2";
  const fs::path history = dir_ / "h.json";
  const Outcome missing = Locksim("load no/such.json" + servers);
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("no/such.json"), std::string::npos) << missing.err;

  const fs::path bad = Write("bad.json", R"({"clients": 2, "workload": {"locks": "many"}})");
  const Outcome malformed = Locksim("load '" + bad.string() + "'" + servers +
                                    " --json --history '" + history.string() + "'");
  EXPECT_EQ(malformed.status, 2);
  EXPECT_NE(malformed.err.find("workload"), std::string::npos) << malformed.err;
  EXPECT_EQ(malformed.out, "");

  const Outcome scripted = Locksim("load scenarios/lab1/basic.json" + servers);
  EXPECT_EQ(scripted.status, 2);
  EXPECT_NE(scripted.err.find("steps"), std::string::npos) << scripted.err;

  EXPECT_EQ(
      Locksim("load scenarios/no_faults.json --primary 127.0.0.1 --backup 127.0.0.1:2").status, 2);
  EXPECT_EQ(Locksim("load scenarios/no_faults.json --primary 127.0.0.1:1").status, 2)
      << "--backup is required";
  EXPECT_EQ(Locksim("load scenarios/no_faults.json" + servers + " --seed -1").status, 2);
  EXPECT_EQ(Locksim("load scenarios/no_faults.json" + servers + " --flaw no-such").status, 2);
  const Outcome unwritable =
      Locksim("load scenarios/no_faults.json" + servers + " --history /no/such/dir/h.json");
  EXPECT_EQ(unwritable.status, 2);
  EXPECT_NE(unwritable.err.find("/no/such/dir/h.json"), std::string::npos) << unwritable.err;
  EXPECT_FALSE(fs::exists(history)) << "nothing written on bad input";
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << entry.path();
  }
}

TEST_F(NetCli, LoadWithUnreachableServersExitsTwo) {
  const int port = FreePort();
  const fs::path history = dir_ / "h.json";
  const Outcome o =
      Locksim("load scenarios/no_faults.json --primary 127.0.0.1:" + std::to_string(port) +
              " --backup 127.0.0.1:" + std::to_string(port) + " --json --history '" +
              history.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("cannot reach the primary"), std::string::npos) << o.err;
  EXPECT_EQ(o.out, "");
  EXPECT_FALSE(fs::exists(history));
}

// The whole story by hand: a backup, a primary that forwards to it, a load with --json and
// --history, `locksim check` on the history, then SIGTERM for both servers.
TEST_F(NetCli, ServeAndLoadEndToEnd) {
  ServerProcess backup({"--role", "backup", "--listen", "127.0.0.1:0"}, dir_ / "backup.log");
  const std::optional<int> backup_port = backup.Port();
  ASSERT_TRUE(backup_port.has_value()) << backup.log();
  const std::string backup_at = "127.0.0.1:" + std::to_string(*backup_port);
  ServerProcess primary({"--role", "primary", "--listen", "127.0.0.1:0", "--backup", backup_at},
                        dir_ / "primary.log");
  const std::optional<int> primary_port = primary.Port();
  ASSERT_TRUE(primary_port.has_value()) << primary.log();
  const std::string primary_at = "127.0.0.1:" + std::to_string(*primary_port);

  const fs::path history = dir_ / "history.json";
  const Outcome load =
      Locksim("load scenarios/no_faults.json --primary " + primary_at + " --backup " + backup_at +
              " --seed 5 --json --history '" + history.string() + "'");
  ASSERT_EQ(load.status, 0) << load.out << load.err << primary.log() << backup.log();
  const json report = json::parse(load.out);  // exactly one object
  EXPECT_EQ(report["outcome"], "pass");
  EXPECT_EQ(report["seed"], 5);
  EXPECT_EQ(report["operations"]["completed"], 400);
  EXPECT_EQ(report["reproducible"], false);
  EXPECT_TRUE(report["latency_us"].contains("p99"));
  EXPECT_GT(report["ops_per_second"].get<double>(), 0);

  const Outcome check = Locksim("check '" + history.string() + "' --json");
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_EQ(json::parse(check.out)["operations"], 400);

  // The human summary says the run is not reproducible like a simulated one.
  const Outcome human =
      Locksim("load scenarios/no_faults.json --primary " + primary_at + " --backup " + backup_at);
  EXPECT_EQ(human.status, 0) << human.out;
  EXPECT_NE(human.out.find("PASS"), std::string::npos);
  EXPECT_NE(human.out.find("not reproducible"), std::string::npos);

  EXPECT_EQ(primary.SignalAndWait(SIGTERM), 0) << primary.log();
  EXPECT_EQ(backup.SignalAndWait(SIGTERM), 0) << backup.log();
}

TEST_F(NetCli, ServeJsonReportsItsCountersOnSigterm) {
  const fs::path out = dir_ / "serve.json";
  // Through a shell so that stdout lands in a file.
  const std::string command =
      "NO_COLOR=1 '" + std::string(LOCKSIM_BINARY) +
      "' serve --role backup --listen 127.0.0.1:0 --json >'" + out.string() + "' 2>'" +
      (dir_ / "serve.log").string() + "' & pid=$!; for i in $(seq 200); do grep -q 'serving on' '" +
      (dir_ / "serve.log").string() + "' && break; sleep 0.05; done; kill -TERM $pid; wait $pid";
  const int raw = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(raw));
  EXPECT_EQ(WEXITSTATUS(raw), 0) << ReadFile(dir_ / "serve.log");
  const json stats = json::parse(ReadFile(out));
  EXPECT_EQ(stats["role"], "backup");
  EXPECT_EQ(stats["signal"], "SIGTERM");
  EXPECT_EQ(stats["executed"], 0);
}

TEST_F(NetCli, APrimaryWhoseBackupIsAPrimaryExitsTwo) {
  ServerProcess other({"--role", "primary", "--listen", "127.0.0.1:0"}, dir_ / "other.log");
  const std::optional<int> port = other.Port();
  ASSERT_TRUE(port.has_value()) << other.log();
  ServerProcess primary({"--role", "primary", "--listen", "127.0.0.1:0", "--backup",
                         "127.0.0.1:" + std::to_string(*port)},
                        dir_ / "primary.log");
  EXPECT_EQ(primary.Wait(), 2) << primary.log();
  EXPECT_NE(primary.log().find("not the backup"), std::string::npos) << primary.log();
}

}  // namespace
