#include "core/time_zone.hpp"

#include <glib.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

namespace rqwatch {
namespace {

constexpr std::size_t kMaxNameBytes = 64;

// A tzdata name: segments of letters, digits, '_', '+', '-' joined by '/',
// starting with a letter. No '.', so no "..", no leading '/' (no path of
// one's choosing) and none of tzdata's own *.tab files.
bool PlainName(std::string_view name) {
    if (name.empty() || name.size() > kMaxNameBytes) return false;
    if (!g_ascii_isalpha(name.front()) || name.back() == '/') return false;
    char prev = 0;
    for (const char c : name) {
        const bool ok = g_ascii_isalnum(c) || c == '_' || c == '+' || c == '-' || c == '/';
        if (!ok || (c == '/' && prev == '/')) return false;
        prev = c;
    }
    return true;
}

// Whether tzdata holds a compiled zone of that name (its files start with
// "TZif"): GLib alone would also take a POSIX rule such as "ABC3".
bool InTzdata(std::string_view name) {
    const char* dir = std::getenv("TZDIR");
    std::string path = (dir != nullptr && *dir != '\0') ? dir : "/usr/share/zoneinfo";
    path += '/';
    path += name;
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    return in.read(magic, 4) && std::string_view(magic, 4) == "TZif";
}

struct DateTimeUnref {
    void operator()(GDateTime* d) const { g_date_time_unref(d); }
};
using DateTimePtr = std::unique_ptr<GDateTime, DateTimeUnref>;

DateTimePtr AtInstant(GTimeZone* tz, std::int64_t unix_ms) {
    // Floor to whole seconds, also before 1970.
    const std::int64_t s = unix_ms >= 0 ? unix_ms / 1000 : -((-unix_ms + 999) / 1000);
    DateTimePtr utc(g_date_time_new_from_unix_utc(s));
    return DateTimePtr(utc ? g_date_time_to_timezone(utc.get(), tz) : nullptr);
}

}  // namespace

void TimeZone::Free::operator()(void* tz) const { g_time_zone_unref(static_cast<GTimeZone*>(tz)); }

TimeZone::TimeZone(std::string name, void* tz) : name_(std::move(name)), tz_(tz, Free{}) {}

std::optional<TimeZone> TimeZone::Find(std::string_view name) {
    if (!PlainName(name) || !InTzdata(name)) return std::nullopt;
    const std::string id(name);
    GTimeZone* tz = g_time_zone_new_identifier(id.c_str());
    if (tz == nullptr) return std::nullopt;
    return TimeZone(id, tz);
}

TimeZone TimeZone::Utc() { return TimeZone("UTC", g_time_zone_new_utc()); }

LocalDate TimeZone::DateAt(std::int64_t unix_ms) const {
    DateTimePtr d = AtInstant(static_cast<GTimeZone*>(tz_.get()), unix_ms);
    if (!d) return {};
    return LocalDate{g_date_time_get_year(d.get()), g_date_time_get_month(d.get()),
                     g_date_time_get_day_of_month(d.get()), g_date_time_get_day_of_week(d.get())};
}

std::int64_t TimeZone::InstantOf(const LocalDate& date, int hour) const {
    // GLib moves a time in a gap forward and takes standard time for one
    // that occurs twice: what InstantOf promises.
    DateTimePtr d(
        g_date_time_new(static_cast<GTimeZone*>(tz_.get()), date.year, date.month, date.day, hour, 0, 0));
    if (!d) return 0;
    return g_date_time_to_unix(d.get()) * 1000;
}

std::string TimeZone::Format(std::int64_t unix_ms) const {
    DateTimePtr d = AtInstant(static_cast<GTimeZone*>(tz_.get()), unix_ms);
    if (!d) return {};
    gchar* text = g_date_time_format(d.get(), "%Y-%m-%d %H:%M %Z");
    std::string out = text != nullptr ? text : "";
    g_free(text);
    return out;
}

LocalDate AddDays(const LocalDate& date, int days) {
    using namespace std::chrono;
    const sys_days day = sys_days(year_month_day(year(date.year), month(static_cast<unsigned>(date.month)),
                                                 std::chrono::day(static_cast<unsigned>(date.day)))) +
                         std::chrono::days(days);
    const year_month_day ymd(day);
    return LocalDate{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                     static_cast<int>(static_cast<unsigned>(ymd.day())),
                     static_cast<int>(weekday(day).iso_encoding())};
}

}  // namespace rqwatch
