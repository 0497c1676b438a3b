// Each flaw in service::AllFlaws(): a script whose outcome shows the flaw's wrong behaviour, and
// the same script with no flaw giving the right one. Plus the catalogue itself.
#include "service/flaws.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/service/fake_environment.h"

namespace locksim::service::testing {
namespace {

TEST(FlawCatalogueTest, NamesRoundTripAndDescriptionsAreThere) {
  EXPECT_GE(AllFlaws().size(), 8u);
  for (const FlawInfo& info : AllFlaws()) {
    EXPECT_NE(info.flaw, Flaw::kNone);
    EXPECT_EQ(FlawByName(info.name), info.flaw) << info.name;
    EXPECT_EQ(FlawName(info.flaw), info.name);
    EXPECT_GT(info.description.size(), 80u) << info.name;
  }
  EXPECT_EQ(FlawByName("none"), Flaw::kNone);
  EXPECT_EQ(FlawName(Flaw::kNone), "none");
  EXPECT_EQ(FlawByName("no-such-flaw"), std::nullopt);
}

// "c0: lock(a)=true, lock(b)=false | c1: ..."
std::string AllCompleted(const FakeNetwork& n) {
  std::vector<std::string> parts;
  for (ClientId c = 0; c < n.clients(); ++c) {
    parts.push_back(absl::StrCat("c", c, ": ", absl::StrJoin(n.Completed(c), ", ")));
  }
  return absl::StrJoin(parts, " | ");
}

// The lab's primary_fail2 shape: client 0's Lock(b) executes (forward included), its reply is
// lost and the primary dies; the re-send reaches the backup.
std::string DeafPrimaryReSend(Flaw flaw) {
  FakeNetwork n(1, flaw, flaw);
  n.Lock(0, "a");
  n.MakeDeaf(kPrimaryNode);
  n.Lock(0, "b");
  return AllCompleted(n);
}

// Lock(a) twice in a row by one client: two different operations.
std::string SameOperationTwice(Flaw flaw) {
  FakeNetwork n(1, flaw, flaw);
  n.Lock(0, "a");
  n.Lock(0, "a");
  return AllCompleted(n);
}

// Client 0's Lock(a) executes on the primary; the primary dies before its forward leaves; then
// client 1 locks a at the backup and client 0's call times out and is re-sent.
std::string PrimaryDiesBeforeItsForward(Flaw flaw) {
  FakeNetwork n(2, flaw, flaw);
  n.StartLock(0, "a");
  n.DeliverCall("client0");
  while (!n.replies().empty()) n.DeliverReply(size_t{0});  // a premature reply, if any
  n.Kill(kPrimaryNode);
  n.FailCall(n.CallIndex("forward 1"), CallFailure::kTimeout);  // lost with the primary
  n.Lock(1, "a");
  n.RunUntilQuiet();
  return AllCompleted(n);
}

// What client 0 completed, whether it is still re-sending a call nothing answers (until
// FakeNetwork::kMaxTimeouts), and how many calls it made.
std::string ClientZeroOutcome(FakeNetwork& n) {
  return absl::StrCat(AllCompleted(n), n.clerk(0).busy() ? " (still re-sending)" : "", " after ",
                      n.clerk(0).calls_made(), " calls");
}

std::string PrimaryKilledThenLock(Flaw flaw) {
  FakeNetwork n(1, flaw, flaw);
  n.Kill(kPrimaryNode);
  n.Lock(0, "a");
  return ClientZeroOutcome(n);
}

std::string BackupKilledThenLock(Flaw flaw) {
  FakeNetwork n(1, flaw, flaw);
  n.Lock(0, "a");
  n.Kill(kBackupNode);
  n.Lock(0, "b");
  return ClientZeroOutcome(n);
}

// Lock(x) then Unlock(x), pipelined; the network swaps their forwards.
std::string ReorderedForwards(Flaw flaw) {
  FakeNetwork n(2, flaw, flaw);
  n.StartLock(0, "x");
  n.StartUnlock(1, "x");
  n.DeliverCall("client0");
  n.DeliverCall("client1");
  n.DeliverCall("forward 2");
  n.DeliverCall("forward 1");
  n.RunUntilQuiet();
  return absl::StrCat(AllCompleted(n), "; primary holds [",
                      absl::StrJoin(n.primary().HeldLocks(), ","), "], backup holds [",
                      absl::StrJoin(n.backup().HeldLocks(), ","),
                      "], mismatches=", n.backup().stats().result_mismatches);
}

struct FlawScript {
  std::function<std::string(Flaw)> script;
  std::string correct;  // with Flaw::kNone
  std::string flawed;   // with the flaw
};

const std::map<Flaw, FlawScript>& Scripts() {
  static const auto* const scripts = new std::map<Flaw, FlawScript>{
      // The re-send executes again on the backup: Lock(b) now finds b held by itself.
      {Flaw::kNoDuplicateTable,
       {DeafPrimaryReSend, "c0: lock(a)=true, lock(b)=true", "c0: lock(a)=true, lock(b)=false"}},
      {Flaw::kDuplicateByOperation,
       {SameOperationTwice, "c0: lock(a)=true, lock(a)=false", "c0: lock(a)=true, lock(a)=true"}},
      // Client 0 saw its Lock(a) succeed, the backup never got it, and grants a to client 1.
      {Flaw::kReplyBeforeForwardAck,
       {PrimaryDiesBeforeItsForward, "c0: lock(a)=false | c1: lock(a)=true",
        "c0: lock(a)=true | c1: lock(a)=true"}},
      {Flaw::kBackupForgetsForwardedResults,
       {DeafPrimaryReSend, "c0: lock(a)=true, lock(b)=true", "c0: lock(a)=true, lock(b)=false"}},
      {Flaw::kClerkGivesUp,
       {PrimaryKilledThenLock, "c0: lock(a)=true after 2 calls",
        "c0: lock(a)=failed after 1 calls"}},
      {Flaw::kForwardOutOfOrder,
       {ReorderedForwards,
        "c0: lock(x)=true | c1: unlock(x)=true; primary holds [], backup holds [], mismatches=0",
        "c0: lock(x)=true | c1: unlock(x)=true; primary holds [], backup holds [x], "
        "mismatches=1"}},
      // The primary refuses, the backup never answers: the clerk re-sends for ever, as it must
      // while a server is alive (the simulator's run budget then ends the run: liveness).
      {Flaw::kBackupNeverTakesOver,
       {PrimaryKilledThenLock, "c0: lock(a)=true after 2 calls",
        "c0:  (still re-sending) after 202 calls"}},
      // The backup refuses, the primary never answers (it waits for the dead backup's ack).
      {Flaw::kPrimaryWaitsForDeadBackup,
       {BackupKilledThenLock, "c0: lock(a)=true, lock(b)=true after 2 calls",
        "c0: lock(a)=true (still re-sending) after 202 calls"}},
  };
  return *scripts;
}

TEST(FlawTest, EveryFlawHasAScript) {
  for (const FlawInfo& info : AllFlaws()) {
    EXPECT_TRUE(Scripts().contains(info.flaw)) << "no script shows flaw " << info.name;
  }
}

class EachFlawTest : public ::testing::TestWithParam<FlawInfo> {};

TEST_P(EachFlawTest, ScriptGoesWrongWithTheFlawAndRightWithout) {
  const FlawInfo& info = GetParam();
  auto it = Scripts().find(info.flaw);
  ASSERT_NE(it, Scripts().end()) << info.name;
  EXPECT_EQ(it->second.script(Flaw::kNone), it->second.correct) << "without " << info.name;
  EXPECT_EQ(it->second.script(info.flaw), it->second.flawed) << "with " << info.name;
}

INSTANTIATE_TEST_SUITE_P(AllFlaws, EachFlawTest, ::testing::ValuesIn(AllFlaws()),
                         [](const ::testing::TestParamInfo<FlawInfo>& param) {
                           std::string name;
                           for (char ch : param.param.name) {
                             if (ch != '-') name += ch;
                           }
                           return name;
                         });

}  // namespace
}  // namespace locksim::service::testing
