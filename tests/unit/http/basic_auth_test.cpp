#include "http/basic_auth.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>

namespace rqwatch::http {
namespace {

class BasicAuthTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(BasicAuthTest, ValidCredentials) {
    // From RSPAMD.md §1.2: user "rspamd", password "s3cret".
    auto c = ParseBasicAuth("Basic cnNwYW1kOnMzY3JldA==");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->username, "rspamd");
    EXPECT_EQ(c->password, "s3cret");
}

TEST_F(BasicAuthTest, SchemeIsCaseInsensitiveAndSpacesAreTrimmed) {
    for (const char* v : {"basic cnNwYW1kOnMzY3JldA==", "BASIC cnNwYW1kOnMzY3JldA==",
                          "  Basic   cnNwYW1kOnMzY3JldA==  "}) {
        auto c = ParseBasicAuth(v);
        ASSERT_TRUE(c.has_value()) << v;
        EXPECT_EQ(c->username, "rspamd") << v;
        EXPECT_EQ(c->password, "s3cret") << v;
    }
}

TEST_F(BasicAuthTest, PasswordMayContainColons) {
    auto c = ParseBasicAuth("Basic dXNlcjpwYTpzczp3b3Jk");  // user:pa:ss:word
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->username, "user");
    EXPECT_EQ(c->password, "pa:ss:word");
}

TEST_F(BasicAuthTest, EmptyPartsAndUtf8) {
    auto empty_pass = ParseBasicAuth("Basic dXNlcjo=");  // "user:"
    ASSERT_TRUE(empty_pass.has_value());
    EXPECT_EQ(empty_pass->username, "user");
    EXPECT_EQ(empty_pass->password, "");

    auto empty_user = ParseBasicAuth("Basic Om9ubHlwYXNz");  // ":onlypass"
    ASSERT_TRUE(empty_user.has_value());
    EXPECT_EQ(empty_user->username, "");
    EXPECT_EQ(empty_user->password, "onlypass");

    auto utf8 = ParseBasicAuth("Basic SsO8cmdlbjpww6Rzc3dvcmQ=");
    ASSERT_TRUE(utf8.has_value());
    EXPECT_EQ(utf8->username, "J\xc3\xbcrgen");
    EXPECT_EQ(utf8->password, "p\xc3\xa4ssword");
}

TEST_F(BasicAuthTest, WrongScheme) {
    EXPECT_FALSE(ParseBasicAuth("Bearer cnNwYW1kOnMzY3JldA==").has_value());
    EXPECT_FALSE(ParseBasicAuth("Digest username=\"rspamd\"").has_value());
    EXPECT_FALSE(ParseBasicAuth("BasicXcnNwYW1kOnMzY3JldA==").has_value());
    EXPECT_FALSE(ParseBasicAuth("cnNwYW1kOnMzY3JldA==").has_value());
}

TEST_F(BasicAuthTest, EmptyOrMissingToken) {
    EXPECT_FALSE(ParseBasicAuth("").has_value());
    EXPECT_FALSE(ParseBasicAuth("Basic").has_value());
    EXPECT_FALSE(ParseBasicAuth("Basic ").has_value());
    EXPECT_FALSE(ParseBasicAuth("Basic     ").has_value());
}

TEST_F(BasicAuthTest, BadBase64) {
    EXPECT_FALSE(ParseBasicAuth("Basic !!!notbase64!!!").has_value());
    EXPECT_FALSE(ParseBasicAuth("Basic cnNwYW1kOnMzY3JldA=").has_value());  // bad padding
    EXPECT_FALSE(ParseBasicAuth("Basic cnNwYW1k OnMzY3JldA==").has_value());
    EXPECT_FALSE(ParseBasicAuth("Basic cnNwYW1kOnMzY3JldA==\r\nX: y").has_value());
}

TEST_F(BasicAuthTest, NoColon) {
    EXPECT_FALSE(ParseBasicAuth("Basic bm9jb2xvbg==").has_value());  // "nocolon"
}

TEST_F(BasicAuthTest, OverlongTokenRejected) {
    EXPECT_FALSE(ParseBasicAuth("Basic " + std::string(4100, 'A')).has_value());
}

TEST_F(BasicAuthTest, SecretEquals) {
    EXPECT_TRUE(SecretEquals("s3cret", "s3cret"));
    EXPECT_TRUE(SecretEquals("", ""));
    EXPECT_FALSE(SecretEquals("s3cret", "s3creT"));
    EXPECT_FALSE(SecretEquals("s3cret", "s3cret "));
    EXPECT_FALSE(SecretEquals("s3cret", ""));
    EXPECT_FALSE(SecretEquals("a", std::string(1000, 'a')));
    EXPECT_TRUE(SecretEquals(std::string(1000, 'x'), std::string(1000, 'x')));
    EXPECT_FALSE(SecretEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST_F(BasicAuthTest, BearerCredentials) {
    EXPECT_EQ(AuthCredentials("Bearer rqw_abc", "bearer"), "rqw_abc");
    EXPECT_EQ(AuthCredentials("  bEaReR   rqw_abc  ", "bearer"), "rqw_abc");
    EXPECT_EQ(AuthCredentials("Bearer ", "bearer"), "");
    EXPECT_EQ(AuthCredentials("Bearer", "bearer"), std::nullopt);
    EXPECT_EQ(AuthCredentials("Bearerrqw_abc", "bearer"), std::nullopt);
    EXPECT_EQ(AuthCredentials("Basic cnNwYW1kOnMzY3JldA==", "bearer"), std::nullopt);
    EXPECT_EQ(AuthCredentials("", "bearer"), std::nullopt);
}

}  // namespace
}  // namespace rqwatch::http
