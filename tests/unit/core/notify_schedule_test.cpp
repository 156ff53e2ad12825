#include "core/notify_schedule.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace rqwatch {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;

// Unix ms of a UTC wall-clock time.
std::int64_t Utc(int y, unsigned m, unsigned d, int h, int mi = 0) {
    using namespace std::chrono;
    const sys_days day{year(y) / month(m) / std::chrono::day(d)};
    return (duration_cast<milliseconds>(day.time_since_epoch()).count()) +
           (h * 60LL + mi) * kMinuteMs;
}

TimeZone Zone(std::string_view name) {
    auto z = TimeZone::Find(name);
    EXPECT_TRUE(z) << name;
    return z ? *z : TimeZone::Utc();
}

const NotifySchedule kDaily8{NotifyFrequency::kDaily, 8};

TEST(NotifySchedule, FrequencyNamesRoundTrip) {
    for (auto f : {NotifyFrequency::kImmediate, NotifyFrequency::kHourly, NotifyFrequency::kDaily,
                   NotifyFrequency::kWeekly}) {
        EXPECT_EQ(ParseNotifyFrequency(NotifyFrequencyName(f)), f);
    }
    EXPECT_FALSE(ParseNotifyFrequency(""));
    EXPECT_FALSE(ParseNotifyFrequency("Daily"));
    EXPECT_FALSE(ParseNotifyFrequency("monthly"));
}

TEST(NotifySchedule, ImmediateIsAlwaysDue) {
    const NotifySchedule s{NotifyFrequency::kImmediate, 8};
    const std::int64_t now = Utc(2026, 12, 4, 16);
    EXPECT_TRUE(DigestDue(s, TimeZone::Utc(), std::nullopt, now));
    EXPECT_TRUE(DigestDue(s, TimeZone::Utc(), now, now));
}

TEST(NotifySchedule, HourlyWaitsAnHourSinceTheLastDigest) {
    const NotifySchedule s{NotifyFrequency::kHourly, 8};
    const std::int64_t now = Utc(2026, 12, 4, 16);
    EXPECT_TRUE(DigestDue(s, TimeZone::Utc(), std::nullopt, now));
    EXPECT_FALSE(DigestDue(s, TimeZone::Utc(), now - 60 * kMinuteMs + 1, now));
    EXPECT_TRUE(DigestDue(s, TimeZone::Utc(), now - 60 * kMinuteMs, now));
    // A last digest "in the future" (the clock went back) is no reason to send.
    EXPECT_FALSE(DigestDue(s, TimeZone::Utc(), now + kMinuteMs, now));
}

TEST(NotifySchedule, DailyNeverSentWaitsForTheLocalHour) {
    const TimeZone berlin = Zone("Europe/Berlin");  // CET, UTC+1 in December
    EXPECT_FALSE(DigestDue(kDaily8, berlin, std::nullopt, Utc(2026, 12, 4, 7) - 1000));
    // Exactly at the hour.
    EXPECT_TRUE(DigestDue(kDaily8, berlin, std::nullopt, Utc(2026, 12, 4, 7)));
    EXPECT_TRUE(DigestDue(kDaily8, berlin, std::nullopt, Utc(2026, 12, 4, 22, 59)));
}

TEST(NotifySchedule, DailyOncePerLocalDate) {
    const TimeZone berlin = Zone("Europe/Berlin");
    const std::int64_t sent = Utc(2026, 12, 4, 7);  // 08:00 CET
    EXPECT_FALSE(DigestDue(kDaily8, berlin, sent, Utc(2026, 12, 4, 22, 59)));
    // Local midnight has passed, but not 08:00.
    EXPECT_FALSE(DigestDue(kDaily8, berlin, sent, Utc(2026, 12, 4, 23, 0)));
    EXPECT_FALSE(DigestDue(kDaily8, berlin, sent, Utc(2026, 12, 5, 6, 59)));
    EXPECT_TRUE(DigestDue(kDaily8, berlin, sent, Utc(2026, 12, 5, 7)));
    // Several days without a digest (no mail): the next one at the hour, not before.
    EXPECT_FALSE(DigestDue(kDaily8, berlin, sent, Utc(2026, 12, 9, 2)));
    EXPECT_TRUE(DigestDue(kDaily8, berlin, sent, Utc(2026, 12, 9, 7, 5)));
}

TEST(NotifySchedule, DailySpringForwardHourThatDoesNotExist) {
    // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
    const TimeZone berlin = Zone("Europe/Berlin");
    const NotifySchedule at2{NotifyFrequency::kDaily, 2};
    const std::int64_t sent = Utc(2026, 3, 28, 1);  // 02:00 CET the day before
    EXPECT_FALSE(DigestDue(at2, berlin, sent, Utc(2026, 3, 29, 0, 59)));  // 01:59 CET
    EXPECT_TRUE(DigestDue(at2, berlin, sent, Utc(2026, 3, 29, 1)));      // 03:00 CEST
    EXPECT_TRUE(DigestDue(at2, berlin, sent, Utc(2026, 3, 29, 12)));
    // Sent at the moved slot: not again that date.
    EXPECT_FALSE(DigestDue(at2, berlin, Utc(2026, 3, 29, 1), Utc(2026, 3, 29, 21, 59)));
    // The next date's 02:00 CEST is 00:00 UTC.
    EXPECT_FALSE(DigestDue(at2, berlin, Utc(2026, 3, 29, 1), Utc(2026, 3, 29, 23, 59)));
    EXPECT_TRUE(DigestDue(at2, berlin, Utc(2026, 3, 29, 1), Utc(2026, 3, 30, 0)));
}

TEST(NotifySchedule, DailyFallBackHourThatOccursTwice) {
    // 2026-10-25 in Berlin: 02:00-02:59 happens in CEST (00:xx UTC) and again
    // in CET (01:xx UTC). The slot is the later one; one digest that date.
    const TimeZone berlin = Zone("Europe/Berlin");
    const NotifySchedule at2{NotifyFrequency::kDaily, 2};
    const std::int64_t sent = Utc(2026, 10, 24, 0);  // 02:00 CEST the day before
    EXPECT_FALSE(DigestDue(at2, berlin, sent, Utc(2026, 10, 25, 0, 30)));  // 02:30 CEST
    EXPECT_TRUE(DigestDue(at2, berlin, sent, Utc(2026, 10, 25, 1)));      // 02:00 CET
    for (int h = 1; h < 23; ++h) {
        EXPECT_FALSE(DigestDue(at2, berlin, Utc(2026, 10, 25, 1), Utc(2026, 10, 25, h, 30))) << h;
    }
    EXPECT_TRUE(DigestDue(at2, berlin, Utc(2026, 10, 25, 1), Utc(2026, 10, 26, 1)));
    // Hour 8 on that day is 07:00 UTC (CET), 25 hours after the day before's 06:00 UTC.
    EXPECT_FALSE(DigestDue(kDaily8, berlin, Utc(2026, 10, 24, 6), Utc(2026, 10, 25, 6, 59)));
    EXPECT_TRUE(DigestDue(kDaily8, berlin, Utc(2026, 10, 24, 6), Utc(2026, 10, 25, 7)));
}

TEST(NotifySchedule, DailyInUtcPlus13) {
    // Tonga: 08:00 on 5 December is 19:00 UTC on the 4th.
    const TimeZone tonga = Zone("Pacific/Tongatapu");
    EXPECT_FALSE(DigestDue(kDaily8, tonga, std::nullopt, Utc(2026, 12, 4, 18, 59)));
    EXPECT_TRUE(DigestDue(kDaily8, tonga, std::nullopt, Utc(2026, 12, 4, 19)));
    const std::int64_t sent = Utc(2026, 12, 4, 19);
    EXPECT_FALSE(DigestDue(kDaily8, tonga, sent, Utc(2026, 12, 5, 18, 59)));
    EXPECT_TRUE(DigestDue(kDaily8, tonga, sent, Utc(2026, 12, 5, 19)));
}

TEST(NotifySchedule, DailyInUtcMinus11) {
    // American Samoa: 08:00 on 4 December is 19:00 UTC on the 4th, and
    // 23:00 local on the 4th is already the 5th in UTC.
    const TimeZone samoa = Zone("Pacific/Pago_Pago");
    const std::int64_t sent = Utc(2026, 12, 4, 19);
    EXPECT_FALSE(DigestDue(kDaily8, samoa, sent, Utc(2026, 12, 5, 10)));
    EXPECT_FALSE(DigestDue(kDaily8, samoa, sent, Utc(2026, 12, 5, 18, 59)));
    EXPECT_TRUE(DigestDue(kDaily8, samoa, sent, Utc(2026, 12, 5, 19)));
}

TEST(NotifySchedule, ZoneChangeNeverSendsTwiceInALocalDate) {
    // Sent at 08:00 in Berlin; the user then moves to New York, where 08:00
    // comes five hours later the same date: that date already had its digest.
    const std::int64_t sent = Utc(2026, 12, 4, 7);
    const TimeZone ny = Zone("America/New_York");
    EXPECT_FALSE(DigestDue(kDaily8, ny, sent, Utc(2026, 12, 4, 13)));
    EXPECT_TRUE(DigestDue(kDaily8, ny, sent, Utc(2026, 12, 5, 13)));
    // Eastwards to Tokyo: 08:00 JST on the 5th is 23:00 UTC on the 4th, and
    // the Berlin digest fell on the 4th there: due, 16 hours later, not lost.
    const TimeZone tokyo = Zone("Asia/Tokyo");
    EXPECT_FALSE(DigestDue(kDaily8, tokyo, sent, Utc(2026, 12, 4, 22, 59)));
    EXPECT_TRUE(DigestDue(kDaily8, tokyo, sent, Utc(2026, 12, 4, 23)));
}

TEST(NotifySchedule, WeeklyOnMondayAtTheHourAndMadeUpLaterInTheWeek) {
    const NotifySchedule s{NotifyFrequency::kWeekly, 8};
    const TimeZone utc = TimeZone::Utc();
    const std::int64_t monday = Utc(2026, 11, 30, 8);  // a Monday
    EXPECT_FALSE(DigestDue(s, utc, monday, Utc(2026, 12, 6, 23, 59)));  // Sunday
    EXPECT_FALSE(DigestDue(s, utc, monday, Utc(2026, 12, 7, 7, 59)));   // Monday early
    EXPECT_TRUE(DigestDue(s, utc, monday, Utc(2026, 12, 7, 8)));
    EXPECT_TRUE(DigestDue(s, utc, monday, Utc(2026, 12, 9, 10)));  // Monday's run missed
    EXPECT_FALSE(DigestDue(s, utc, Utc(2026, 12, 7, 8), Utc(2026, 12, 13, 23)));
    // Never sent: this week's Monday 08:00 has passed.
    EXPECT_TRUE(DigestDue(s, utc, std::nullopt, Utc(2026, 12, 4, 16)));
    EXPECT_FALSE(DigestDue(s, utc, std::nullopt, Utc(2026, 12, 7, 7)));
}

TEST(TimeZone, FindsTzdataNamesOnly) {
    for (const char* ok : {"UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+11"}) {
        auto z = TimeZone::Find(ok);
        ASSERT_TRUE(z) << ok;
        EXPECT_EQ(z->Name(), ok);
    }
    for (const char* bad : {"", "Nowhere/Nothing", "europe/berlin ", "../../etc/passwd",
                            "/etc/localtime", "Europe/../Europe/Berlin", "Europe//Berlin",
                            "Europe/", "Europe", "+05:00", "ABC3", "leapseconds", "zone.tab",
                            ":Europe/Berlin", "Europe/Berlin\n"}) {
        EXPECT_FALSE(TimeZone::Find(bad)) << bad;
    }
    EXPECT_FALSE(TimeZone::Find(std::string(65, 'A')));
}

TEST(TimeZone, FormatsLocalTimeWithTheZoneAbbreviationOrOffset) {
    const std::int64_t t = Utc(2026, 12, 4, 7, 5);
    EXPECT_EQ(TimeZone::Utc().Format(t), "2026-12-04 07:05 UTC");
    EXPECT_EQ(Zone("Europe/Berlin").Format(t), "2026-12-04 08:05 CET");
    EXPECT_EQ(Zone("Europe/Berlin").Format(Utc(2026, 7, 1, 7, 5)), "2026-07-01 09:05 CEST");
    EXPECT_EQ(Zone("Pacific/Tongatapu").Format(t), "2026-12-04 20:05 +13");
    EXPECT_EQ(Zone("Pacific/Pago_Pago").Format(t), "2026-12-03 20:05 SST");
}

TEST(TimeZone, LocalDatesAndDayArithmetic) {
    const LocalDate d = Zone("Pacific/Tongatapu").DateAt(Utc(2026, 12, 4, 19));
    EXPECT_EQ(d, (LocalDate{2026, 12, 5, 6}));  // Saturday
    EXPECT_EQ(AddDays(LocalDate{2026, 12, 31, 4}, 1), (LocalDate{2027, 1, 1, 5}));
    EXPECT_EQ(AddDays(LocalDate{2026, 3, 1, 7}, -1), (LocalDate{2026, 2, 28, 6}));
    EXPECT_EQ(AddDays(LocalDate{2026, 3, 1, 7}, -1).weekday, 6);
}

}  // namespace
}  // namespace rqwatch
