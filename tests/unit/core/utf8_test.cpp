#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rqwatch {
namespace {

TEST(IsValidUtf8Test, AcceptsAsciiAndWellFormedSequences) {
    EXPECT_TRUE(IsValidUtf8(""));
    EXPECT_TRUE(IsValidUtf8("plain ascii\r\n"));
    EXPECT_TRUE(IsValidUtf8("M\xc3\xbcnchen"));                        // ü, 2 bytes
    EXPECT_TRUE(IsValidUtf8("\xe2\x82\xac"));                          // €, 3 bytes
    EXPECT_TRUE(IsValidUtf8("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"));  // 日本語
    EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));                      // 😀 U+1F600, 4 bytes
    EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));      // U+10FFFF, the last code point
    EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));  // NUL is valid UTF-8
}

TEST(IsValidUtf8Test, RejectsOverlongForms) {
    EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));  // '/' in 2 bytes
    EXPECT_FALSE(IsValidUtf8("\xc1\xbf"));
    EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // '/' in 3 bytes
    EXPECT_FALSE(IsValidUtf8("\xe0\x9f\xbf"));      // U+07FF in 3 bytes
    EXPECT_FALSE(IsValidUtf8("\xf0\x80\x80\xaf"));  // '/' in 4 bytes
    EXPECT_FALSE(IsValidUtf8("\xf0\x8f\xbf\xbf"));  // U+FFFF in 4 bytes
}

TEST(IsValidUtf8Test, RejectsSurrogatesAndOutOfRange) {
    EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));          // U+D800
    EXPECT_FALSE(IsValidUtf8("\xed\xbf\xbf"));          // U+DFFF
    EXPECT_TRUE(IsValidUtf8("\xed\x9f\xbf"));           // U+D7FF is fine
    EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));      // U+110000
    EXPECT_FALSE(IsValidUtf8("\xf8\x88\x80\x80\x80"));  // 5-byte form
    EXPECT_FALSE(IsValidUtf8("\xff"));
    EXPECT_FALSE(IsValidUtf8("\xfe"));
}

TEST(IsValidUtf8Test, RejectsTruncatedAndStrayBytes) {
    EXPECT_FALSE(IsValidUtf8("\xc3"));          // lead byte at end
    EXPECT_FALSE(IsValidUtf8("abc\xe2\x82"));   // 3-byte sequence cut short
    EXPECT_FALSE(IsValidUtf8("\xf0\x9f\x98"));  // emoji cut short
    EXPECT_FALSE(IsValidUtf8("\x80"));          // continuation without lead
    EXPECT_FALSE(IsValidUtf8("\xc3("));         // lead followed by ASCII
    EXPECT_FALSE(IsValidUtf8("M\xfcnchen"));    // latin-1
}

TEST(Utf8OrCp1252Test, ValidUtf8IsUnchanged) {
    const std::string s =
        "Gr\xc3\xbc\xc3\x9f"
        "e aus M\xc3\xbcnchen \xe2\x80\x94 \xf0\x9f\x98\x80";
    EXPECT_EQ(Utf8OrCp1252(s), s);
    EXPECT_EQ(Utf8OrCp1252(""), "");
    EXPECT_EQ(Utf8OrCp1252("ascii"), "ascii");
}

TEST(Utf8OrCp1252Test, Latin1BecomesUtf8) {
    EXPECT_EQ(Utf8OrCp1252("M\xfcnchen"), "M\xc3\xbcnchen");
    EXPECT_EQ(Utf8OrCp1252("caf\xe9"), "caf\xc3\xa9");
    EXPECT_EQ(Utf8OrCp1252("\xa0"), "\xc2\xa0");
    EXPECT_EQ(Utf8OrCp1252("\xff"), "\xc3\xbf");
}

TEST(Utf8OrCp1252Test, Windows1252HighRange) {
    EXPECT_EQ(Utf8OrCp1252("\x80"), "\xe2\x82\xac");  // €
    EXPECT_EQ(Utf8OrCp1252("\x93quoted\x94"), "\xe2\x80\x9cquoted\xe2\x80\x9d");
    EXPECT_EQ(Utf8OrCp1252("\x99"), "\xe2\x84\xa2");  // ™
    EXPECT_EQ(Utf8OrCp1252("\x9f"), "\xc5\xb8");      // Ÿ
    // Bytes Windows-1252 leaves undefined become U+FFFD.
    EXPECT_EQ(Utf8OrCp1252("\x81"), "\xef\xbf\xbd");
    EXPECT_EQ(Utf8OrCp1252("\x9d"), "\xef\xbf\xbd");
}

TEST(Utf8OrCp1252Test, MixedInvalidInputIsDecodedAsAWhole) {
    // One invalid byte makes the whole string CP1252, including bytes that
    // looked like UTF-8: the output is always valid UTF-8.
    const std::string out = Utf8OrCp1252("\xc3\xbc \xfc");
    EXPECT_EQ(out, "\xc3\x83\xc2\xbc \xc3\xbc");
    EXPECT_TRUE(IsValidUtf8(out));
}

}  // namespace
}  // namespace rqwatch

namespace rqwatch {
namespace {

TEST(CutUtf8Test, NeverSplitsACharacter) {
    std::string s = "a\xc3\xa9\xe2\x82\xac";  // a é €: 1 + 2 + 3 bytes
    EXPECT_FALSE(CutUtf8(s, 6));
    EXPECT_EQ(s, "a\xc3\xa9\xe2\x82\xac");
    EXPECT_TRUE(CutUtf8(s, 5));
    EXPECT_EQ(s, "a\xc3\xa9");
    EXPECT_TRUE(CutUtf8(s, 2));
    EXPECT_EQ(s, "a");
    EXPECT_TRUE(CutUtf8(s, 0));
    EXPECT_EQ(s, "");
}

}  // namespace
}  // namespace rqwatch
