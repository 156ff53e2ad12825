#include "core/cidr.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rqwatch {
namespace {

IpAddress Ip(const std::string& text) {
    auto ip = ParseIp(text);
    EXPECT_TRUE(ip.has_value()) << text;
    return ip.value_or(IpAddress{});
}

Cidr Range(const std::string& text) {
    auto c = ParseCidr(text);
    EXPECT_TRUE(c.has_value()) << text;
    return c.value_or(Cidr{});
}

TEST(ParseIpTest, Ipv4IsStoredAsMapped) {
    const IpAddress ip = Ip("192.0.2.7");
    EXPECT_TRUE(ip.v4);
    const std::array<std::uint8_t, 16> expected{0, 0, 0,    0,    0,   0, 0, 0,
                                                0, 0, 0xff, 0xff, 192, 0, 2, 7};
    EXPECT_EQ(ip.bytes, expected);
}

TEST(ParseIpTest, Ipv6) {
    const IpAddress ip = Ip("2001:db8::5");
    EXPECT_FALSE(ip.v4);
    EXPECT_EQ(ip.bytes[0], 0x20);
    EXPECT_EQ(ip.bytes[1], 0x01);
    EXPECT_EQ(ip.bytes[2], 0x0d);
    EXPECT_EQ(ip.bytes[3], 0xb8);
    EXPECT_EQ(ip.bytes[15], 5);
}

TEST(ParseIpTest, BracketedIpv6) {
    const IpAddress ip = Ip("[::1]");
    EXPECT_FALSE(ip.v4);
    EXPECT_EQ(ip.bytes[15], 1);
    EXPECT_EQ(ip.bytes[0], 0);
}

TEST(ParseIpTest, MappedIpv6IsV4) {
    const IpAddress mapped = Ip("::ffff:127.0.0.1");
    EXPECT_TRUE(mapped.v4);
    EXPECT_EQ(mapped.bytes, Ip("127.0.0.1").bytes);
}

TEST(ParseIpTest, RejectsGarbage) {
    EXPECT_FALSE(ParseIp("300.1.1.1").has_value());
    EXPECT_FALSE(ParseIp("").has_value());
    EXPECT_FALSE(ParseIp("abc").has_value());
    EXPECT_FALSE(ParseIp("1.2.3").has_value());
    EXPECT_FALSE(ParseIp("[::1").has_value());
}

TEST(ParseCidrTest, Ipv4Prefixes) {
    EXPECT_EQ(Range("0.0.0.0/0").prefix, 96);
    EXPECT_EQ(Range("10.0.0.0/8").prefix, 104);
    EXPECT_EQ(Range("10.1.2.3/32").prefix, 128);
    // A bare address is a /32.
    EXPECT_EQ(Range("10.1.2.3").prefix, 128);
}

TEST(ParseCidrTest, Ipv6Prefixes) {
    EXPECT_EQ(Range("::/0").prefix, 0);
    EXPECT_EQ(Range("2001:db8::/32").prefix, 32);
    EXPECT_EQ(Range("::1/128").prefix, 128);
    EXPECT_EQ(Range("::1").prefix, 128);
}

TEST(ParseCidrTest, HostBitsAreCleared) {
    const Cidr c = Range("10.1.2.3/8");
    EXPECT_EQ(c.prefix, 104);
    EXPECT_EQ(c.net.bytes, Ip("10.0.0.0").bytes);
    EXPECT_TRUE(c.net.v4);

    const Cidr c6 = Range("2001:db8:ffff::1/32");
    EXPECT_EQ(c6.net.bytes, Ip("2001:db8::").bytes);
}

TEST(ParseCidrTest, RejectsBadInput) {
    for (const char* bad : {"300.1.1.1", "1.2.3.4/33", "::1/129", "", "abc", "1.2.3.4/",
                            "1.2.3.4/-1", "1.2.3.4/8x", "1.2.3.4/ 8", "/8", "10.0.0.0/08x"}) {
        EXPECT_FALSE(ParseCidr(bad).has_value()) << '"' << bad << '"';
    }
}

// Regression test of a fixed bug; before the fix (src/core/cidr.cpp, ParseCidr): an IPv4-mapped
// IPv6 network written in IPv6 notation, e.g. "::ffff:10.0.0.0/104" or "::ffff:0:0/96", is
// rejected: ParseIp marks it v4, so max_bits is 32 and any prefix above 32 fails, while
// "::ffff:10.0.0.0/8" is accepted and silently means ::ffff:10.0.0.0/104.
TEST(ParseCidrTest, MappedIpv6NetworkInIpv6Notation) {
    const Cidr c = Range("::ffff:10.0.0.0/104");
    EXPECT_EQ(c.prefix, 104);
    EXPECT_TRUE(CidrContains(c, Ip("10.9.8.7")));
    EXPECT_FALSE(CidrContains(c, Ip("11.0.0.1")));
    EXPECT_EQ(Range("::ffff:0:0/96").prefix, 96);
}

TEST(CidrContainsTest, Ipv4Ranges) {
    const Cidr net8 = Range("10.0.0.0/8");
    EXPECT_TRUE(CidrContains(net8, Ip("10.0.0.0")));
    EXPECT_TRUE(CidrContains(net8, Ip("10.255.255.255")));
    EXPECT_FALSE(CidrContains(net8, Ip("11.0.0.0")));
    EXPECT_FALSE(CidrContains(net8, Ip("9.255.255.255")));

    const Cidr host = Range("192.0.2.7/32");
    EXPECT_TRUE(CidrContains(host, Ip("192.0.2.7")));
    EXPECT_FALSE(CidrContains(host, Ip("192.0.2.8")));
}

TEST(CidrContainsTest, ZeroPrefixV4MatchesOnlyIpv4) {
    const Cidr any4 = Range("0.0.0.0/0");
    EXPECT_TRUE(CidrContains(any4, Ip("203.0.113.9")));
    EXPECT_TRUE(CidrContains(any4, Ip("::ffff:1.2.3.4")));
    EXPECT_FALSE(CidrContains(any4, Ip("2001:db8::1")));
}

TEST(CidrContainsTest, ZeroPrefixV6MatchesEverything) {
    const Cidr any = Range("::/0");
    EXPECT_TRUE(CidrContains(any, Ip("2001:db8::1")));
    EXPECT_TRUE(CidrContains(any, Ip("127.0.0.1")));
}

TEST(CidrContainsTest, Ipv6Ranges) {
    const Cidr doc = Range("2001:db8::/32");
    EXPECT_TRUE(CidrContains(doc, Ip("2001:db8::5")));
    EXPECT_TRUE(CidrContains(doc, Ip("2001:db8:ffff:ffff::1")));
    EXPECT_FALSE(CidrContains(doc, Ip("2001:db9::1")));

    const Cidr loop = Range("::1/128");
    EXPECT_TRUE(CidrContains(loop, Ip("::1")));
    EXPECT_FALSE(CidrContains(loop, Ip("::2")));
    EXPECT_FALSE(CidrContains(loop, Ip("127.0.0.1")));
}

TEST(CidrContainsTest, MappedAddressMatchesIpv4Range) {
    const Cidr loopback = Range("127.0.0.0/8");
    EXPECT_TRUE(CidrContains(loopback, Ip("::ffff:127.0.0.1")));
    EXPECT_TRUE(CidrContains(loopback, Ip("::FFFF:127.1.2.3")));
    EXPECT_FALSE(CidrContains(loopback, Ip("::ffff:128.0.0.1")));
    // ::127.0.0.1 (deprecated IPv4-compatible form) is not mapped.
    EXPECT_FALSE(CidrContains(loopback, Ip("::127.0.0.1")));
}

TEST(FormatCidrTest, OneSpellingPerRange) {
    EXPECT_EQ(FormatCidr(Range("10.1.2.3/8")), "10.0.0.0/8");
    EXPECT_EQ(FormatCidr(Range("10.1.2.3")), "10.1.2.3");
    EXPECT_EQ(FormatCidr(Range("0.0.0.0/0")), "0.0.0.0/0");
    EXPECT_EQ(FormatCidr(Range("2001:DB8:0:0:1::/64")), "2001:db8::/64");
    EXPECT_EQ(FormatCidr(Range("2001:db8:0:0:0:0:0:1")), "2001:db8::1");
    EXPECT_EQ(FormatCidr(Range("::/0")), "::/0");
    EXPECT_EQ(FormatCidr(Range("::ffff:10.0.0.1")), "10.0.0.1");
    // Written as IPv6 with a prefix that cuts into the mapping: kept as IPv6.
    EXPECT_EQ(FormatCidr(Range("::ffff:10.0.0.0/95")), "::fffe:0:0/95");
    for (const char* text : {"192.0.2.0/24", "2001:db8::/32", "fe80::1", "198.51.100.1"}) {
        EXPECT_EQ(FormatCidr(Range(text)), text);
    }
}

TEST(CidrContainsTest, AnyContains) {
    const std::vector<Cidr> allow{Range("127.0.0.0/8"), Range("::1/128")};
    EXPECT_TRUE(AnyContains(allow, Ip("127.0.0.1")));
    EXPECT_TRUE(AnyContains(allow, Ip("::1")));
    EXPECT_TRUE(AnyContains(allow, Ip("::ffff:127.0.0.53")));
    EXPECT_FALSE(AnyContains(allow, Ip("192.0.2.1")));
    EXPECT_FALSE(AnyContains(allow, Ip("::2")));
    EXPECT_FALSE(AnyContains({}, Ip("127.0.0.1")));
}

}  // namespace
}  // namespace rqwatch
