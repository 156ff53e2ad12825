#include "auth/ldap_user.hpp"

#include <gtest/gtest.h>

namespace rqwatch::auth {
namespace {

using Strings = std::vector<std::string>;

LdapEntry Alice() {
    LdapEntry e;
    e.dn = "uid=alice,ou=people,dc=example,dc=org";
    e.attributes = {{"uid", {"alice"}},
                    {"cn", {"Alice Liddell"}},
                    {"mail", {"Alice@Example.org"}},
                    {"mailAlternateAddress", {"a.liddell@example.org", "ALICE@example.net"}}};
    return e;
}

TEST(LdapUserTest, BuildsTheUserFromTheEntry) {
    const LdapSettings s;
    auto user = MakeDirectoryUser(Alice(), s, "alice");
    ASSERT_TRUE(user) << user.error().detail;
    EXPECT_EQ(user->login, "alice");
    EXPECT_EQ(user->email, "alice@example.org");
    EXPECT_EQ(user->aliases, (Strings{"a.liddell@example.org", "alice@example.net"}));
    EXPECT_EQ(user->display_name, "Alice Liddell");
    EXPECT_FALSE(user->admin);
}

TEST(LdapUserTest, NoUsableMailIsPermissionDenied) {
    const LdapSettings s;
    LdapEntry e = Alice();
    e.attributes = {{"uid", {"alice"}}, {"mailAlternateAddress", {"a@example.org"}}};
    auto none = MakeDirectoryUser(e, s, "alice");
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, ErrorCode::kPermissionDenied);
    EXPECT_NE(none.error().detail.find(e.dn), std::string::npos);

    e.attributes = {{"mail", {"", "not an address", "@example.org", "alice@", "a\nb@x.org"}}};
    auto junk = MakeDirectoryUser(e, s, "alice");
    ASSERT_FALSE(junk);
    EXPECT_EQ(junk.error().code, ErrorCode::kPermissionDenied);
}

TEST(LdapUserTest, SeveralMailsGiveTheFirstInSortOrderAndAliases) {
    LdapSettings s;
    LdapEntry e;
    e.dn = "uid=x,dc=example,dc=org";
    e.attributes = {{"mail", {"Zed@example.org", "b@example.org", "B@Example.org"}},
                    {"mailAlternateAddress", {"zed@EXAMPLE.org", "c@example.org", "b@example.org"}},
                    {"otherMailbox", {"d@example.org"}}};
    s.alias_attributes = {"mailAlternateAddress", "otherMailbox"};
    auto user = MakeDirectoryUser(e, s, "x");
    ASSERT_TRUE(user);
    EXPECT_EQ(user->email, "b@example.org");
    // lower-cased, deduplicated, sorted, without the primary
    EXPECT_EQ(user->aliases, (Strings{"c@example.org", "d@example.org", "zed@example.org"}));
    // no name attribute in the entry, and none asked for
    EXPECT_EQ(user->display_name, "");
    s.name_attribute = "";
    EXPECT_EQ(MakeDirectoryUser(e, s, "x")->display_name, "");
    s.alias_attributes.clear();
    EXPECT_EQ(MakeDirectoryUser(e, s, "x")->aliases, (Strings{"zed@example.org"}));
}

TEST(LdapUserTest, AttributeNamesIgnoreCaseAndOptions) {
    LdapEntry e;
    e.attributes = {{"CN;lang-de", {"Alicia"}},
                    {"cn", {"Alice"}},
                    {"MAIL", {"a@example.org"}},
                    {"mailalternateaddress;x-old", {"old@example.org"}},
                    {"cnx", {"not cn"}}};
    EXPECT_EQ(ValuesOf(e, "cn"), (Strings{"Alice", "Alicia"}));  // plain name first
    EXPECT_EQ(ValuesOf(e, "mail"), (Strings{"a@example.org"}));
    EXPECT_EQ(ValuesOf(e, "sn"), Strings{});
    auto user = MakeDirectoryUser(e, LdapSettings{}, "a");
    ASSERT_TRUE(user);
    EXPECT_EQ(user->display_name, "Alice");
    EXPECT_EQ(user->aliases, (Strings{"old@example.org"}));
}

TEST(LdapUserTest, DisplayNameIsCleanText) {
    LdapEntry e = Alice();
    e.attributes[1].second = {"Alice\r\nX-Injected: 1\x7f"};
    EXPECT_EQ(MakeDirectoryUser(e, LdapSettings{}, "alice")->display_name, "Alice  X-Injected: 1 ");
    e.attributes[1].second = {"M\xfcller"};  // Latin-1, not UTF-8
    EXPECT_EQ(MakeDirectoryUser(e, LdapSettings{}, "alice")->display_name, "M\xc3\xbcller");
}

TEST(LdapUserTest, LoginIsTheDirectorysSpelling) {
    const LdapSettings s;
    LdapEntry e;
    e.attributes = {{"uid", {"a.liddell", "Alice"}}};
    EXPECT_EQ(DirectoryLogin(e, s, "ALICE"), "Alice");
    EXPECT_EQ(DirectoryLogin(e, s, "a.LIDDELL"), "a.liddell");
    // matched by the server more loosely (spaces): the one value there is
    e.attributes = {{"uid", {"alice"}}};
    EXPECT_EQ(DirectoryLogin(e, s, " alice "), "alice");
    // several values, none equal: what was typed
    e.attributes = {{"uid", {"alice", "al"}}};
    EXPECT_EQ(DirectoryLogin(e, s, " alice"), " alice");
    e.attributes = {};
    EXPECT_EQ(DirectoryLogin(e, s, "alice"), "alice");
    LdapSettings by_mail;
    by_mail.login_attribute = "mail";
    e.attributes = {{"mail", {"Alice@Example.org"}}};
    EXPECT_EQ(DirectoryLogin(e, by_mail, "alice@example.org"), "Alice@Example.org");
}

TEST(LdapUserTest, AdminListIgnoresAsciiCaseOnly) {
    LdapSettings s;
    s.admin_users = {"Alice", "root@example.org"};
    EXPECT_TRUE(IsListedAdmin(s, "alice"));
    EXPECT_TRUE(IsListedAdmin(s, "ALICE"));
    EXPECT_TRUE(IsListedAdmin(s, "Root@Example.ORG"));
    EXPECT_FALSE(IsListedAdmin(s, "alice "));
    EXPECT_FALSE(IsListedAdmin(s, "alic"));
    EXPECT_FALSE(IsListedAdmin(s, "bob"));
    EXPECT_FALSE(IsListedAdmin(LdapSettings{}, "alice"));
}

TEST(LdapUserTest, NormalizeAddress) {
    EXPECT_EQ(NormalizeAddress("Alice@Example.ORG"), "alice@example.org");
    EXPECT_EQ(NormalizeAddress("  bob@example.org "), "bob@example.org");
    EXPECT_EQ(NormalizeAddress("J\xc3\x9crgen@example.org"), "j\xc3\x9crgen@example.org");
    EXPECT_EQ(NormalizeAddress("\"a@b\"@example.org"), "\"a@b\"@example.org");
    for (const char* bad :
         {"", "alice", "@example.org", "alice@", "a b@example.org", "a\tb@example.org",
          "a@exa\x01mple.org", "a\x7f@example.org", "\xff@example.org"}) {
        EXPECT_EQ(NormalizeAddress(bad), "") << bad;
    }
    EXPECT_EQ(NormalizeAddress(std::string("a\0b@example.org", 15)), "");
    const std::string local(242, 'a');
    EXPECT_EQ(NormalizeAddress(local + "@example.org").size(), 254u);
    EXPECT_EQ(NormalizeAddress(local + "a@example.org"), "");
}

}  // namespace
}  // namespace rqwatch::auth
