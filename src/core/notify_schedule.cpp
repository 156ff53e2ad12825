#include "core/notify_schedule.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace rqwatch {
namespace {

constexpr std::int64_t kHourMs = 3'600'000;

constexpr std::array<std::pair<std::string_view, NotifyFrequency>, 4> kNames = {{
    {"immediate", NotifyFrequency::kImmediate},
    {"hourly", NotifyFrequency::kHourly},
    {"daily", NotifyFrequency::kDaily},
    {"weekly", NotifyFrequency::kWeekly},
}};

// Daily and weekly: the first date of the period `now` is in, whose slot
// (the hour on that date) must have come, and since which nothing was sent.
bool PeriodDue(const TimeZone& zone, int hour, int period_days,
               std::optional<std::int64_t> last_sent_ms, std::int64_t now_ms) {
    const LocalDate today = zone.DateAt(now_ms);
    // Weekly periods start on Monday (weekday 1).
    const LocalDate start = period_days == 1 ? today : AddDays(today, 1 - today.weekday);
    if (now_ms < zone.InstantOf(start, hour)) return false;
    return !last_sent_ms || zone.DateAt(*last_sent_ms) < start;
}

}  // namespace

std::optional<NotifyFrequency> ParseNotifyFrequency(std::string_view name) {
    const auto* it = std::ranges::find(kNames, name, &std::pair<std::string_view, NotifyFrequency>::first);
    if (it == kNames.end()) return std::nullopt;
    return it->second;
}

std::string_view NotifyFrequencyName(NotifyFrequency f) {
    const auto* it = std::ranges::find(kNames, f, &std::pair<std::string_view, NotifyFrequency>::second);
    return it == kNames.end() ? std::string_view("immediate") : it->first;
}

bool DigestDue(const NotifySchedule& schedule, const TimeZone& zone,
               std::optional<std::int64_t> last_sent_ms, std::int64_t now_ms) {
    switch (schedule.frequency) {
        case NotifyFrequency::kImmediate:
            return true;
        case NotifyFrequency::kHourly:
            return !last_sent_ms || now_ms - *last_sent_ms >= kHourMs;
        case NotifyFrequency::kDaily:
            return PeriodDue(zone, schedule.hour, 1, last_sent_ms, now_ms);
        case NotifyFrequency::kWeekly:
            return PeriodDue(zone, schedule.hour, 7, last_sent_ms, now_ms);
    }
    return true;
}

}  // namespace rqwatch
