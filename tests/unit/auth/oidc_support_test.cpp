// The OpenID Connect pieces around the token check: PKCE, the sealed login
// state, percent-encoding.

#include <gtest/gtest.h>

#include "net/http_fetch.hpp"
#include "auth/oidc_client.hpp"
#include "auth/sodium_state_sealer.hpp"

namespace rqwatch::auth {
namespace {

using net::PercentEncode;

TEST(PkceTest, S256ChallengeIsTheRfc7636Example) {
    EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
              "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(PercentEncodeTest, KeepsOnlyUnreservedCharacters) {
    EXPECT_EQ(PercentEncode("a-Z_0.~"), "a-Z_0.~");
    EXPECT_EQ(PercentEncode("openid email"), "openid%20email");
    EXPECT_EQ(PercentEncode("https://h/p?q=1&r"), "https%3A%2F%2Fh%2Fp%3Fq%3D1%26r");
    EXPECT_EQ(PercentEncode("+:\xc3\xa9"), "%2B%3A%C3%A9");
}

TEST(SodiumStateSealerTest, OpensOnlyWhatItSealedUnchanged) {
    SodiumStateSealer sealer("0123456789abcdef0123456789abcdef");
    const std::string sealed = sealer.Seal("{\"s\":\"state\"}");
    EXPECT_EQ(sealed.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    EXPECT_EQ(sealer.Open(sealed).value_or(""), "{\"s\":\"state\"}");
    EXPECT_NE(sealer.Seal("{\"s\":\"state\"}"), sealed);  // a fresh nonce each time

    // The same key from the same secret (another node); not from another.
    SodiumStateSealer same("0123456789abcdef0123456789abcdef");
    EXPECT_TRUE(same.Open(sealed));
    SodiumStateSealer other("another secret of 32 characters!");
    EXPECT_FALSE(other.Open(sealed));
    SodiumStateSealer random_key("");
    EXPECT_FALSE(random_key.Open(sealed));

    std::string changed = sealed;
    changed[changed.size() / 2] = changed[changed.size() / 2] == 'A' ? 'B' : 'A';
    auto r = sealer.Open(changed);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
    EXPECT_FALSE(sealer.Open(""));
    EXPECT_FALSE(sealer.Open("short"));
    EXPECT_FALSE(sealer.Open(sealed.substr(0, sealed.size() - 2)));
}

}  // namespace
}  // namespace rqwatch::auth
