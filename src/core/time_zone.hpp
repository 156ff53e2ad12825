#pragma once
// IANA time zones (tzdata, through GLib's GTimeZone: libstdc++ 12 has no
// std::chrono::locate_zone). Users pick a zone for their notification hour
// and for the times their digests show; a zone name comes from outside (a
// profile form), so only a plain tzdata name is ever looked up: never a
// path, a POSIX TZ rule or an offset, which GLib would also accept.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rqwatch {

// A local calendar date; weekday 1 = Monday … 7 = Sunday (ISO 8601).
struct LocalDate {
    int year = 1970;
    int month = 1;
    int day = 1;
    int weekday = 4;
    friend auto operator<=>(const LocalDate& a, const LocalDate& b) {
        if (auto c = a.year <=> b.year; c != 0) return c;
        if (auto c = a.month <=> b.month; c != 0) return c;
        return a.day <=> b.day;
    }
    friend bool operator==(const LocalDate& a, const LocalDate& b) {
        return a.year == b.year && a.month == b.month && a.day == b.day;
    }
};

class TimeZone {
  public:
    // The zone of a tzdata name such as "Europe/Berlin" or "UTC"; nullopt
    // for anything else (unknown, empty, a path, "+05:00", "EST5EDT"-style
    // rules that are no file of tzdata).
    [[nodiscard]] static std::optional<TimeZone> Find(std::string_view name);
    [[nodiscard]] static TimeZone Utc();

    [[nodiscard]] const std::string& Name() const { return name_; }
    // The local date at `unix_ms`.
    [[nodiscard]] LocalDate DateAt(std::int64_t unix_ms) const;
    // The instant (unix ms) of `hour`:00 local time on `date`. An hour that
    // a spring-forward skips moves forward to the first instant after the
    // gap (02:00 → 03:00 in Europe/Berlin); one a fall-back repeats is its
    // later, standard-time occurrence.
    [[nodiscard]] std::int64_t InstantOf(const LocalDate& date, int hour) const;
    // `unix_ms` as local "YYYY-MM-DD HH:MM ABBR" (the zone's abbreviation,
    // or its offset such as "+13" where tzdata has none).
    [[nodiscard]] std::string Format(std::int64_t unix_ms) const;

  private:
    struct Free {
        void operator()(void* tz) const;
    };
    TimeZone(std::string name, void* tz);

    std::string name_;
    std::shared_ptr<void> tz_;  // GTimeZone*, immutable once made (shared is safe)
};

// A date `days` later (earlier when negative) than `date`.
[[nodiscard]] LocalDate AddDays(const LocalDate& date, int days);

}  // namespace rqwatch
