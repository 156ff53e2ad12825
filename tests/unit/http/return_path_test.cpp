#include "http/return_path.hpp"

#include <gtest/gtest.h>

namespace rqwatch::http {
namespace {

TEST(ReturnPathTest, KeepsPathsOfThisSite) {
    EXPECT_EQ(SafeReturnPath("/"), "/");
    EXPECT_EQ(SafeReturnPath("/mails?id=3&x=%2F"), "/mails?id=3&x=%2F");
}

TEST(ReturnPathTest, AnythingThatCouldLeaveTheSiteBecomesTheRoot) {
    for (const char* bad : {"", "https://evil.example/", "//evil.example/", "/\\evil.example",
                            "\\\\evil", "evil.example", "javascript:alert(1)", "/a\\b",
                            "/\t/evil.example", "/a b", "/\r\nSet-Cookie: x=1", "/\xc3\xa9"}) {
        EXPECT_EQ(SafeReturnPath(bad), "/") << bad;
    }
    EXPECT_EQ(SafeReturnPath("/" + std::string(1024, 'a')), "/");
}

}  // namespace
}  // namespace rqwatch::http
