#include "sim/network.h"

#include <gtest/gtest.h>

namespace locksim::sim {
namespace {

NetworkConfig Config(double drop, double duplicate) {
  NetworkConfig config;
  config.latency = {Duration::Millis(1), Duration::Millis(10)};
  for (ChannelFaults& faults : config.channels) {
    faults.drop = Probability::FromDouble(drop);
    faults.duplicate = Probability::FromDouble(duplicate);
  }
  return config;
}

TEST(Network, ReliableNetworkDeliversOnceWithinLatencyRange) {
  Network network(Config(0, 0), 3, Prng(1));
  for (int i = 0; i < 1000; ++i) {
    const MessageFate fate = network.Decide(0, 1, Channel::kRequest);
    ASSERT_EQ(fate.outcome, MessageFate::Outcome::kDelivered);
    ASSERT_EQ(fate.copies, 1);
    ASSERT_GE(fate.latency[0], Duration::Millis(1));
    ASSERT_LE(fate.latency[0], Duration::Millis(10));
  }
}

TEST(Network, DropAndDuplicateRatesFollowTheirProbabilities) {
  Network network(Config(0.2, 0.1), 2, Prng(7));
  int dropped = 0;
  int duplicated = 0;
  for (int i = 0; i < 20000; ++i) {
    const MessageFate fate = network.Decide(0, 1, Channel::kReply);
    dropped += fate.outcome == MessageFate::Outcome::kDropped ? 1 : 0;
    duplicated += fate.copies == 2 ? 1 : 0;
  }
  EXPECT_NEAR(dropped, 4000, 300);
  EXPECT_NEAR(duplicated, 1600, 200);  // 10% of the 80% not dropped
}

TEST(Network, ChannelsAreIndependent) {
  NetworkConfig config = Config(0, 0);
  config.channels[static_cast<size_t>(Channel::kForward)].drop = Probability::Always();
  Network network(config, 2, Prng(3));
  EXPECT_EQ(network.Decide(0, 1, Channel::kForward).outcome, MessageFate::Outcome::kDropped);
  EXPECT_EQ(network.Decide(0, 1, Channel::kRequest).outcome, MessageFate::Outcome::kDelivered);
}

TEST(Network, PartitionsBlockOneDirectionAndHeal) {
  Network network(Config(0, 0), 3, Prng(1));
  network.SetBlocked(0, 1, true);
  EXPECT_EQ(network.Decide(0, 1, Channel::kForward).outcome, MessageFate::Outcome::kBlocked);
  EXPECT_EQ(network.Decide(1, 0, Channel::kForwardReply).outcome, MessageFate::Outcome::kDelivered);
  network.SetBlocked(0, 1, false);
  EXPECT_EQ(network.Decide(0, 1, Channel::kForward).outcome, MessageFate::Outcome::kDelivered);
}

TEST(Network, SameSeedSameFates) {
  Network a(Config(0.3, 0.3), 2, Prng(77));
  Network b(Config(0.3, 0.3), 2, Prng(77));
  for (int i = 0; i < 500; ++i) {
    const MessageFate x = a.Decide(0, 1, Channel::kRequest);
    const MessageFate y = b.Decide(0, 1, Channel::kRequest);
    ASSERT_EQ(x.outcome, y.outcome);
    ASSERT_EQ(x.copies, y.copies);
    ASSERT_EQ(x.latency, y.latency);
  }
}

}  // namespace
}  // namespace locksim::sim
