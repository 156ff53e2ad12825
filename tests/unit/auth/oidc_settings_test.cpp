#include "auth/oidc_settings.hpp"

#include <gtest/gtest.h>

namespace rqwatch::auth {
namespace {

OidcSettings Usable() {
    OidcSettings s;
    s.issuer = "https://sso.example.org/realms/mail";
    s.client_id = "rqwatch";
    s.client_secret = "s3cret";
    s.redirect_uri = "https://rqwatch.example.org/api/v1/session/oidc/callback";
    return s;
}

TEST(OidcSettingsTest, OffWithoutIssuerAndUsableWhenComplete) {
    EXPECT_TRUE(CheckOidcSettings(OidcSettings{}).empty());
    EXPECT_TRUE(CheckOidcSettings(Usable()).empty());
}

TEST(OidcSettingsTest, ReportsEveryProblem) {
    OidcSettings s = Usable();
    s.issuer = "http://sso.example.org/realm";  // plain http, not loopback
    s.client_secret.clear();
    s.redirect_uri = "/api/v1/session/oidc/callback";
    s.scopes = {"email"};
    s.admin_claim = "groups";  // without values
    s.state_key = "short";
    const auto problems = CheckOidcSettings(s);
    ASSERT_EQ(problems.size(), 6u);
    EXPECT_TRUE(problems[0].starts_with("issuer: ")) << problems[0];
    EXPECT_TRUE(problems[1].starts_with("client_secret: ")) << problems[1];
    EXPECT_TRUE(problems[2].starts_with("redirect_uri: ")) << problems[2];
    EXPECT_TRUE(problems[3].starts_with("scopes: ")) << problems[3];
    EXPECT_TRUE(problems[4].starts_with("admin_claim: ")) << problems[4];
    EXPECT_TRUE(problems[5].starts_with("state_key: ")) << problems[5];
}

TEST(OidcSettingsTest, PlainHttpOnlyOnLoopbackUnlessAllowed) {
    OidcSettings s = Usable();
    for (const char* ok :
         {"http://127.0.0.1:5556/api/oidc", "http://[::1]:80/x", "http://localhost/x"}) {
        s.issuer = ok;
        EXPECT_TRUE(CheckOidcSettings(s).empty()) << ok;
    }
    for (const char* bad :
         {"http://10.0.0.1/x", "ftp://sso.example.org", "https://sso.example.org/?a=b",
          "https://sso.example.org/#f", "sso.example.org", "https:///x"}) {
        s.issuer = bad;
        EXPECT_EQ(CheckOidcSettings(s).size(), 1u) << bad;
    }
    s.issuer = "http://10.0.0.1/x";
    s.require_https = false;
    EXPECT_TRUE(CheckOidcSettings(s).empty());
    EXPECT_TRUE(EndpointProblem(Usable(), "https://sso.example.org/auth?x=1").empty());
    EXPECT_FALSE(EndpointProblem(Usable(), "http://sso.example.org/auth").empty());
}

}  // namespace
}  // namespace rqwatch::auth
