#include "http/http_date.hpp"

#include <gtest/gtest.h>

#include <ctime>

namespace rqwatch::http {
namespace {

TEST(HttpDate, FormatsAndParsesImfFixdate) {
    EXPECT_EQ(FormatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(FormatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    EXPECT_EQ(ParseHttpDate(FormatHttpDate(1'800'000'000)), 1'800'000'000);
    EXPECT_EQ(FormatHttpDate(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");  // leap day
    EXPECT_EQ(FormatHttpDate(4102444799), "Thu, 31 Dec 2099 23:59:59 GMT");
}

TEST(HttpDate, FormatsEveryDayOfFourYearsLikeGmtime) {
    // Every day of a leap cycle at a varying time of day, against the C library.
    for (std::int64_t t = 1'700'000'000; t < 1'700'000'000 + 4 * 366 * 86400; t += 86400 + 3607) {
        const std::time_t tt = static_cast<std::time_t>(t);
        std::tm tm{};
        gmtime_r(&tt, &tm);
        char want[64];
        std::strftime(want, sizeof want, "%a, %d %b %Y %H:%M:%S GMT", &tm);  // "C" locale
        ASSERT_EQ(FormatHttpDate(t), want) << t;
        ASSERT_EQ(ParseHttpDate(want), t);
    }
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
