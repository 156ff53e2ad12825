#include "auth/ldap_escape.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rqwatch::auth {
namespace {

using namespace std::string_literals;

TEST(LdapEscapeTest, FilterLeavesPlainValuesAlone) {
    EXPECT_EQ(EscapeFilterValue(""), "");
    EXPECT_EQ(EscapeFilterValue("alice"), "alice");
    EXPECT_EQ(EscapeFilterValue("a.liddell+tag@example.org"), "a.liddell+tag@example.org");
    EXPECT_EQ(EscapeFilterValue("uid=x,ou=y"), "uid=x,ou=y");  // DN syntax is no filter syntax
    EXPECT_EQ(EscapeFilterValue("a b~c&d|e!f"), "a b~c&d|e!f");
}

TEST(LdapEscapeTest, FilterEscapesTheFilterMetacharacters) {
    EXPECT_EQ(EscapeFilterValue("*"), "\\2a");
    EXPECT_EQ(EscapeFilterValue("("), "\\28");
    EXPECT_EQ(EscapeFilterValue(")"), "\\29");
    EXPECT_EQ(EscapeFilterValue("\\"), "\\5c");
    EXPECT_EQ(EscapeFilterValue("\0"s), "\\00");
    // RFC 4515's own examples
    EXPECT_EQ(EscapeFilterValue("Parens R Us (for all your parenthetical needs)"),
              "Parens R Us \\28for all your parenthetical needs\\29");
    EXPECT_EQ(EscapeFilterValue("C:\\MyFile"), "C:\\5cMyFile");
}

TEST(LdapEscapeTest, FilterInjectionStaysOneValue) {
    EXPECT_EQ(EscapeFilterValue("*)(uid=*"), "\\2a\\29\\28uid=\\2a");
    EXPECT_EQ(EscapeFilterValue("admin)(|(uid=*"), "admin\\29\\28|\\28uid=\\2a");
    EXPECT_EQ(EscapeFilterValue("alice)(uid=*))(|(uid=*"),
              "alice\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a");
    // an already escaped value is escaped again, not passed through
    EXPECT_EQ(EscapeFilterValue("\\2a"), "\\5c2a");
    for (const std::string& hostile : {"*)(uid=*"s, "admin)(|(uid=*"s, "x\0)(uid=*"s, "\\)"s}) {
        const std::string out = EscapeFilterValue(hostile);
        EXPECT_EQ(out.find_first_of("*()"), std::string::npos) << out;
        EXPECT_EQ(out.find('\0'), std::string::npos) << out;
    }
}

TEST(LdapEscapeTest, FilterEscapesNulAndControlBytes) {
    EXPECT_EQ(EscapeFilterValue("alice\0*"s), "alice\\00\\2a");
    EXPECT_EQ(EscapeFilterValue("a\nb\rc\td\x7f"), "a\\0ab\\0dc\\09d\\7f");
    EXPECT_EQ(EscapeFilterValue("\x01\x1f"), "\\01\\1f");
}

TEST(LdapEscapeTest, FilterEscapesEveryNonAsciiByte) {
    // "jürgen": ü is C3 BC in UTF-8 (RFC 4515's own example escapes it so)
    EXPECT_EQ(EscapeFilterValue("j\xc3\xbcrgen"), "j\\c3\\bcrgen");
    EXPECT_EQ(EscapeFilterValue("\xe2\x82\xac"), "\\e2\\82\\ac");  // €
    // bytes that are not UTF-8 at all are escaped the same way
    EXPECT_EQ(EscapeFilterValue("\xff\x80"), "\\ff\\80");
    const std::string out = EscapeFilterValue("\xc3\xbc\xff\x01*");
    for (const char c : out) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
}

TEST(LdapEscapeTest, DnLeavesPlainValuesAlone) {
    EXPECT_EQ(EscapeDnValue(""), "");
    EXPECT_EQ(EscapeDnValue("alice"), "alice");
    EXPECT_EQ(EscapeDnValue("Alice Liddell"), "Alice Liddell");  // inner spaces stay
    EXPECT_EQ(EscapeDnValue("a#b"), "a#b");                      // '#' only leading
    EXPECT_EQ(EscapeDnValue("*()"), "*()");                      // filter syntax is no DN syntax
    EXPECT_EQ(EscapeDnValue("J\xc3\xbcrgen"), "J\xc3\xbcrgen");  // UTF-8 as it is
}

TEST(LdapEscapeTest, DnEscapesTheSpecialCharacters) {
    EXPECT_EQ(EscapeDnValue("Smith, Jr."), "Smith\\, Jr.");
    EXPECT_EQ(EscapeDnValue("a+b"), "a\\+b");
    EXPECT_EQ(EscapeDnValue("a;b"), "a\\;b");
    EXPECT_EQ(EscapeDnValue("<a>"), "\\<a\\>");
    EXPECT_EQ(EscapeDnValue("\"q\""), "\\\"q\\\"");
    EXPECT_EQ(EscapeDnValue("a\\b"), "a\\\\b");
    EXPECT_EQ(EscapeDnValue("a=b"), "a\\=b");
    EXPECT_EQ(EscapeDnValue("a\0b"s), "a\\00b");
    EXPECT_EQ(EscapeDnValue("a\nb"), "a\\0ab");
}

TEST(LdapEscapeTest, DnEscapesLeadingAndTrailingSpacesAndLeadingHash) {
    EXPECT_EQ(EscapeDnValue(" alice"), "\\ alice");
    EXPECT_EQ(EscapeDnValue("alice "), "alice\\ ");
    EXPECT_EQ(EscapeDnValue(" "), "\\ ");
    EXPECT_EQ(EscapeDnValue("  "), "\\ \\ ");
    EXPECT_EQ(EscapeDnValue("   "), "\\  \\ ");  // the middle one needs nothing
    EXPECT_EQ(EscapeDnValue("#1"), "\\#1");
    EXPECT_EQ(EscapeDnValue("# "), "\\#\\ ");
}

TEST(LdapEscapeTest, DnInjectionStaysOneValue) {
    // would otherwise add an RDN or move the entry to another subtree
    EXPECT_EQ(EscapeDnValue("x,ou=admins,dc=example,dc=org"),
              "x\\,ou\\=admins\\,dc\\=example\\,dc\\=org");
    EXPECT_EQ(EscapeDnValue("x+uid=admin"), "x\\+uid\\=admin");
}

}  // namespace
}  // namespace rqwatch::auth
