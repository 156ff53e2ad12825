#include "core/node_signature.hpp"

#include <gtest/gtest.h>

namespace rqwatch {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

TEST(NodeSignatureTest, IsHmacSha256OfMethodTargetAndTime) {
    // Python: hmac.new(b"Jefe", b"GET\n/api/v1/node/mails/7/raw\n1800000000", "sha256")
    const std::string sig = NodeSignature("Jefe", "GET", "/api/v1/node/mails/7/raw", kNow);
    EXPECT_EQ(sig, "2fd8934c23d6a8a83ac5b1d93e780c50718d3a5c94ddc7fbbe13ac78b3f2b02c");
    EXPECT_NE(sig, NodeSignature("Jefe", "GET", "/api/v1/node/mails/8/raw", kNow));
    EXPECT_NE(sig, NodeSignature("Jefe", "DELETE", "/api/v1/node/mails/7/raw", kNow));
    EXPECT_NE(sig, NodeSignature("Jefe", "GET", "/api/v1/node/mails/7/raw", kNow + 1));
    EXPECT_NE(sig, NodeSignature("jefe", "GET", "/api/v1/node/mails/7/raw", kNow));
}

TEST(NodeSignatureTest, ValidOnlyForThatRequestWithinTheWindow) {
    const std::string target = "/api/v1/node/mails/7/raw";
    const std::string t = std::to_string(kNow);
    const std::string sig = NodeSignature("s3cret", "GET", target, kNow);
    EXPECT_TRUE(NodeSignatureValid("s3cret", "GET", target, t, sig, kNow));
    EXPECT_TRUE(NodeSignatureValid("s3cret", "GET", target, t, sig, kNow + kNodeSignatureWindowS));
    EXPECT_FALSE(
        NodeSignatureValid("s3cret", "GET", target, t, sig, kNow + kNodeSignatureWindowS + 1));
    EXPECT_FALSE(
        NodeSignatureValid("s3cret", "GET", target, t, sig, kNow - kNodeSignatureWindowS - 1));
    EXPECT_FALSE(NodeSignatureValid("other", "GET", target, t, sig, kNow));
    EXPECT_FALSE(NodeSignatureValid("s3cret", "GET", "/api/v1/node/mails/8/raw", t, sig, kNow));
    EXPECT_FALSE(NodeSignatureValid("", "GET", target, t, NodeSignature("", "GET", target, kNow),
                                    kNow));
    for (std::string bad : {"", " 1800000000", "1800000000x", "-", "99999999999999999999999"}) {
        EXPECT_FALSE(NodeSignatureValid("s3cret", "GET", target, bad, sig, kNow)) << bad;
    }
    EXPECT_FALSE(NodeSignatureValid("s3cret", "GET", target, t, sig.substr(1), kNow));
    EXPECT_FALSE(NodeSignatureValid("s3cret", "GET", target, t, "", kNow));
}

}  // namespace
}  // namespace rqwatch
