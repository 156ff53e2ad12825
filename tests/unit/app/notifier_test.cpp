// Notifier (app/notifier.hpp) over an in-memory NotifyRepo and a sender that
// records what it was handed: the per-recipient schedules, what stays
// pending, and what a digest shows.

#include "app/notifier.hpp"

#include <glib.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <tuple>

namespace rqwatch::app {
namespace {

constexpr std::int64_t kMinuteMs = 60'000;

std::int64_t Utc(int y, unsigned m, unsigned d, int h, int mi = 0) {
    using namespace std::chrono;
    const sys_days day{year(y) / month(m) / std::chrono::day(d)};
    return duration_cast<milliseconds>(day.time_since_epoch()).count() + (h * 60LL + mi) * kMinuteMs;
}

// The rules of Pending (score, age, blacklist, opt-out) are SQL and tested
// in SqlNotifyRepoTest; this one only keeps what was notified to whom.
class FakeNotifyRepo final : public NotifyRepo {
  public:
    std::vector<NotifyItem> mails;
    std::set<std::pair<std::int64_t, std::string>> notified;
    std::map<std::string, NotifyRecipient> recipients;
    int pending_calls = 0;

    void Add(std::int64_t id, const std::string& to, std::int64_t received_at,
             std::string subject = "Hello") {
        mails.push_back(NotifyItem{.mail_id = id,
                                   .recipient = to,
                                   .received_at = received_at,
                                   .mail_from = "sender@example.net",
                                   .subject = std::move(subject),
                                   .score = 7.5,
                                   .action = "reject"});
    }

    Result<std::vector<NotifyItem>> Pending(const NotifyQuery& query) override {
        ++pending_calls;
        std::vector<NotifyItem> out;
        for (const NotifyItem& it : mails) {
            if (notified.contains({it.mail_id, it.recipient})) continue;
            if (it.received_at < query.received_since || it.score > query.max_score) continue;
            if (it.recipient <= query.after_recipient) continue;
            out.push_back(it);
        }
        std::ranges::sort(out, [](const NotifyItem& a, const NotifyItem& b) {
            return std::tie(a.recipient, a.mail_id) < std::tie(b.recipient, b.mail_id);
        });
        if (out.size() > query.limit) out.resize(query.limit);
        return out;
    }
    Result<NotifyRecipient> Recipient(const std::string& address) override {
        auto it = recipients.find(address);
        return it == recipients.end() ? NotifyRecipient{} : it->second;
    }
    Result<void> MarkNotified(const std::string& recipient, const std::vector<std::int64_t>& ids,
                              std::int64_t at) override {
        for (std::int64_t id : ids) notified.insert({id, recipient});
        recipients[recipient].last_sent_at = at;
        return {};
    }
};

class RecordingSender final : public MailSender {
  public:
    std::vector<OutgoingMail> sent;
    std::set<std::string> refuse;  // recipients the relay refuses
    Result<std::string> Send(const OutgoingMail& mail) override {
        if (refuse.contains(mail.to)) return Fail(ErrorCode::kUnavailable, "refused", "550 no");
        sent.push_back(mail);
        return std::string("250 ok");
    }
    std::vector<std::string> To() const {
        std::vector<std::string> out;
        for (const auto& m : sent) out.push_back(m.to);
        return out;
    }
};

// The decoded text (0) or HTML (1) part of a composed digest.
std::string Part(const std::string& mail, int which) {
    std::size_t at = 0;
    for (int i = 0; i <= which; ++i) {
        at = mail.find("Content-Transfer-Encoding: base64\r\n\r\n", at);
        if (at == std::string::npos) return {};
        at += 37;
    }
    const std::size_t end = mail.find("--", at);
    std::string b64 = mail.substr(at, end - at);
    std::erase_if(b64, [](char c) { return c == '\r' || c == '\n'; });
    gsize n = 0;
    guchar* raw = g_base64_decode(b64.c_str(), &n);
    std::string out(reinterpret_cast<char*>(raw), n);
    g_free(raw);
    return out;
}

NotifyOptions Options() {
    return NotifyOptions{.from = "quarantine@example.org", .base_url = "https://q.example.org/"};
}

class NotifierTest : public ::testing::Test {
  protected:
    FakeNotifyRepo repo;
    RecordingSender sender;

    NotifyOutcome Run(std::int64_t now, NotifyOptions o = Options()) {
        Notifier n(repo, sender, std::move(o));
        auto r = n.Run(now);
        EXPECT_TRUE(r) << (r ? "" : r.error().public_msg);
        return r ? *r : NotifyOutcome{};
    }
};

TEST_F(NotifierTest, ImmediateSendsOneDigestPerRecipientEveryRunWithNewMail) {
    const std::int64_t t = Utc(2026, 12, 4, 10);
    repo.Add(1, "a@example.org", t - 5 * kMinuteMs);
    repo.Add(2, "a@example.org", t - 4 * kMinuteMs);
    repo.Add(2, "b@example.org", t - 4 * kMinuteMs);
    auto out = Run(t);
    EXPECT_EQ(out.mails_sent, 2U);
    EXPECT_EQ(out.items_notified, 3U);
    EXPECT_EQ(sender.To(), (std::vector<std::string>{"a@example.org", "b@example.org"}));
    EXPECT_EQ(Run(t + kMinuteMs).mails_sent, 0U);  // nothing new
    repo.Add(3, "a@example.org", t + kMinuteMs);
    out = Run(t + 2 * kMinuteMs);
    EXPECT_EQ(out.mails_sent, 1U);
    EXPECT_EQ(sender.sent.back().to, "a@example.org");
    EXPECT_EQ(repo.recipients["a@example.org"].last_sent_at, t + 2 * kMinuteMs);
}

TEST_F(NotifierTest, HourlyRecipientGetsAtMostOneDigestAnHourAndKeepsWhatWaits) {
    const std::int64_t t = Utc(2026, 12, 4, 10);
    repo.recipients["h@example.org"].frequency = NotifyFrequency::kHourly;
    repo.Add(1, "h@example.org", t - kMinuteMs);
    EXPECT_EQ(Run(t).mails_sent, 1U);
    repo.Add(2, "h@example.org", t + 10 * kMinuteMs);
    repo.Add(3, "h@example.org", t + 20 * kMinuteMs);
    auto out = Run(t + 30 * kMinuteMs);
    EXPECT_EQ(out.mails_sent, 0U);
    EXPECT_EQ(out.not_due, 1U);
    out = Run(t + 60 * kMinuteMs);
    EXPECT_EQ(out.mails_sent, 1U);
    EXPECT_EQ(out.items_notified, 2U);  // both waiting mails in one digest
    EXPECT_EQ(sender.sent.size(), 2U);
}

TEST_F(NotifierTest, DailyUserIsSentAtTheirLocalHourOnly) {
    // 09:00 in Berlin (CET) is 08:00 UTC.
    repo.recipients["d@example.org"] = {.frequency = NotifyFrequency::kDaily, .hour = 9,
                                        .time_zone = "Europe/Berlin"};
    repo.Add(1, "d@example.org", Utc(2026, 12, 4, 1));
    repo.Add(1, "now@example.org", Utc(2026, 12, 4, 1));  // no account: the default (immediate)
    auto out = Run(Utc(2026, 12, 4, 7, 59));
    EXPECT_EQ(sender.To(), std::vector<std::string>{"now@example.org"});
    EXPECT_EQ(out.not_due, 1U);
    Run(Utc(2026, 12, 4, 8));
    EXPECT_EQ(sender.To(), (std::vector<std::string>{"now@example.org", "d@example.org"}));
    repo.Add(2, "d@example.org", Utc(2026, 12, 4, 9));
    EXPECT_EQ(Run(Utc(2026, 12, 4, 22, 59)).mails_sent, 0U);
    EXPECT_EQ(Run(Utc(2026, 12, 5, 8)).mails_sent, 1U);
}

TEST_F(NotifierTest, AddressesWithoutSettingsFollowTheConfiguredDefaults) {
    NotifyOptions o = Options();
    o.default_schedule = {.frequency = NotifyFrequency::kDaily, .hour = 8};
    o.default_time_zone = "Asia/Tokyo";  // 08:00 JST = 23:00 UTC the day before
    repo.Add(1, "x@example.org", Utc(2026, 12, 4, 1));
    // A user who chose only an hour keeps the default frequency and zone.
    repo.recipients["y@example.org"].hour = 10;  // 10:00 JST = 01:00 UTC
    repo.Add(1, "y@example.org", Utc(2026, 12, 4, 1));
    EXPECT_EQ(Run(Utc(2026, 12, 4, 22, 59), o).mails_sent, 0U);
    Run(Utc(2026, 12, 4, 23), o);
    EXPECT_EQ(sender.To(), std::vector<std::string>{"x@example.org"});
    Run(Utc(2026, 12, 5, 1), o);
    EXPECT_EQ(sender.To(), (std::vector<std::string>{"x@example.org", "y@example.org"}));
}

TEST_F(NotifierTest, AZoneTzdataDoesNotKnowFallsBackToTheDefault) {
    repo.recipients["z@example.org"] = {.frequency = NotifyFrequency::kDaily, .hour = 8,
                                        .time_zone = "Mars/Olympus_Mons"};
    repo.Add(1, "z@example.org", Utc(2026, 12, 4, 1));
    EXPECT_EQ(Run(Utc(2026, 12, 4, 7, 59)).mails_sent, 0U);  // default UTC
    EXPECT_EQ(Run(Utc(2026, 12, 4, 8)).mails_sent, 1U);
    EXPECT_NE(Part(sender.sent[0].data, 0).find("2026-12-04 01:00 UTC"), std::string::npos);
}

TEST_F(NotifierTest, ARefusedDigestStaysPendingAndDoesNotCountAsSent) {
    const std::int64_t t = Utc(2026, 12, 4, 10);
    repo.recipients["r@example.org"].frequency = NotifyFrequency::kHourly;
    repo.Add(1, "r@example.org", t - kMinuteMs);
    repo.Add(1, "ok@example.org", t - kMinuteMs);
    sender.refuse = {"r@example.org"};
    auto out = Run(t);
    EXPECT_EQ(out.failed, 1U);
    EXPECT_EQ(out.mails_sent, 1U);
    ASSERT_EQ(out.errors.size(), 1U);
    EXPECT_NE(out.errors[0].find("r@example.org"), std::string::npos);
    EXPECT_FALSE(repo.recipients["r@example.org"].last_sent_at);
    sender.refuse.clear();
    // Still due (never sent), and the mail is still pending.
    out = Run(t + kMinuteMs);
    EXPECT_EQ(out.mails_sent, 1U);
    EXPECT_EQ(sender.sent.back().to, "r@example.org");
}

TEST_F(NotifierTest, RecipientsNotDueNeverCrowdOutThoseWhoAre) {
    NotifyOptions o = Options();
    o.limit = 2;
    const std::int64_t t = Utc(2026, 12, 4, 10);
    repo.recipients["a@example.org"].frequency = NotifyFrequency::kWeekly;
    repo.recipients["a@example.org"].last_sent_at = t - kMinuteMs;
    for (int id = 1; id <= 5; ++id) repo.Add(id, "a@example.org", t);
    repo.Add(6, "b@example.org", t);
    auto out = Run(t, o);
    EXPECT_EQ(sender.To(), std::vector<std::string>{"b@example.org"});
    EXPECT_EQ(out.not_due, 1U);
    EXPECT_EQ(out.items_notified, 1U);
}

TEST_F(NotifierTest, APageNeverSplitsARecipientsDigest) {
    NotifyOptions o = Options();
    o.limit = 3;
    const std::int64_t t = Utc(2026, 12, 4, 10);
    repo.Add(1, "a@example.org", t);
    repo.Add(2, "a@example.org", t);
    repo.Add(3, "b@example.org", t);
    repo.Add(4, "b@example.org", t);
    repo.Add(5, "c@example.org", t);
    auto out = Run(t, o);
    // a (2 pairs), then b and c, not b's first mail alone; the run stops
    // once `limit` pairs went.
    EXPECT_EQ(sender.To(), (std::vector<std::string>{"a@example.org", "b@example.org"}));
    EXPECT_EQ(out.items_notified, 4U);
    EXPECT_EQ(Run(t + kMinuteMs, o).items_notified, 1U);  // c next time
    // One recipient with more than a page: a digest of `limit`, the rest next run.
    for (int id = 10; id < 17; ++id) repo.Add(id, "d@example.org", t);
    EXPECT_EQ(Run(t + 2 * kMinuteMs, o).items_notified, 3U);
}

TEST_F(NotifierTest, PerMessageModeSendsOneMailPerMessage) {
    NotifyOptions o = Options();
    o.per_message = true;
    const std::int64_t t = Utc(2026, 12, 4, 10);
    repo.Add(1, "a@example.org", t - 2 * kMinuteMs);
    repo.Add(2, "a@example.org", t - kMinuteMs);
    auto out = Run(t, o);
    EXPECT_EQ(out.mails_sent, 2U);
    EXPECT_EQ(out.items_notified, 2U);
}

TEST_F(NotifierTest, OldAndHighScoringMailIsLeftOut) {
    NotifyOptions o = Options();
    o.max_age_days = 1;
    o.max_score = 7;
    const std::int64_t t = Utc(2026, 12, 4, 10);
    repo.Add(1, "a@example.org", t - 2 * 86'400'000LL);
    EXPECT_EQ(Run(t, o).mails_sent, 0U);  // too old
    repo.Add(2, "a@example.org", t);      // scores 7.5
    EXPECT_EQ(Run(t, o).mails_sent, 0U);
}

TEST(ComposeDigest, ShowsReceivedTimesInTheRecipientsZone) {
    const std::vector<NotifyItem> items = {
        NotifyItem{.mail_id = 7, .recipient = "a@example.org",
                   .received_at = Utc(2026, 12, 4, 7, 5), .subject = "Winter"},
        NotifyItem{.mail_id = 8, .recipient = "a@example.org",
                   .received_at = Utc(2026, 7, 1, 7, 5), .subject = "Summer"}};
    const std::string berlin = ComposeDigest(Options(), "a@example.org", items, {},
                                             *TimeZone::Find("Europe/Berlin"), Utc(2026, 12, 4, 9));
    for (int part : {0, 1}) {
        const std::string text = Part(berlin, part);
        EXPECT_NE(text.find("2026-12-04 08:05 CET"), std::string::npos) << text;
        EXPECT_NE(text.find("2026-07-01 09:05 CEST"), std::string::npos) << text;
        EXPECT_EQ(text.find("UTC"), std::string::npos) << text;
    }
    const std::string tonga = ComposeDigest(Options(), "a@example.org", items, {},
                                            *TimeZone::Find("Pacific/Tongatapu"), 0);
    EXPECT_NE(Part(tonga, 0).find("2026-12-04 20:05 +13"), std::string::npos);
    // The Date: header stays UTC whatever the zone.
    EXPECT_NE(berlin.find("Date: Fri, 04 Dec 2026 09:00:00 +0000\r\n"), std::string::npos);
}

TEST(ComposeDigest, EscapesHostileValuesAndKeepsThemOutOfHeaders) {
    const std::vector<NotifyItem> items = {NotifyItem{
        .mail_id = 9, .recipient = "a@example.org", .received_at = Utc(2026, 12, 4, 7),
        .mime_from = "\"Eve\" <eve@evil.example>\r\nBcc: x@y",
        .subject = "<script>alert(1)</script>\r\nX-Injected: 1"}};
    const std::vector<std::vector<DigestLink>> links = {
        {{"Release", "https://q.example.org/t/abc\"><b>"}}};
    const std::string mail =
        ComposeDigest(Options(), "a@example.org", items, links, TimeZone::Utc(), 0);
    const std::string headers = mail.substr(0, mail.find("\r\n\r\n"));
    EXPECT_EQ(headers.find("X-Injected"), std::string::npos);
    EXPECT_EQ(headers.find("Bcc"), std::string::npos);
    const std::string html = Part(mail, 1);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_EQ(html.find("\"><b>"), std::string::npos);
    const std::string text = Part(mail, 0);
    EXPECT_EQ(text.find("\r\nX-Injected"), std::string::npos);  // CR LF became spaces
    EXPECT_NE(text.find("Release: https://q.example.org/t/abc"), std::string::npos);
    EXPECT_NE(text.find("https://q.example.org/mails/9"), std::string::npos);
}

}  // namespace
}  // namespace rqwatch::app
