#include "http/http_date.hpp"

#include <gtest/gtest.h>

namespace rqwatch::http {
namespace {

TEST(HttpDate, FormatsAndParsesImfFixdate) {
    EXPECT_EQ(FormatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    EXPECT_EQ(ParseHttpDate(FormatHttpDate(1'800'000'000)), 1'800'000'000);
}

TEST(HttpDate, RefusesOtherForms) {
    for (const char* bad : {"", "garbage", "Sunday, 06-Nov-94 08:49:37 GMT",
                            "Sun Nov  6 08:49:37 1994", "Sun, 06 Nov 1994 08:49:37 UTC",
                            "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 36 Nov 1994 08:49:37 GMT",
                            "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 0x Nov 1994 08:49:37 GMT"}) {
        EXPECT_FALSE(ParseHttpDate(bad)) << bad;
    }
}

}  // namespace
}  // namespace rqwatch::http
