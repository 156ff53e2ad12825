#pragma once
// When a recipient is due for a notification digest (issue 7: per-user
// frequency and time zone). Pure: the clock, the last digest and the zone
// are arguments, so DST days and far-off zones are unit-tested.
//
// - immediate: every run of `rqwatch notify`;
// - hourly: when the last digest was at least an hour ago (or never);
// - daily: once per local date, at or after `hour` local time;
// - weekly: once per local week (Monday to Sunday), at or after `hour` on
//   its Monday (a run missed on Monday is made up later that week).
//
// "Once per local date/week" compares the local date of the last digest
// with the current one in the recipient's zone *now*: a digest sent before
// a zone or hour change counts for the date it fell on there, so a change
// can delay the next digest to the next date's hour but never sends two in
// one date. A slot hour that a spring-forward skips is the first instant
// after the gap, one a fall-back repeats is its later occurrence (one slot
// per date either way). Pending mail of a recipient who is not due stays
// pending, so delaying loses nothing.

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/time_zone.hpp"

namespace rqwatch {

enum class NotifyFrequency { kImmediate, kHourly, kDaily, kWeekly };

// "immediate", "hourly", "daily", "weekly"; nullopt for anything else.
[[nodiscard]] std::optional<NotifyFrequency> ParseNotifyFrequency(std::string_view name);
[[nodiscard]] std::string_view NotifyFrequencyName(NotifyFrequency f);

struct NotifySchedule {
    NotifyFrequency frequency = NotifyFrequency::kImmediate;
    int hour = 8;  // local hour 0-23 of daily and weekly digests
};

// Whether a digest may go to the recipient at `now_ms` (unix ms), given when
// the last one went (nullopt: never).
[[nodiscard]] bool DigestDue(const NotifySchedule& schedule, const TimeZone& zone,
                             std::optional<std::int64_t> last_sent_ms, std::int64_t now_ms);

}  // namespace rqwatch
