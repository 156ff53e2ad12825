#include "auth/ldap_settings.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rqwatch::auth {
namespace {

LdapSettings Good() {
    LdapSettings s;
    s.url = "ldaps://ldap1.example.org ldaps://ldap2.example.org:636";
    s.bind_dn = "cn=reader,dc=example,dc=org";
    s.bind_password = "secret";
    s.base_dn = "ou=people,dc=example,dc=org";
    s.user_filter = "(&(objectClass=inetOrgPerson)(!(pwdAccountLockedTime=*)))";
    s.admin_group_dn = "cn=admins,ou=groups,dc=example,dc=org";
    return s;
}

// The problem about `field`, or "" when there is none.
std::string ProblemWith(const LdapSettings& s, const std::string& field) {
    for (const auto& p : CheckLdapSettings(s)) {
        if (p.starts_with(field + ":")) return p;
    }
    return {};
}

TEST(LdapSettingsTest, DefaultsAndAGoodSetupPass) {
    EXPECT_TRUE(CheckLdapSettings(Good()).empty());
    LdapSettings anonymous = Good();
    anonymous.bind_dn.clear();
    anonymous.bind_password.clear();
    anonymous.url = "ldap://127.0.0.1:3389";
    anonymous.start_tls = true;
    anonymous.user_filter.clear();
    anonymous.name_attribute.clear();
    anonymous.alias_attributes.clear();
    anonymous.group_member_attribute = "memberUid";
    anonymous.login_attribute = "0.9.2342.19200300.100.1.1";  // uid by OID
    EXPECT_TRUE(CheckLdapSettings(anonymous).empty());
    EXPECT_EQ(LdapSettings{}.login_attribute, "uid");
    EXPECT_EQ(LdapSettings{}.timeout_ms, 5000);
}

TEST(LdapSettingsTest, UrlMustBeLdapOrLdaps) {
    LdapSettings s = Good();
    s.url = "";
    EXPECT_NE(ProblemWith(s, "url"), "");
    s.url = "http://ldap.example.org";
    EXPECT_NE(ProblemWith(s, "url"), "");
    s.url = "ldapi:///";
    EXPECT_NE(ProblemWith(s, "url"), "");
    s.url = "ldaps://ok.example.org not-a-url";
    EXPECT_NE(ProblemWith(s, "url").find("not-a-url"), std::string::npos);
    s.url = "ldaps://ldap.example.org";
    s.start_tls = true;
    EXPECT_NE(ProblemWith(s, "start_tls"), "");
}

TEST(LdapSettingsTest, ServiceAccountNeedsBothHalves) {
    LdapSettings s = Good();
    s.bind_password.clear();
    EXPECT_NE(ProblemWith(s, "bind_password"), "");
    s = Good();
    s.bind_dn.clear();
    EXPECT_NE(ProblemWith(s, "bind_password"), "");
    s = Good();
    s.bind_dn = "not a dn";
    EXPECT_NE(ProblemWith(s, "bind_dn"), "");
}

TEST(LdapSettingsTest, DnsAttributesAndFilterAreChecked) {
    LdapSettings s = Good();
    s.base_dn = "";
    EXPECT_NE(ProblemWith(s, "base_dn"), "");
    s = Good();
    s.admin_group_dn = "cn=admins,,dc=org";
    EXPECT_NE(ProblemWith(s, "admin_group_dn"), "");
    for (const char* bad : {"", "u id", "uid)(x=*", "1uid", "1..2", "uid;lang-en", "mail*"}) {
        s = Good();
        s.login_attribute = bad;
        EXPECT_NE(ProblemWith(s, "login_attribute"), "") << bad;
        s = Good();
        s.mail_attribute = bad;
        EXPECT_NE(ProblemWith(s, "mail_attribute"), "") << bad;
        s = Good();
        s.group_member_attribute = bad;
        EXPECT_NE(ProblemWith(s, "group_member_attribute"), "") << bad;
    }
    s = Good();
    s.alias_attributes = {"mailAlternateAddress", "bad name"};
    EXPECT_NE(ProblemWith(s, "alias_attributes").find("bad name"), std::string::npos);
    s = Good();
    s.name_attribute = "c n";
    EXPECT_NE(ProblemWith(s, "name_attribute"), "");
    for (const char* bad : {"objectClass=person", "(a=b)(c=d)", "(a=b", "a=b)", "()", "(a=b))("}) {
        s = Good();
        s.user_filter = bad;
        EXPECT_NE(ProblemWith(s, "user_filter"), "") << bad;
    }
}

TEST(LdapSettingsTest, TimeoutAndCaFile) {
    LdapSettings s = Good();
    s.timeout_ms = 0;
    EXPECT_NE(ProblemWith(s, "timeout_ms"), "");
    s.timeout_ms = 600001;
    EXPECT_NE(ProblemWith(s, "timeout_ms"), "");
    s = Good();
    s.ca_file = "/nonexistent/ca.pem";
    EXPECT_NE(ProblemWith(s, "ca_file").find("/nonexistent/ca.pem"), std::string::npos);
}

TEST(LdapSettingsTest, AllProblemsAtOnce) {
    LdapSettings s;
    s.timeout_ms = -1;
    s.mail_attribute = "";
    // url, base_dn, mail_attribute, timeout_ms
    EXPECT_EQ(CheckLdapSettings(s).size(), 4u);
}

}  // namespace
}  // namespace rqwatch::auth
