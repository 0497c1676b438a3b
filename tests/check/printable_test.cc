// base/printable.h: what a lock name or key can hold never reaches a terminal raw. (Here, with the
// checker that first needed it, until base/ has a test folder of its own.)
#include "base/printable.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/check/history_generator.h"

namespace locksim {
namespace {

TEST(Printable, PlainTextPassesUnchanged) {
  EXPECT_EQ(Printable("lock-17 a/b:c"), "lock-17 a/b:c");
  EXPECT_EQ(Printable("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  EXPECT_EQ(Printable(""), "");
  EXPECT_EQ(QuotedPrintable("a"), "\"a\"");
}

TEST(Printable, ControlsAndTerminalEscapesAreEscaped) {
  EXPECT_EQ(Printable("a\x1b[2Jb"), "a\\x1b[2Jb");
  EXPECT_EQ(Printable("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
  EXPECT_EQ(Printable("line\nnext\r\t"), "line\\nnext\\r\\t");
  EXPECT_EQ(Printable(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(Printable("\x7f"), "\\x7f");
  EXPECT_EQ(Printable("back\\slash"), "back\\\\slash");
  // C1 controls (the 8-bit CSI, U+009B) and text that reorders or hides (right-to-left override,
  // zero-width space, byte order mark).
  EXPECT_EQ(Printable("\xc2\x9b"), "\\u009b");
  EXPECT_EQ(Printable("a\xe2\x80\xae"), "a\\u202e");
  EXPECT_EQ(Printable("\xe2\x80\x8b\xef\xbb\xbf"), "\\u200b\\ufeff");
  EXPECT_EQ(QuotedPrintable("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(Printable("say \"hi\""), "say \"hi\"");
}

TEST(Printable, BytesThatAreNotUtf8AreEscapedOneByOne) {
  EXPECT_EQ(Printable("\xff"), "\\xff");
  EXPECT_EQ(Printable("\xc3"), "\\xc3");                             // cut short
  EXPECT_EQ(Printable("\xc3\x28"), "\\xc3(");                        // bad continuation
  EXPECT_EQ(Printable("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(Printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(Printable("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // past U+10FFFF
  EXPECT_EQ(Printable("\x80x"), "\\x80x");                           // stray continuation
}

// Whatever the bytes, the result is printable ASCII or valid UTF-8 with no control characters.
TEST(Printable, AnyBytesComeOutPrintable) {
  for (uint64_t seed = 0; seed < 20'000; ++seed) {
    check::testing::TestRng rng(seed);
    std::string text(static_cast<size_t>(rng.Below(12)), '\0');
    for (char& c : text) c = static_cast<char>(rng.Below(256));
    const std::string out = Printable(text);
    for (size_t i = 0; i < out.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(out[i]);
      ASSERT_TRUE(c >= 0x20 && c != 0x7f) << "case seed " << seed;
      if (c == 0xc2) {
        ASSERT_LT(i + 1, out.size());
        ASSERT_GE(static_cast<unsigned char>(out[i + 1]), 0xa0)
            << "a C1 control, case seed " << seed;
      }
    }
  }
}

}  // namespace
}  // namespace locksim
