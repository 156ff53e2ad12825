// What `rqwatch notify` reads and records (migrations 0018, 0019) on every
// engine: the rules of reference §I in NotifyRepo::Pending, MarkNotified,
// the used one-click tokens, and each recipient's schedule and last digest.

#include "storage/sql_notify_repo.hpp"

#include <gtest/gtest.h>

#include "storage/sql_action_token_repo.hpp"
#include "storage/sql_mail_repo.hpp"
#include "storage/sql_retention_repo.hpp"
#include "storage/sql_user_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::MakeRecord;

class SqlNotifyRepoTest : public testing::RepoTest<SqlNotifyRepo> {
  protected:
    std::int64_t Insert(MailRecord r) {
        std::vector<MailRecord> batch = {std::move(r)};
        auto inserted = SqlMailRepo(db_).InsertBatch(batch);
        EXPECT_TRUE(inserted) << inserted.error().detail;
        return batch[0].id;
    }

    static MailRecord Kept(const std::string& id, std::vector<std::string> rcpt,
                           std::int64_t at = 10'000'000) {
        MailRecord r = MakeRecord(id, at);
        r.stored = true;
        r.quarantine_path = "2025/11/14/" + id;
        r.rcpt_to = std::move(rcpt);
        return r;
    }

    // "id:recipient" of each pending pair, in the order Pending gives them.
    std::vector<std::string> Pending(app::NotifyQuery q = {}) {
        auto rows = repo_->Pending(q);
        EXPECT_TRUE(rows) << rows.error().detail;
        std::vector<std::string> out;
        for (const auto& it : rows.value_or(std::vector<app::NotifyItem>{})) {
            out.push_back(std::to_string(it.mail_id) + ":" + it.recipient);
        }
        return out;
    }

    static std::string P(std::int64_t id, const std::string& rcpt) {
        return std::to_string(id) + ":" + rcpt;
    }

    // A user with this schedule (migration 0019); its id.
    std::int64_t AddUser(const std::string& name, std::optional<NotifyFrequency> frequency,
                         std::optional<int> hour = std::nullopt, std::string zone = "") {
        User u;
        u.username = name;
        u.email = name + "@example.com";
        u.notify_frequency = frequency;
        u.notify_hour = hour;
        u.time_zone = std::move(zone);
        auto id = SqlUserRepo(db_).Add(u);
        EXPECT_TRUE(id) << id.error().detail;
        return id.value_or(0);
    }
};

TEST_P(SqlNotifyRepoTest, ListsKeptMailPerRecipientUntilNotified) {
    const std::int64_t a = Insert(Kept("a", {"Alice@Example.com", "bob@example.com"}));
    const std::int64_t b = Insert(Kept("b", {"alice@example.com"}));
    MailRecord not_kept = Kept("c", {"alice@example.com"});
    not_kept.stored = false;
    Insert(not_kept);
    EXPECT_EQ(Pending(), (std::vector<std::string>{P(a, "alice@example.com"),
                                                   P(b, "alice@example.com"),
                                                   P(a, "bob@example.com")}));
    auto first = repo_->Pending({});
    ASSERT_TRUE(first);
    EXPECT_EQ((*first)[0].subject, "Hello a");
    EXPECT_DOUBLE_EQ((*first)[0].score, 7.25);

    ASSERT_TRUE(repo_->MarkNotified("alice@example.com", {a, b}, 20'000'000));
    EXPECT_EQ(Pending(), (std::vector<std::string>{P(a, "bob@example.com")}));
    auto m = SqlMailRepo(db_).Get(a);
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->notified);
    EXPECT_EQ(m->notify_date, 20'000'000);
    // Recording a pair again changes nothing.
    ASSERT_TRUE(repo_->MarkNotified("alice@example.com", {a}, 30'000'000));
    EXPECT_EQ(SqlMailRepo(db_).Get(a)->notify_date, 20'000'000);
    ASSERT_TRUE(repo_->MarkNotified("bob@example.com", {a}, 30'000'000));
    EXPECT_TRUE(Pending().empty());
    EXPECT_TRUE(repo_->MarkNotified("bob@example.com", {}, 1));
}

TEST_P(SqlNotifyRepoTest, LeavesOutScoreAgeBlacklistPurgedAndUnknown) {
    MailRecord high = Kept("high", {"alice@example.com"});
    high.score = 60;
    Insert(high);
    Insert(Kept("old", {"alice@example.com"}, 1'000));
    MailRecord bl = Kept("bl", {"alice@example.com"});
    bl.symbols.push_back(Symbol{"RQWATCH_SMTP_FROM_BLACKLIST", 1000, "rqwatch", {}, {}});
    Insert(bl);
    MailRecord bl2 = Kept("bl2", {"alice@example.com"});
    bl2.symbols.push_back(Symbol{"RQWATCH_IP_BL", 1000, "rqwatch", {}, {}});
    Insert(bl2);
    MailRecord not_bl = Kept("wl", {"alice@example.com"});
    not_bl.symbols.push_back(Symbol{"RQWATCH_SMTP_FROM_WHITELIST", -1000, "rqwatch", {}, {}});
    const std::int64_t wl = Insert(not_bl);
    Insert(Kept("unknown", {"unknown"}));
    const std::int64_t purged = Insert(Kept("purged", {"alice@example.com"}));
    ASSERT_TRUE(SqlRetentionRepo(db_).MarkPurged({purged}));
    EXPECT_EQ(Pending({.received_since = 5'000, .max_score = 50}),
              (std::vector<std::string>{P(wl, "alice@example.com")}));
    EXPECT_EQ(Pending({.received_since = 0, .max_score = 100}).size(), 3u);  // + high, old
}

TEST_P(SqlNotifyRepoTest, LeavesOutUsersWhoTurnedNotificationsOff) {
    SqlUserRepo users(db_);
    User carol;
    carol.username = "carol";
    carol.email = "carol@example.com";
    carol.notifications_disabled = true;
    auto carol_id = users.Add(carol);
    ASSERT_TRUE(carol_id) << carol_id.error().detail;
    ASSERT_TRUE(users.AddAlias(*carol_id, "caro@example.com"));
    User dave;
    dave.username = "dave";
    dave.email = "dave@example.com";
    ASSERT_TRUE(users.Add(dave));
    const std::int64_t m =
        Insert(Kept("m", {"carol@example.com", "caro@example.com", "dave@example.com"}));
    EXPECT_EQ(Pending(), (std::vector<std::string>{P(m, "dave@example.com")}));
}

TEST_P(SqlNotifyRepoTest, ATokenIsUsedOnceAndGoesWithItsMail) {
    const std::int64_t a = Insert(Kept("a", {"alice@example.com"}));
    SqlActionTokenRepo tokens(db_);
    const std::string digest(64, 'd');
    EXPECT_FALSE(*tokens.IsUsed(digest));
    EXPECT_TRUE(*tokens.MarkUsed(digest, a, 1'000));
    EXPECT_FALSE(*tokens.MarkUsed(digest, a, 2'000));
    EXPECT_TRUE(*tokens.IsUsed(digest));
    ASSERT_TRUE(tokens.Unmark(digest));
    EXPECT_FALSE(*tokens.IsUsed(digest));
    EXPECT_TRUE(*tokens.MarkUsed(digest, a, 3'000));
    ASSERT_TRUE(repo_->MarkNotified("alice@example.com", {a}, 1));
    ASSERT_TRUE(SqlRetentionRepo(db_).Delete({a}));
    EXPECT_FALSE(*tokens.IsUsed(digest));
}

TEST_P(SqlNotifyRepoTest, PagesByRecipient) {
    const std::int64_t a = Insert(Kept("a", {"alice@example.com", "bob@example.com",
                                             "carl@example.com"}));
    EXPECT_EQ(Pending({.limit = 2}),
              (std::vector<std::string>{P(a, "alice@example.com"), P(a, "bob@example.com")}));
    EXPECT_EQ(Pending({.after_recipient = "alice@example.com"}),
              (std::vector<std::string>{P(a, "bob@example.com"), P(a, "carl@example.com")}));
    EXPECT_TRUE(Pending({.after_recipient = "carl@example.com"}).empty());
}

TEST_P(SqlNotifyRepoTest, RecipientWithoutAccountOrDigestHasOnlyDefaults) {
    auto r = repo_->Recipient("nobody@example.com");
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_FALSE(r->last_sent_at);
    EXPECT_FALSE(r->frequency);
    EXPECT_FALSE(r->hour);
    EXPECT_EQ(r->time_zone, "");
}

TEST_P(SqlNotifyRepoTest, MarkNotifiedMovesTheRecipientsLastDigest) {
    const std::int64_t a = Insert(Kept("a", {"alice@example.com", "bob@example.com"}));
    const std::int64_t b = Insert(Kept("b", {"alice@example.com"}));
    ASSERT_TRUE(repo_->MarkNotified("alice@example.com", {a}, 20'000'000));
    EXPECT_EQ(repo_->Recipient("alice@example.com")->last_sent_at, 20'000'000);
    EXPECT_FALSE(repo_->Recipient("bob@example.com")->last_sent_at);
    ASSERT_TRUE(repo_->MarkNotified("alice@example.com", {b}, 30'000'000));
    EXPECT_EQ(repo_->Recipient("alice@example.com")->last_sent_at, 30'000'000);
    // Nothing to record: no digest went, the last one stays.
    ASSERT_TRUE(repo_->MarkNotified("alice@example.com", {}, 40'000'000));
    EXPECT_EQ(repo_->Recipient("alice@example.com")->last_sent_at, 30'000'000);
    // A long address (the most a recipient column holds) is a key too.
    const std::string longest = std::string(500, 'x') + "@example.com";
    ASSERT_TRUE(repo_->MarkNotified(longest, {a}, 5));
    EXPECT_EQ(repo_->Recipient(longest)->last_sent_at, 5);
}

TEST_P(SqlNotifyRepoTest, RecipientHasTheScheduleOfTheUserByAddressOrAlias) {
    SqlUserRepo users(db_);
    const std::int64_t erin = AddUser("erin", NotifyFrequency::kWeekly, 0, "Pacific/Tongatapu");
    ASSERT_TRUE(users.AddAlias(erin, "e@example.com"));
    // Frank has erin's address as an alias: her own address wins for it.
    const std::int64_t frank = AddUser("frank", NotifyFrequency::kHourly);
    ASSERT_TRUE(users.AddAlias(frank, "erin@example.com"));
    for (const char* address : {"erin@example.com", "e@example.com"}) {
        auto r = repo_->Recipient(address);
        ASSERT_TRUE(r) << r.error().detail;
        EXPECT_EQ(r->frequency, NotifyFrequency::kWeekly) << address;
        EXPECT_EQ(r->hour, 0) << address;
        EXPECT_EQ(r->time_zone, "Pacific/Tongatapu") << address;
    }
    auto f = repo_->Recipient("frank@example.com");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->frequency, NotifyFrequency::kHourly);
    EXPECT_FALSE(f->hour);  // left to the default
    EXPECT_EQ(f->time_zone, "");
}

TEST_P(SqlNotifyRepoTest, UserScheduleColumnsRoundTripAndResetToDefaults) {
    SqlUserRepo users(db_);
    const std::int64_t id = AddUser("gina", NotifyFrequency::kDaily, 23,
                                    "America/Argentina/Buenos_Aires");
    auto got = users.FindById(id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->notify_frequency, NotifyFrequency::kDaily);
    EXPECT_EQ(got->notify_hour, 23);
    EXPECT_EQ(got->time_zone, "America/Argentina/Buenos_Aires");
    got->notify_frequency.reset();
    got->notify_hour.reset();
    got->time_zone.clear();
    ASSERT_TRUE(users.Update(*got));
    got = users.FindById(id);
    ASSERT_TRUE(got);
    EXPECT_FALSE(got->notify_frequency);
    EXPECT_FALSE(got->notify_hour);
    EXPECT_EQ(got->time_zone, "");
    // No engine is asked to store a zone longer than the column.
    got->time_zone = std::string(65, 'A');
    auto too_long = users.Update(*got);
    ASSERT_FALSE(too_long);
    EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
}

RQWATCH_ON_EVERY_ENGINE(SqlNotifyRepoTest);

}  // namespace
}  // namespace rqwatch::storage
