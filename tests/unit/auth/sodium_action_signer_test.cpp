// The one-click tokens of the digests (auth/sodium_action_signer): a token
// holds for exactly the mail, action, expiry and recipient it was signed
// for, under exactly its secret; any change to any of them is refused.

#include "auth/sodium_action_signer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/base64url.hpp"

namespace rqwatch::auth {
namespace {

const std::string kSecret(40, 's');

app::ActionClaim Claim() {
    return app::ActionClaim{.mail_id = 42,
                            .action = app::DigestAction::kRelease,
                            .recipient = "alice@example.org",
                            .expires_s = 1'800'000'000};
}

// The token's '.'-separated fields: v1, id, action, expires, recipient, MAC.
std::vector<std::string> Fields(const std::string& token) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t dot; (dot = token.find('.', start)) != std::string::npos; start = dot + 1) {
        out.push_back(token.substr(start, dot - start));
    }
    out.push_back(token.substr(start));
    return out;
}

std::string Join(const std::vector<std::string>& fields) {
    std::string out;
    for (const auto& f : fields) out += (out.empty() ? "" : ".") + f;
    return out;
}

// `token` with field `i` replaced, the MAC kept.
std::string WithField(const std::string& token, std::size_t i, const std::string& value) {
    auto f = Fields(token);
    f.at(i) = value;
    return Join(f);
}

TEST(SodiumActionSigner, RoundTripsTheClaim) {
    const SodiumActionSigner signer(kSecret);
    for (auto action : {app::DigestAction::kRelease, app::DigestAction::kDelete}) {
        app::ActionClaim c = Claim();
        c.action = action;
        const std::string token = signer.Sign(c);
        EXPECT_EQ(token.find_first_not_of(
                      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"),
                  std::string::npos);
        auto v = signer.Verify(token);
        ASSERT_TRUE(v);
        EXPECT_EQ(v->mail_id, 42);
        EXPECT_EQ(v->action, action);
        EXPECT_EQ(v->recipient, "alice@example.org");
        EXPECT_EQ(v->expires_s, 1'800'000'000);
    }
}

TEST(SodiumActionSigner, RefusesATamperedMac) {
    const SodiumActionSigner signer(kSecret);
    const std::string token = signer.Sign(Claim());
    std::string flipped = token;
    flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(signer.Verify(flipped));
    EXPECT_FALSE(signer.Verify(token.substr(0, token.size() - 1)));  // cut
    EXPECT_FALSE(signer.Verify(token + "A"));
    EXPECT_FALSE(signer.Verify(WithField(token, 5, "")));
    EXPECT_FALSE(signer.Verify(token.substr(0, token.rfind('.'))));  // no MAC at all
}

TEST(SodiumActionSigner, RefusesAnotherSecretOrNone) {
    const std::string token = SodiumActionSigner(kSecret).Sign(Claim());
    EXPECT_FALSE(SodiumActionSigner(std::string(40, 't')).Verify(token));
    EXPECT_FALSE(SodiumActionSigner("").Verify(token));
}

TEST(SodiumActionSigner, AMovedExpiryBreaksTheSignature) {
    // Expiry itself is DigestActions' check (the claim keeps it); what the
    // signer must ensure is that nobody extends it.
    const SodiumActionSigner signer(kSecret);
    app::ActionClaim expired = Claim();
    expired.expires_s = 1'000;
    const std::string token = signer.Sign(expired);
    auto v = signer.Verify(token);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->expires_s, 1'000);
    EXPECT_FALSE(signer.Verify(WithField(token, 3, "4000000000")));
}

TEST(SodiumActionSigner, ATokenForReleaseIsNoTokenForDelete) {
    const SodiumActionSigner signer(kSecret);
    const std::string token = signer.Sign(Claim());
    EXPECT_FALSE(signer.Verify(WithField(token, 2, "delete")));
    EXPECT_FALSE(signer.Verify(WithField(token, 2, "learn")));
}

TEST(SodiumActionSigner, ATokenForOneMailIsNoTokenForAnother) {
    const SodiumActionSigner signer(kSecret);
    const std::string token = signer.Sign(Claim());
    for (const char* id : {"43", "042", "-42", "42 ", "", "99999999999999999999"}) {
        EXPECT_FALSE(signer.Verify(WithField(token, 1, id))) << id;
    }
}

TEST(SodiumActionSigner, ATokenForOneRecipientIsNoTokenForAnother) {
    const SodiumActionSigner signer(kSecret);
    const std::string token = signer.Sign(Claim());
    EXPECT_FALSE(signer.Verify(WithField(token, 4, Base64UrlEncode("mallory@example.org"))));
    EXPECT_FALSE(signer.Verify(WithField(token, 4, Base64UrlEncode("ALICE@example.org"))));
    EXPECT_FALSE(signer.Verify(WithField(token, 4, "")));
}

TEST(SodiumActionSigner, RefusesMalformedAndOversizedTokens) {
    const SodiumActionSigner signer(kSecret);
    const std::string token = signer.Sign(Claim());
    EXPECT_FALSE(signer.Verify(""));
    EXPECT_FALSE(signer.Verify("v1"));
    EXPECT_FALSE(signer.Verify(WithField(token, 0, "v2")));
    EXPECT_FALSE(signer.Verify(token + ".extra"));
    EXPECT_FALSE(signer.Verify(std::string(100'000, 'A')));
    EXPECT_FALSE(signer.Verify(std::string("v1.42.release.1\0.x.y", 20)));
}

TEST(SodiumActionSigner, DigestIsStableHexAndNotTheToken) {
    const SodiumActionSigner signer(kSecret);
    const std::string token = signer.Sign(Claim());
    const std::string d = signer.Digest(token);
    EXPECT_EQ(d, signer.Digest(token));
    EXPECT_NE(d, signer.Digest(token + "x"));
    EXPECT_EQ(d.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_EQ(d.find(token), std::string::npos);
}

}  // namespace
}  // namespace rqwatch::auth
