#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "core/mail.hpp"

namespace rqwatch {
namespace {

TEST(NormalizeAddressTest, TrimsStripsBracketsAndLowers) {
    EXPECT_EQ(NormalizeAddress("  <A@Example.COM> "), "a@example.com");
    EXPECT_EQ(NormalizeAddress("R2@Example.NET"), "r2@example.net");
    EXPECT_EQ(NormalizeAddress("\t<x@y.z>\r\n"), "x@y.z");
    EXPECT_EQ(NormalizeAddress("already@lower.case"), "already@lower.case");
}

TEST(NormalizeAddressTest, EdgeCases) {
    EXPECT_EQ(NormalizeAddress(""), "");
    EXPECT_EQ(NormalizeAddress("   "), "");
    EXPECT_EQ(NormalizeAddress("<>"), "");
    EXPECT_EQ(NormalizeAddress("<"), "<");
    // Only one pair of enclosing brackets is removed; inner text is kept as is.
    EXPECT_EQ(NormalizeAddress("<<A@B>>"), "<a@b>");
    EXPECT_EQ(NormalizeAddress("<A@B"), "<a@b");
    // Non-ASCII bytes pass through untouched.
    EXPECT_EQ(NormalizeAddress("J\xc3\x9cRGEN@Example.de"), "j\xc3\x9crgen@example.de");
}

TEST(ErrorTest, ErrorCodeNames) {
    EXPECT_STREQ(ErrorCodeName(ErrorCode::kInvalidArgument), "invalid_argument");
    EXPECT_STREQ(ErrorCodeName(ErrorCode::kNotFound), "not_found");
    EXPECT_STREQ(ErrorCodeName(ErrorCode::kConflict), "conflict");
    EXPECT_STREQ(ErrorCodeName(ErrorCode::kUnauthenticated), "unauthenticated");
    EXPECT_STREQ(ErrorCodeName(ErrorCode::kPermissionDenied), "permission_denied");
    EXPECT_STREQ(ErrorCodeName(ErrorCode::kTooLarge), "too_large");
    EXPECT_STREQ(ErrorCodeName(ErrorCode::kUnavailable), "unavailable");
    EXPECT_STREQ(ErrorCodeName(ErrorCode::kInternal), "internal");
    EXPECT_STREQ(ErrorCodeName(static_cast<ErrorCode>(99)), "internal");
}

TEST(ErrorTest, FailBuildsUnexpectedError) {
    Result<int> r = Fail(ErrorCode::kNotFound, "no such mail", "id=7");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(r.error().public_msg, "no such mail");
    EXPECT_EQ(r.error().detail, "id=7");
    EXPECT_FALSE(r.error().Temporary());
}

TEST(ErrorTest, OnlyUnavailableIsTemporary) {
    EXPECT_TRUE((Error{ErrorCode::kUnavailable, "", ""}.Temporary()));
    EXPECT_FALSE((Error{ErrorCode::kInternal, "", ""}.Temporary()));
    EXPECT_FALSE((Error{ErrorCode::kInvalidArgument, "", ""}.Temporary()));
}

}  // namespace
}  // namespace rqwatch
