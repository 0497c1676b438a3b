// The name table of the one-pass checker: a wrong id would merge two locks' histories (or split
// one), so every way two names can differ is tried, in each length class of its key.
#include "check/lock_name_ids.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace locksim::check {
namespace {

TEST(LockNameIds, IdsAreDenseInOrderOfFirstAppearance) {
  LockNameIds ids;
  EXPECT_EQ(ids.IdOf("b"), 0u);
  EXPECT_EQ(ids.IdOf("a"), 1u);
  EXPECT_EQ(ids.IdOf("b"), 0u);
  EXPECT_EQ(ids.IdOf("c"), 2u);
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids.name(1), "a");
}

TEST(LockNameIds, SameNameInAnotherStringGetsTheSameId) {
  LockNameIds ids;
  const std::string first = "a lock with a long name, beyond sixteen bytes";
  const std::string second = first;  // equal text, different storage
  EXPECT_EQ(ids.IdOf(first), ids.IdOf(second));
  EXPECT_EQ(ids.size(), 1u);
}

// Every name length from 0 to 40 bytes, and for each a family of names that differ in exactly
// one byte, at every position: the first, middle and last bytes that short keys read, the
// overlap of long keys, and the middle of names longer than 16 bytes that keys do not read.
// Embedded NUL bytes too.
TEST(LockNameIds, NamesThatDifferInOneByteGetDifferentIds) {
  LockNameIds ids;
  std::vector<std::string> names;
  for (size_t length = 0; length <= 40; ++length) {
    const std::string base(length, 'x');
    names.push_back(base);
    for (size_t at = 0; at < length; ++at) {
      for (const char c : {'y', '\0'}) {
        std::string name = base;
        name[at] = c;
        names.push_back(name);
      }
    }
  }
  for (size_t k = 0; k < names.size(); ++k) {
    ASSERT_EQ(ids.IdOf(names[k]), k) << "name " << k << " of length " << names[k].size();
  }
  // Looked up again, in another order and with repeats (the table guesses the last id after a
  // repeat), every name keeps its id.
  for (size_t k = names.size(); k-- > 0;) {
    ASSERT_EQ(ids.IdOf(names[k]), k);
    ASSERT_EQ(ids.IdOf(names[k]), k);
    ASSERT_EQ(ids.IdOf(names[k / 2]), k / 2);
  }
  EXPECT_EQ(ids.size(), names.size());
}

TEST(LockNameIds, GrowsToManyNames) {
  LockNameIds ids;
  std::vector<std::string> names;
  for (int k = 0; k < 20'000; ++k) names.push_back("lock-" + std::to_string(k));
  for (size_t k = 0; k < names.size(); ++k) ASSERT_EQ(ids.IdOf(names[k]), k);
  for (size_t k = 0; k < names.size(); ++k) ASSERT_EQ(ids.IdOf(names[k]), k);
  EXPECT_EQ(ids.size(), names.size());
}

}  // namespace
}  // namespace locksim::check
