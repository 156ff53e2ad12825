// ToValidUtf8 and DecodeHeaderValue: the helpers for values that arrive
// outside a parsed message (X-Rspamd-subject) and for raw header bytes.

#include <glib.h>
#include <gtest/gtest.h>

#include <string>

#include "mime/parse_mail.hpp"

namespace rqwatch::mime {
namespace {

using namespace std::string_literals;

TEST(ToValidUtf8, KeepsValidUtf8Unchanged) {
    EXPECT_EQ(ToValidUtf8(""), "");
    EXPECT_EQ(ToValidUtf8("plain ascii"), "plain ascii");
    EXPECT_EQ(ToValidUtf8("Grüße aus München — 日本語 🍫"), "Grüße aus München — 日本語 🍫");
}

TEST(ToValidUtf8, KeepsNulBytesOfOtherwiseValidText) { EXPECT_EQ(ToValidUtf8("a\0b"s), "a\0b"s); }

TEST(ToValidUtf8, ReadsInvalidBytesAsWindows1252) {
    EXPECT_EQ(ToValidUtf8("M\xfcnchen"), "München");
    // 0x80 and 0x93/0x94 are where Windows-1252 differs from ISO-8859-1.
    EXPECT_EQ(ToValidUtf8("\x93quoted\x94 costs 5\x80"), "“quoted” costs 5€");
    // Truncated UTF-8 sequence: the whole value is read as Windows-1252.
    EXPECT_EQ(ToValidUtf8("caf\xc3"), "cafÃ");
}

TEST(ToValidUtf8, ReplacesBytesUndefinedInWindows1252) {
    // 0x81 and 0x8D have no Windows-1252 mapping; the rest still converts.
    EXPECT_EQ(ToValidUtf8("M\xfc\x81nchen\x8d"), "Mü\xEF\xBF\xBDnchen\xEF\xBF\xBD");
}

TEST(DecodeHeaderValue, KeepsRawUtf8) {
    EXPECT_EQ(DecodeHeaderValue("Grüße aus München"), "Grüße aus München");
}

TEST(DecodeHeaderValue, DecodesUtf8EncodedWords) {
    EXPECT_EQ(DecodeHeaderValue("=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_M=C3=BCnchen?="),
              "Grüße aus München");
    EXPECT_EQ(DecodeHeaderValue("=?utf-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4g4oCUIOaXpeacrOiqng==?="),
              "Grüße aus München — 日本語");
    // Whitespace between adjacent encoded-words is not part of the text (and
    // the padded first word trips jstedfast/gmime#133 without our workaround).
    EXPECT_EQ(DecodeHeaderValue("=?utf-8?B?Q29uZmlybSB0aGUgdHJhbnNhY3Q=?= =?utf-8?B?aW9u?="),
              "Confirm the transaction");
    EXPECT_EQ(DecodeHeaderValue("Re: =?UTF-8?Q?pr=C3=AAmio?= no valor"), "Re: prêmio no valor");
}

TEST(DecodeHeaderValue, DecodesIso88591EncodedWords) {
    EXPECT_EQ(DecodeHeaderValue("=?ISO-8859-1?Q?M=FCnchen?="), "München");
    EXPECT_EQ(DecodeHeaderValue("=?iso-8859-1?b?TfxuY2hlbg==?="), "München");
}

TEST(DecodeHeaderValue, TakesStray8BitBytesAsWindows1252) {
    EXPECT_EQ(DecodeHeaderValue("M\xfcnchen"), "München");
    EXPECT_EQ(DecodeHeaderValue("[WM] \xf6z\xfcr dileriz"), "[WM] özür dileriz");
}

TEST(DecodeHeaderValue, LeavesBrokenEncodedWordsReadable) {
    // Unterminated word: kept literally rather than dropped.
    EXPECT_EQ(DecodeHeaderValue("=?UTF-8?Q?broken"), "=?UTF-8?Q?broken");
    // Unknown charset and invalid base64 must not crash nor yield invalid UTF-8.
    const std::string unknown = DecodeHeaderValue("=?x-no-such-charset?Q?abc?=");
    EXPECT_TRUE(g_utf8_validate(unknown.data(), static_cast<gssize>(unknown.size()), nullptr));
    EXPECT_NE(unknown.find("abc"), std::string::npos);
    const std::string bad_base64 = DecodeHeaderValue("=?UTF-8?B?!!!?= tail");
    EXPECT_TRUE(
        g_utf8_validate(bad_base64.data(), static_cast<gssize>(bad_base64.size()), nullptr));
    EXPECT_TRUE(bad_base64.ends_with("tail"));
    // An encoded-word that claims UTF-8 but carries Latin-1 bytes.
    const std::string lying = DecodeHeaderValue("=?UTF-8?Q?M=FCnchen?=");
    EXPECT_TRUE(g_utf8_validate(lying.data(), static_cast<gssize>(lying.size()), nullptr));
}

TEST(DecodeHeaderValue, TurnsLineBreaksAndControlCharsIntoSingleSpaces) {
    EXPECT_EQ(DecodeHeaderValue("Hello\r\nBcc: victim@example.com"),
              "Hello Bcc: victim@example.com");
    EXPECT_EQ(DecodeHeaderValue("a\tb\x01\x7f"
                                "c\r\n\r\n"),
              "a b c");
    EXPECT_EQ(DecodeHeaderValue("  padded   words  "), "padded words");
    // Encoded line breaks are as dangerous as raw ones.
    EXPECT_EQ(DecodeHeaderValue("=?UTF-8?Q?x=0D=0ASet-Cookie:_y?="), "x Set-Cookie: y");
    EXPECT_EQ(DecodeHeaderValue("nul\0byte"s), "nul byte");
}

TEST(DecodeHeaderValue, EmptyInputGivesEmptyOutput) {
    EXPECT_EQ(DecodeHeaderValue(""), "");
    EXPECT_EQ(DecodeHeaderValue(" \r\n\t"), "");
}

}  // namespace
}  // namespace rqwatch::mime
