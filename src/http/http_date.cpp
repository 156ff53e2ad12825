#include "http/http_date.hpp"

#include <fmt/format.h>

#include <array>
#include <ctime>

namespace rqwatch::http {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                   "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Digits only, exactly `n` of them.
std::optional<int> Number(std::string_view s, std::size_t n) {
    if (s.size() != n) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

std::string FormatHttpDate(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    // By hand, not strftime: the names must not follow the locale.
    return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
                       kDays[static_cast<std::size_t>(tm.tm_wday) % 7], tm.tm_mday,
                       kMonths[static_cast<std::size_t>(tm.tm_mon) % 12], tm.tm_year + 1900,
                       tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::optional<std::int64_t> ParseHttpDate(std::string_view s) {
    // "Sun, 06 Nov 1994 08:49:37 GMT": 29 characters at fixed places.
    if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT") {
        return std::nullopt;
    }
    const auto day = Number(s.substr(5, 2), 2);
    const auto year = Number(s.substr(12, 4), 4);
    const auto hour = Number(s.substr(17, 2), 2);
    const auto minute = Number(s.substr(20, 2), 2);
    const auto second = Number(s.substr(23, 2), 2);
    int month = -1;
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
        if (kMonths[i] == s.substr(8, 3)) month = static_cast<int>(i);
    }
    if (!day || !year || !hour || !minute || !second || month < 0 || *day < 1 || *day > 31 ||
        *hour > 23 || *minute > 59 || *second > 60 || *year < 1970) {
        return std::nullopt;
    }
    std::tm tm{};
    tm.tm_year = *year - 1900;
    tm.tm_mon = month;
    tm.tm_mday = *day;
    tm.tm_hour = *hour;
    tm.tm_min = *minute;
    tm.tm_sec = *second;
    return static_cast<std::int64_t>(timegm(&tm));
}

}  // namespace rqwatch::http
