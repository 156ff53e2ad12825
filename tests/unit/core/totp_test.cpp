#include "core/totp.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace rqwatch::totp {
namespace {

// The key of the RFC 4226 and RFC 6238 (SHA-1) test vectors.
const std::string kRfcKey = "12345678901234567890";

TEST(Totp, Rfc4226HotpVectors) {
    const std::vector<std::string> expected = {"755224", "287082", "359152", "969429", "338314",
                                               "254676", "287922", "162583", "399871", "520489"};
    for (std::uint64_t counter = 0; counter < expected.size(); ++counter) {
        EXPECT_EQ(Hotp(kRfcKey, counter), expected[counter]) << counter;
    }
}

// RFC 6238 appendix B, SHA-1 rows: 8 digits, and their last 6 (the same
// truncation modulo 10^6) as apps show them.
TEST(Totp, Rfc6238Vectors) {
    const std::vector<std::pair<std::int64_t, std::string>> rows = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
    for (const auto& [t, code] : rows) {
        const auto step = static_cast<std::uint64_t>(StepOf(t));
        EXPECT_EQ(Hotp(kRfcKey, step, 8), code) << t;
        EXPECT_EQ(Hotp(kRfcKey, step), code.substr(2)) << t;
        EXPECT_EQ(MatchStep(kRfcKey, code.substr(2), t, 0), StepOf(t)) << t;
    }
}

TEST(Totp, StepOf) {
    EXPECT_EQ(StepOf(0), 0);
    EXPECT_EQ(StepOf(29), 0);
    EXPECT_EQ(StepOf(30), 1);
    EXPECT_EQ(StepOf(59), 1);
    EXPECT_EQ(StepOf(-1), -1);
}

TEST(Totp, OneStepEitherSideIsAccepted) {
    const std::int64_t now = 1'700'000'015;  // inside step 56'666'667
    const std::int64_t step = StepOf(now);
    for (std::int64_t d : {-1, 0, 1}) {
        const std::string code = Hotp(kRfcKey, static_cast<std::uint64_t>(step + d));
        EXPECT_EQ(MatchStep(kRfcKey, code, now, 0), step + d) << d;
    }
    for (std::int64_t d : {-3, -2, 2, 3}) {
        const std::string code = Hotp(kRfcKey, static_cast<std::uint64_t>(step + d));
        EXPECT_EQ(MatchStep(kRfcKey, code, now, 0), std::nullopt) << d;
    }
}

TEST(Totp, AUsedStepOrAnEarlierOneIsRefused) {
    const std::int64_t now = 1'700'000'015;
    const std::int64_t step = StepOf(now);
    const std::string code = Hotp(kRfcKey, static_cast<std::uint64_t>(step));
    EXPECT_EQ(MatchStep(kRfcKey, code, now, step - 1), step);
    EXPECT_EQ(MatchStep(kRfcKey, code, now, step), std::nullopt);
    EXPECT_EQ(MatchStep(kRfcKey, code, now, step + 1), std::nullopt);
    // The previous step's code after the current one was used: too late.
    const std::string before = Hotp(kRfcKey, static_cast<std::uint64_t>(step - 1));
    EXPECT_EQ(MatchStep(kRfcKey, before, now, step), std::nullopt);
}

TEST(Totp, MalformedCodesAreRefused) {
    const std::int64_t now = 59;
    const std::string right = Hotp(kRfcKey, 1);
    ASSERT_TRUE(MatchStep(kRfcKey, right, now, 0));
    for (const std::string& bad :
         {std::string(), std::string("12345"), std::string("1234567"), right + " ", " " + right,
          std::string("12a456"), std::string("-12345"), std::string("１２３４５６"),
          std::string("94287082")}) {
        EXPECT_FALSE(WellFormedCode(bad)) << bad;
        EXPECT_EQ(MatchStep(kRfcKey, bad, now, 0), std::nullopt) << bad;
    }
    EXPECT_TRUE(WellFormedCode("000000"));
}

TEST(Totp, WrongKeyIsRefused) {
    const std::string code = Hotp(kRfcKey, static_cast<std::uint64_t>(StepOf(1000)));
    EXPECT_EQ(MatchStep("another key of twenty", code, 1000, 0), std::nullopt);
}

TEST(Base32, Rfc4648Vectors) {
    const std::vector<std::pair<std::string, std::string>> rows = {{"", ""},
                                                                   {"f", "MY"},
                                                                   {"fo", "MZXQ"},
                                                                   {"foo", "MZXW6"},
                                                                   {"foob", "MZXW6YQ"},
                                                                   {"fooba", "MZXW6YTB"},
                                                                   {"foobar", "MZXW6YTBOI"}};
    for (const auto& [plain, encoded] : rows) {
        EXPECT_EQ(Base32Encode(plain), encoded) << plain;
        EXPECT_EQ(Base32Decode(encoded), plain) << encoded;
    }
    EXPECT_EQ(Base32Decode("MZXW6YQ="), "foob");
    EXPECT_EQ(Base32Decode("mzxw6ytboi======"), "foobar");
}

TEST(Base32, RoundTripOfEveryByte) {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
    for (std::size_t n : {1u, 5u, 19u, 20u, 21u, 256u}) {
        const std::string part = bytes.substr(bytes.size() - n);
        const std::string encoded = Base32Encode(part);
        EXPECT_EQ(encoded.find('='), std::string::npos);
        EXPECT_EQ(Base32Decode(encoded), part) << n;
    }
    EXPECT_EQ(Base32Encode(kRfcKey), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32, InvalidCharactersAreRefused) {
    for (const char* bad : {"MZ1", "MZ8", "MZ XW", "MZ=XW", "é"}) {
        EXPECT_EQ(Base32Decode(bad), std::nullopt) << bad;
    }
}

TEST(Totp, OtpauthUriEscapesNames) {
    EXPECT_EQ(OtpauthUri("rqwatch", "alice@example.org", "GEZDGNBV"),
              "otpauth://totp/rqwatch:alice%40example.org?secret=GEZDGNBV&issuer=rqwatch"
              "&algorithm=SHA1&digits=6&period=30");
    EXPECT_EQ(OtpauthUri("my app", "a b", "X"),
              "otpauth://totp/my%20app:a%20b?secret=X&issuer=my%20app&algorithm=SHA1&digits=6"
              "&period=30");
}

}  // namespace
}  // namespace rqwatch::totp
