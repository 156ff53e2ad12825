#include "core/map_entry.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/map_kind.hpp"

namespace rqwatch {
namespace {

constexpr MapField kAllFields[] = {MapField::kEmail,  MapField::kIp,   MapField::kDomain,
                                   MapField::kAsn,    MapField::kUrl,  MapField::kText,
                                   MapField::kRegexp, MapField::kGlob, MapField::kKeyScore};

std::string Ok(MapField field, std::string_view text) {
    auto v = NormalizeMapValue(field, text);
    EXPECT_TRUE(v.has_value()) << text << ": " << (v ? "" : v.error().public_msg);
    return v.value_or("");
}

std::string Why(MapField field, std::string_view text) {
    auto v = NormalizeMapValue(field, text);
    EXPECT_FALSE(v.has_value()) << text << " was accepted as " << v.value_or("");
    if (v) return {};
    EXPECT_EQ(v.error().code, ErrorCode::kInvalidArgument);
    return v.error().public_msg;
}

TEST(MapNameTest, AcceptsDotsDashesUnderscoresDigits) {
    EXPECT_TRUE(ValidMapName("smtp_from.block"));
    EXPECT_TRUE(ValidMapName("ip-allow-2"));
    EXPECT_TRUE(ValidMapName("0day"));
    EXPECT_TRUE(ValidMapName(std::string(64, 'a')));
}

TEST(MapNameTest, RefusesWhatWouldEscapeAPathOrAUrl) {
    for (const char* bad : {"", "..", "a..b", ".hidden", "-x", "_x", "a/b", "a\\b", "A", "a b",
                            "a%2f", "a\nb", "naïve"}) {
        EXPECT_FALSE(ValidMapName(bad)) << bad;
    }
    EXPECT_FALSE(ValidMapName(std::string(65, 'a')));
}

TEST(MapFieldTest, NamesRoundTrip) {
    for (MapField f : kAllFields) {
        EXPECT_EQ(ParseMapField(MapFieldName(f)), f);
    }
    EXPECT_FALSE(ParseMapField("Email").has_value());
}

TEST(MapValueTest, EmailIsLowerCasedAndTrimmed) {
    EXPECT_EQ(Ok(MapField::kEmail, "  Bob.Smith+tag@Example.ORG. "), "bob.smith+tag@example.org");
    EXPECT_EQ(Ok(MapField::kEmail, "o'neil@example.org"), "o'neil@example.org");
}

TEST(MapValueTest, EmailRefusesWhatIsNoAddress) {
    EXPECT_NE(Why(MapField::kEmail, "example.org").find("no '@'"), std::string::npos);
    EXPECT_NE(Why(MapField::kEmail, "@example.org").find("domain map"), std::string::npos);
    Why(MapField::kEmail, "a..b@example.org");
    Why(MapField::kEmail, ".a@example.org");
    Why(MapField::kEmail, "a b@example.org");
    Why(MapField::kEmail, "<a@example.org>");
    Why(MapField::kEmail, "\"a\"@example.org");
    Why(MapField::kEmail, "a@exa_mple.org");
    Why(MapField::kEmail, "a@");
    Why(MapField::kEmail, std::string(65, 'a') + "@example.org");
}

TEST(MapValueTest, DomainLabelsFollowRfc1035) {
    EXPECT_EQ(Ok(MapField::kDomain, "Mail.Example.COM."), "mail.example.com");
    EXPECT_EQ(Ok(MapField::kDomain, "xn--bcher-kva.example"), "xn--bcher-kva.example");
    EXPECT_EQ(Ok(MapField::kDomain, "xyz"), "xyz");
    Why(MapField::kDomain, "a..b");
    Why(MapField::kDomain, "-a.example");
    Why(MapField::kDomain, "a-.example");
    Why(MapField::kDomain, std::string(64, 'a') + ".example");
    Why(MapField::kDomain, "*.example.org");
    EXPECT_NE(Why(MapField::kDomain, "bücher.example").find("xn--"), std::string::npos);
}

TEST(MapValueTest, IpTakesAddressesAndRangesOfBothFamilies) {
    EXPECT_EQ(Ok(MapField::kIp, "192.0.2.7"), "192.0.2.7");
    EXPECT_EQ(Ok(MapField::kIp, "192.0.2.0/24"), "192.0.2.0/24");
    EXPECT_EQ(Ok(MapField::kIp, "2001:DB8::/32"), "2001:db8::/32");
    // One spelling per address, the one Rspamd prints for a connection, so
    // that combined "ip|rcpt" pairs are found by exact key.
    EXPECT_EQ(Ok(MapField::kIp, "2001:0DB8:0:0::0001"), "2001:db8::1");
    EXPECT_EQ(Ok(MapField::kIp, "192.0.2.7/24"), "192.0.2.0/24");
    EXPECT_EQ(Ok(MapField::kIp, "192.0.2.7/32"), "192.0.2.7");
    EXPECT_EQ(Ok(MapField::kIp, "2001:db8::1/128"), "2001:db8::1");
    EXPECT_EQ(Ok(MapField::kIp, "::ffff:192.0.2.7"), "192.0.2.7");
    Why(MapField::kIp, "192.0.2.300");
    Why(MapField::kIp, "192.0.2.0/33");
    Why(MapField::kIp, "example.org");
}

TEST(MapValueTest, AsnDropsThePrefix) {
    EXPECT_EQ(Ok(MapField::kAsn, "AS64500"), "64500");
    EXPECT_EQ(Ok(MapField::kAsn, "as64500"), "64500");
    EXPECT_EQ(Ok(MapField::kAsn, "4294967295"), "4294967295");
    Why(MapField::kAsn, "4294967296");
    Why(MapField::kAsn, "AS");
    Why(MapField::kAsn, "-1");
    Why(MapField::kAsn, "12a");
}

TEST(MapValueTest, RegexpNeedsSlashesAndLetterFlags) {
    EXPECT_EQ(Ok(MapField::kRegexp, "/viagra\\s+now/i"), "/viagra\\s+now/i");
    EXPECT_EQ(Ok(MapField::kRegexp, "/a/b/"), "/a/b/");
    Why(MapField::kRegexp, "viagra");
    Why(MapField::kRegexp, "//i");
    Why(MapField::kRegexp, "/a/1");
}

TEST(MapValueTest, KeyScoreKeepsANumber) {
    EXPECT_EQ(Ok(MapField::kKeyScore, "example.org   2.5"), "example.org 2.5");
    EXPECT_EQ(Ok(MapField::kKeyScore, "example.org -10"), "example.org -10");
    Why(MapField::kKeyScore, "example.org");
    Why(MapField::kKeyScore, "example.org lots");
    Why(MapField::kKeyScore, "example.org inf");
    Why(MapField::kKeyScore, "example.org nan");
}

TEST(MapValueTest, NothingCanBreakTheMapFile) {
    for (MapField f : kAllFields) {
        Why(f, "");
        Why(f, "   ");
        Why(f, "a\nb@example.org");
        Why(f, std::string("a\0b", 3));
        Why(f, "a@example.org # comment");
        Why(f, "\xff\xfe@example.org");
        Why(f, std::string(kMaxMapLineBytes + 1, 'a'));
    }
    EXPECT_EQ(Ok(MapField::kText, "Cheap meds now"), "Cheap meds now");
    Why(MapField::kGlob, "*.example .org");
}

TEST(MapLineTest, CombinedLinesHoldAValueAndARecipient) {
    const MapShape shape{MapScope::kCombined, MapField::kIp, MapField::kEmail};
    auto v = ParseMapLine(shape, " 192.0.2.0/24 \t Alice@Example.org ");
    ASSERT_TRUE(v.has_value()) << v.error().public_msg;
    EXPECT_EQ(v->first, "192.0.2.0/24");
    EXPECT_EQ(v->second, "alice@example.org");
    EXPECT_FALSE(ParseMapLine(shape, "192.0.2.0/24").has_value());
    EXPECT_FALSE(ParseMapLine(shape, "192.0.2.0/24 alice").has_value());
    EXPECT_FALSE(ParseMapLine(shape, "alice@example.org 192.0.2.1").has_value());
}

TEST(MapLineTest, KeyScoreLinesCarryTheScore) {
    const MapShape shape{MapScope::kCustom, MapField::kKeyScore, std::nullopt};
    auto v = ParseMapLine(shape, "spam.example 7.25");
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->first, "spam.example 7.25");
    EXPECT_DOUBLE_EQ(v->score, 7.25);
}

TEST(MapLinesTest, EveryBadLineIsReportedWithItsNumberAndTheRestKept) {
    const MapShape shape{MapScope::kBasic, MapField::kEmail, std::nullopt};
    const auto parsed = ParseMapLines(shape,
                                      "# senders to block\r\n"
                                      "a@example.org\r\n"
                                      "\n"
                                      "not-an-address\n"
                                      "A@EXAMPLE.ORG\n"
                                      "b@example.org\n"
                                      "c@exa mple.org");
    ASSERT_EQ(parsed.values.size(), 2u);
    EXPECT_EQ(parsed.values[0].first, "a@example.org");
    EXPECT_EQ(parsed.values[1].first, "b@example.org");
    // Each value knows its line, to report what the store refuses (a duplicate).
    EXPECT_EQ(parsed.values[0].line, 2u);
    EXPECT_EQ(parsed.values[1].line, 6u);
    ASSERT_EQ(parsed.errors.size(), 2u);
    EXPECT_EQ(parsed.errors[0].line, 4u);
    EXPECT_NE(parsed.errors[0].message.find("no '@'"), std::string::npos);
    EXPECT_EQ(parsed.errors[1].line, 7u);
}

TEST(MapLinesTest, EmptyTextIsNoValuesAndNoErrors) {
    const auto parsed = ParseMapLines({MapScope::kBasic, MapField::kIp, std::nullopt}, "");
    EXPECT_TRUE(parsed.values.empty());
    EXPECT_TRUE(parsed.errors.empty());
}

}  // namespace
}  // namespace rqwatch
