#include "http/http_date.hpp"

#include <array>
#include <chrono>
#include <ctime>

namespace rqwatch::http {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
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
    // By hand from the calendar, not gmtime_r + fmt: every map answer (a 304
    // nearly always) carries a Last-Modified, and gmtime_r's time-zone lock
    // and fmt's argument packing were a twentieth of its CPU. The names must
    // not follow the locale either.
    using namespace std::chrono;
    const sys_seconds t{std::chrono::seconds(seconds)};
    const sys_days day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<std::chrono::seconds> hms{t - day};
    const unsigned weekday = std::chrono::weekday{day}.c_encoding();
    std::string out = "Sun, 00 Jan 0000 00:00:00 GMT";
    auto put = [&out](std::size_t at, unsigned value, std::size_t width) {
        for (std::size_t i = width; i-- > 0; value /= 10)
            out[at + i] = static_cast<char>('0' + value % 10);
    };
    out.replace(0, 3, kDays[weekday % 7]);
    put(5, static_cast<unsigned>(ymd.day()), 2);
    out.replace(8, 3, kMonths[(static_cast<unsigned>(ymd.month()) + 11) % 12]);
    put(12, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
    put(17, static_cast<unsigned>(hms.hours().count()), 2);
    put(20, static_cast<unsigned>(hms.minutes().count()), 2);
    put(23, static_cast<unsigned>(hms.seconds().count()), 2);
    return out;
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
