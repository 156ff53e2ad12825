#include "auth/jwt_verify.hpp"

#include <gtest/gtest.h>

#include "jwt_test_keys.hpp"

namespace rqwatch::auth {
namespace {

using nlohmann::json;
using testing::HmacJwt;
using testing::KeyPtr;
using testing::PublicJwk;
using testing::SignJwt;

constexpr std::int64_t kNow = 1'800'000'000;

class JwtVerifyTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        rsa_ = testing::NewRsaKey();
        other_rsa_ = testing::NewRsaKey();
        ec_ = testing::NewEcKey();
    }
    static void TearDownTestSuite() {
        rsa_.reset();
        other_rsa_.reset();
        ec_.reset();
    }

    std::vector<Jwk> Keys() const {
        const json jwks = {
            {"keys", {PublicJwk(rsa_.get(), "rsa-1"), PublicJwk(ec_.get(), "ec-1")}}};
        auto keys = ParseJwks(jwks.dump());
        EXPECT_TRUE(keys);
        EXPECT_EQ(keys->size(), 2u);
        return *keys;
    }
    static json Claims() {
        return {{"iss", "https://idp.example/realm"},
                {"sub", "248289761001"},
                {"aud", "rqwatch"},
                {"azp", "rqwatch"},
                {"nonce", "n-0S6_WzA2Mj"},
                {"exp", kNow + 300},
                {"iat", kNow - 10},
                {"preferred_username", "alice"}};
    }
    static IdTokenCheck Check() {
        return {.issuer = "https://idp.example/realm",
                .client_id = "rqwatch",
                .nonce = "n-0S6_WzA2Mj",
                .now_s = kNow,
                .skew_s = 60};
    }
    static std::string Rs256(const json& claims, const std::string& kid = "rsa-1",
                             EVP_PKEY* key = nullptr) {
        return SignJwt(key ? key : rsa_.get(), {{"alg", "RS256"}, {"kid", kid}, {"typ", "JWT"}},
                       claims.dump());
    }
    Result<json> Verify(const std::string& token) const {
        return VerifyIdToken(token, Keys(), Check());
    }
    void ExpectRefused(const std::string& token, const std::string& why) const {
        auto r = Verify(token);
        ASSERT_FALSE(r) << why;
        EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << why << ": " << r.error().detail;
    }

    static KeyPtr rsa_;
    static KeyPtr other_rsa_;
    static KeyPtr ec_;
};

KeyPtr JwtVerifyTest::rsa_;
KeyPtr JwtVerifyTest::other_rsa_;
KeyPtr JwtVerifyTest::ec_;

TEST_F(JwtVerifyTest, AcceptsAGoodRs256Token) {
    auto r = Verify(Rs256(Claims()));
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ((*r)["preferred_username"], "alice");
}

TEST_F(JwtVerifyTest, AcceptsRs512AndEs256) {
    auto rs512 = Verify(SignJwt(rsa_.get(), {{"alg", "RS512"}, {"kid", "rsa-1"}}, Claims().dump()));
    EXPECT_TRUE(rs512) << rs512.error().detail;
    auto es256 = Verify(SignJwt(ec_.get(), {{"alg", "ES256"}, {"kid", "ec-1"}}, Claims().dump()));
    EXPECT_TRUE(es256) << es256.error().detail;
}

TEST_F(JwtVerifyTest, AcceptsATokenWithoutKidWhenAKeyFits) {
    auto r = Verify(SignJwt(rsa_.get(), {{"alg", "RS256"}}, Claims().dump()));
    EXPECT_TRUE(r) << r.error().detail;
}

TEST_F(JwtVerifyTest, RefusesAWrongSignature) {
    // Signed by another key under our key's kid.
    ExpectRefused(Rs256(Claims(), "rsa-1", other_rsa_.get()), "other key");
    // A changed payload under the original signature.
    const std::string good = Rs256(Claims());
    json changed = Claims();
    changed["preferred_username"] = "admin";
    const std::string forged = Rs256(changed);
    const auto dot1 = good.find('.');
    const auto dot2 = good.rfind('.');
    const auto fdot1 = forged.find('.');
    const auto fdot2 = forged.rfind('.');
    ExpectRefused(good.substr(0, dot1) + forged.substr(fdot1, fdot2 - fdot1) + good.substr(dot2),
                  "payload swapped");
    // An ES256 signature presented as RS256 of the EC key's kid finds no key.
    auto es = Verify(SignJwt(ec_.get(), {{"alg", "RS256"}, {"kid", "ec-1"}}, Claims().dump()));
    ASSERT_FALSE(es);
}

TEST_F(JwtVerifyTest, RefusesAlgNone) {
    const std::string unsigned_part =
        Base64UrlEncode(json{{"alg", "none"}}.dump()) + "." + Base64UrlEncode(Claims().dump());
    ExpectRefused(unsigned_part + ".", "alg none, empty signature");
    ExpectRefused(unsigned_part + "." + Base64UrlEncode("x"), "alg none, some signature");
    const std::string none_upper = Base64UrlEncode(json{{"alg", "None"}, {"kid", "rsa-1"}}.dump()) +
                                   "." + Base64UrlEncode(Claims().dump()) + "." +
                                   Base64UrlEncode("x");
    ExpectRefused(none_upper, "alg None");
}

TEST_F(JwtVerifyTest, RefusesHs256WithThePublicKeyAsSecret) {
    // The classic key confusion: HMAC keyed with what the verifier knows.
    const std::string n = testing::BnParam(rsa_.get(), OSSL_PKEY_PARAM_RSA_N);
    const std::string jwk = PublicJwk(rsa_.get(), "rsa-1").dump();
    for (const std::string& secret : {n, jwk}) {
        ExpectRefused(HmacJwt(secret, {{"alg", "HS256"}, {"kid", "rsa-1"}}, Claims().dump()),
                      "HS256");
    }
}

TEST_F(JwtVerifyTest, RefusesWrongIssuerAudienceNonceAndAzp) {
    auto with = [](const char* key, json value) {
        json c = Claims();
        if (value.is_null()) {
            c.erase(key);
        } else {
            c[key] = std::move(value);
        }
        return c;
    };
    ExpectRefused(Rs256(with("iss", "https://idp.example/other")), "iss");
    ExpectRefused(Rs256(with("iss", "https://idp.example/realm/")), "iss with a slash");
    ExpectRefused(Rs256(with("aud", "someone-else")), "aud");
    ExpectRefused(Rs256(with("aud", json::array({"a", "b"}))), "aud array without us");
    ExpectRefused(Rs256(with("nonce", "another")), "nonce");
    ExpectRefused(Rs256(with("nonce", nullptr)), "no nonce");
    ExpectRefused(Rs256(with("azp", "someone-else")), "azp");
    ExpectRefused(Rs256(with("sub", nullptr)), "no sub");
    json several = with("aud", json::array({"rqwatch", "other"}));
    EXPECT_TRUE(Verify(Rs256(several))) << "several audiences with azp = us";
    several.erase("azp");
    ExpectRefused(Rs256(several), "several audiences, no azp");
}

TEST_F(JwtVerifyTest, RefusesExpiredAndFutureTokensBeyondTheSkew) {
    json c = Claims();
    c["exp"] = kNow - 61;
    ExpectRefused(Rs256(c), "expired");
    c["exp"] = kNow - 30;  // within the 60 s skew
    EXPECT_TRUE(Verify(Rs256(c)));
    c = Claims();
    c["iat"] = kNow + 120;
    ExpectRefused(Rs256(c), "iat in the future");
    c = Claims();
    c.erase("exp");
    ExpectRefused(Rs256(c), "no exp");
    c = Claims();
    c["exp"] = "tomorrow";
    ExpectRefused(Rs256(c), "exp not a number");
    c = Claims();
    c["nbf"] = kNow + 600;
    ExpectRefused(Rs256(c), "not before");
}

TEST_F(JwtVerifyTest, RefusesMalformedTokens) {
    const std::string good = Rs256(Claims());
    ExpectRefused("", "empty");
    ExpectRefused("a.b", "two parts");
    ExpectRefused(good + ".x", "four parts");
    ExpectRefused("..", "empty parts");
    ExpectRefused("!!!." + good.substr(good.find('.') + 1), "header not base64url");
    ExpectRefused(good + "=", "padding");
    ExpectRefused(Base64UrlEncode("not json") + good.substr(good.find('.')), "header not JSON");
    ExpectRefused(SignJwt(rsa_.get(), {{"alg", "RS256"}, {"kid", "rsa-1"}}, "not json"),
                  "payload not JSON");
    ExpectRefused(SignJwt(rsa_.get(), {{"alg", "RS256"}, {"kid", "rsa-1"}}, "[1,2]"),
                  "payload not an object");
    ExpectRefused(SignJwt(rsa_.get(), {{"alg", "RS256"}, {"kid", "rsa-1"}, {"crit", {"exp"}}},
                          Claims().dump()),
                  "crit header");
}

TEST_F(JwtVerifyTest, RefusesAHugeTokenBeforeParsingIt) {
    json c = Claims();
    c["padding"] = std::string(kMaxIdTokenBytes, 'x');
    auto r = Verify(Rs256(c));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(r.error().detail, "token too large");
}

TEST_F(JwtVerifyTest, AnUnknownKidAsksForTheKeysAgain) {
    auto r = Verify(Rs256(Claims(), "rotated-2"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST(JwksTest, SkipsKeysItCannotUse) {
    const KeyPtr small = testing::NewRsaKey(1024);
    const KeyPtr good = testing::NewRsaKey();
    json enc = PublicJwk(good.get(), "enc");
    enc["use"] = "enc";
    json bad_point = PublicJwk(testing::NewEcKey().get(), "bad-ec");
    bad_point["y"] = Base64UrlEncode(std::string(32, '\x01'));
    const json jwks = {
        {"keys",
         {PublicJwk(small.get(), "small"), enc, bad_point, json{{"kty", "oct"}, {"k", "c2VjcmV0"}},
          "junk", PublicJwk(good.get(), "good")}}};
    auto keys = ParseJwks(jwks.dump());
    ASSERT_TRUE(keys);
    ASSERT_EQ(keys->size(), 1u);
    EXPECT_EQ((*keys)[0].kid, "good");
    EXPECT_FALSE(ParseJwks("{\"keys\": 3}"));
    EXPECT_FALSE(ParseJwks("not json"));
}

}  // namespace
}  // namespace rqwatch::auth
