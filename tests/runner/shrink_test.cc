// The shrinker on the shipped 4x150 source scenario: from a failing seed of a built-in flaw to a
// small scripted scenario that fails the same check on every seed and passes without the flaw.
#include "runner/shrink.h"

#include <gtest/gtest.h>

#include <string>

#include "runner/simulation.h"
#include "scenario/scenario_parser.h"

namespace locksim::runner {
namespace {

constexpr char kSource[] = LOCKSIM_SCENARIOS_DIR "/crash_lost_replies_4x150.json";

scenario::Scenario Load(const std::string& path) {
  absl::StatusOr<scenario::Scenario> s = scenario::LoadScenario(path);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : scenario::Scenario{};
}

// The first seed (below 500) on which `flaw` makes the source scenario fail.
uint64_t FirstFailingSeed(const scenario::Scenario& s, service::Flaw flaw) {
  for (uint64_t seed = 0; seed < 500; ++seed) {
    RunOptions run;
    run.seed = seed;
    run.flaw = flaw;
    run.keep_history = false;
    if (!RunScenario(s, run).passed) return seed;
  }
  ADD_FAILURE() << "no failing seed below 500";
  return 0;
}

ShrinkOptions Options(uint64_t seed, service::Flaw flaw) {
  ShrinkOptions options;
  options.seed = seed;
  options.flaw = flaw;
  options.scenario_path = "scenarios/crash_lost_replies_4x150.json";
  return options;
}

std::string Repro(uint64_t seed, service::Flaw flaw) {
  return "locksim shrink scenarios/crash_lost_replies_4x150.json --seed " + std::to_string(seed) +
         " --flaw " + std::string(service::FlawName(flaw));
}

TEST(Shrink, ReplyBeforeForwardAckShrinksToAFewOperationsFailingOnEverySeed) {
  const scenario::Scenario source = Load(kSource);
  const service::Flaw flaw = service::Flaw::kReplyBeforeForwardAck;
  const uint64_t seed = FirstFailingSeed(source, flaw);
  const absl::StatusOr<ShrinkResult> r = Shrink(source, Options(seed, flaw));
  ASSERT_TRUE(r.ok()) << r.status() << "\n" << Repro(seed, flaw);
  EXPECT_EQ(r->kind, kViolationLinearizability);
  EXPECT_EQ(r->original.clients, 4);
  EXPECT_EQ(r->original.operations, 600);
  EXPECT_LE(r->shrunk.clients, 3) << Repro(seed, flaw) << "\n" << r->scenario_text;
  EXPECT_LE(r->shrunk.operations, 8) << Repro(seed, flaw) << "\n" << r->scenario_text;
  EXPECT_LE(r->shrunk.faults, 2) << Repro(seed, flaw) << "\n" << r->scenario_text;
  EXPECT_LT(r->shrunk.messages, r->original.messages);
  EXPECT_EQ(r->seeds_failing, 100) << Repro(seed, flaw);
  EXPECT_EQ(r->passes_without_flaw, true) << Repro(seed, flaw);

  // The written file, read back as a user would: no randomness left, so every seed fails the
  // same check on the same lock, and without the flaw every seed passes.
  const absl::StatusOr<scenario::Scenario> written =
      scenario::ParseScenario(r->scenario_text, "shrunk.json");
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_FALSE(written->steps.empty());
  EXPECT_EQ(written->expect, scenario::Expect::kPass);
  EXPECT_NE(written->description.find("--flaw reply-before-forward-ack"), std::string::npos);
  for (uint64_t s = 0; s < 100; ++s) {
    RunOptions run;
    run.seed = s;
    run.flaw = flaw;
    const RunResult with = RunScenario(*written, run);
    ASSERT_FALSE(with.passed) << "seed " << s << "\n" << r->scenario_text;
    EXPECT_EQ(with.violations[0].kind, kViolationLinearizability);
    EXPECT_EQ(with.violations[0].lock, r->lock);
    run.flaw = service::Flaw::kNone;
    EXPECT_TRUE(RunScenario(*written, run).passed) << "seed " << s << "\n" << r->scenario_text;
  }
}

TEST(Shrink, SameInputSameScenario) {
  const scenario::Scenario source = Load(kSource);
  const service::Flaw flaw = service::Flaw::kNoDuplicateTable;
  const uint64_t seed = FirstFailingSeed(source, flaw);
  const absl::StatusOr<ShrinkResult> a = Shrink(source, Options(seed, flaw));
  const absl::StatusOr<ShrinkResult> b = Shrink(source, Options(seed, flaw));
  ASSERT_TRUE(a.ok() && b.ok()) << Repro(seed, flaw);
  EXPECT_EQ(a->scenario_text, b->scenario_text);
  EXPECT_EQ(a->runs, b->runs);
}

TEST(Shrink, APassingRunIsNotFound) {
  const absl::StatusOr<ShrinkResult> r = Shrink(Load(kSource), Options(0, service::Flaw::kNone));
  EXPECT_TRUE(absl::IsNotFound(r.status())) << r.status();
}

}  // namespace
}  // namespace locksim::runner
