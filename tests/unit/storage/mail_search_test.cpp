// Search on every engine: the same filters must select the same mails on
// SQLite, PostgreSQL and MariaDB.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/mail_filter.hpp"
#include "storage/sql_mail_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::DbTest;
using testing::MakeRecord;

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kNov22 = 1'795'305'600'000;  // 2026-11-22 00:00 UTC

class MailSearchTest : public testing::RepoTest<SqlMailRepo> {
  protected:
    // Five mails that differ in every searchable way.
    void SetUpRepo() override {
        std::vector<MailRecord> batch;
        MailRecord a = MakeRecord("a", kNov22 + 1000);  // first second of the day
        a.action = "reject";
        a.score = 15.5;
        a.subject = "Invoice 100% overdue";
        a.mail_from = "Billing@Shop.example";
        a.rcpt_to = {"alice@example.com"};
        a.ip = "203.0.113.5";
        a.size = 50'000;
        a.stored = true;
        a.has_virus = false;
        a.server = "mx1";
        a.symbols = {Symbol{"BAYES_SPAM", 5.1, "", {}, {}}, Symbol{"RBL_X", 2, "", {}, {}}};
        a.mime_to = {{"Alice", "Alice@Example.com"}};
        a.headers = "X-Mailer: Mass Mailer 3000\r\n";
        batch.push_back(a);

        MailRecord b = MakeRecord("b", kNov22 + kDay - 1);  // last millisecond of the day
        b.action = "no action";
        b.score = -1.2;
        b.subject = "Grüße aus Köln";
        b.mail_from = "friend@example.org";
        b.rcpt_to = {"bob@example.com", "alice@example.com"};
        b.ip = "2001:db8::7";
        b.size = 1200;
        b.stored = false;
        b.server = "mx2";
        b.symbols = {Symbol{"BAYES_HAM", -3, "", {}, {}}};
        b.mime_to = {{"", "bob@example.com"}};
        batch.push_back(b);

        MailRecord c = MakeRecord("c", kNov22 + kDay);  // next day
        c.action = "add header";
        c.score = 7;
        c.subject = "x' OR '1'='1";
        c.mail_from = "";
        c.rcpt_to = {"carol@example.net"};
        c.size = 9'999'999;
        c.stored = true;
        c.has_virus = true;
        c.virus = "Eicar";
        c.server = "mx1";
        c.symbols = {Symbol{"BAYES_SPAM", 1.0, "", {}, {}}, Symbol{"CLAM_VIRUS", 10, "", {}, {}}};
        batch.push_back(c);

        MailRecord d = MakeRecord("d", kNov22 - 1);  // previous day
        d.action = "discard";
        d.score = 30;
        d.subject = "under_score and 50%";
        d.rcpt_to = {"dave@example.com"};
        d.stored = true;
        d.notified = true;
        d.released = true;
        d.symbols = {};
        batch.push_back(d);

        MailRecord e = MakeRecord("e", kNov22 + 5000);
        e.action = "discard";
        e.score = 20;
        e.subject = "pending one";
        e.rcpt_to = {"alice@example.com"};
        e.stored = true;
        e.notified = false;
        e.symbols = {Symbol{"BAYES_SPAM", 9.5, "", {}, {}}};
        batch.push_back(e);
        auto r = repo_->InsertBatch(batch);
        ASSERT_TRUE(r) << r.error().detail;
    }

    // Spool ids of the matching mails, sorted.
    std::vector<std::string> Find(std::vector<std::string> filters,
                                  std::optional<std::vector<std::string>> scope = std::nullopt) {
        app::MailSearch s;
        for (const auto& text : filters) {
            auto f = ParseMailFilter(text);
            EXPECT_TRUE(f) << text << ": " << (f ? "" : f.error().public_msg);
            if (f) s.filters.push_back(*f);
        }
        s.scope = std::move(scope);
        s.limit = 1000;
        auto page = repo_->Search(s);
        EXPECT_TRUE(page) << (page ? "" : page.error().detail);
        std::vector<std::string> ids;
        if (page) {
            for (const auto& m : page->items) ids.push_back(m.spool_id);
        }
        std::sort(ids.begin(), ids.end());
        return ids;
    }

    using V = std::vector<std::string>;
};

TEST_P(MailSearchTest, TextOperatorsAreCaseInsensitive) {
    EXPECT_EQ(Find({"action:eq:REJECT"}), V({"a"}));
    EXPECT_EQ(Find({"action:ne:discard"}), V({"a", "b", "c"}));
    EXPECT_EQ(Find({"subject:contains:INVOICE"}), V({"a"}));
    EXPECT_EQ(Find({"subject:not_contains:E"}), V({"c"}));
    EXPECT_EQ(Find({"mail_from:eq:billing@shop.example"}), V({"a"}));
    EXPECT_EQ(Find({"subject:contains:GRÜSSE"}), V({}));               // ß is not ss
    EXPECT_EQ(Find({"subject:contains:GRÜßE"}), V({"b"}));             // Unicode lower case
    EXPECT_EQ(Find({"server:eq:mx1", "action:eq:reject"}), V({"a"}));  // AND
    EXPECT_EQ(Find({"ip:eq:2001:DB8::7"}), V({"b"}));
    EXPECT_EQ(Find({"headers:contains:mass mailer"}), V({"a"}));
    EXPECT_EQ(Find({"mime_to:contains:BOB@"}), V({"b"}));
    EXPECT_EQ(Find({"mime_to:eq:bob@example.com"}), V({"b"}));
    EXPECT_EQ(Find({"symbols:contains:clam_virus"}), V({"c"}));
    EXPECT_EQ(Find({"action:lt:b"}), V({"c"}));  // "add header"
}

TEST_P(MailSearchTest, WildcardsAndSqlInValuesAreLiteral) {
    EXPECT_EQ(Find({"subject:contains:100%"}), V({"a"}));
    EXPECT_EQ(Find({"subject:contains:50%"}), V({"d"}));
    EXPECT_EQ(Find({"subject:contains:%"}), V({"a", "d"}));
    EXPECT_EQ(Find({"subject:contains:_"}), V({"d"}));
    EXPECT_EQ(Find({"subject:contains:!"}), V({}));
    EXPECT_EQ(Find({"subject:eq:x' OR '1'='1"}), V({"c"}));
    EXPECT_EQ(Find({"subject:eq:' OR 1=1 --"}), V({}));
    EXPECT_EQ(Find({"mail_from:eq:a'); DROP TABLE mails; --"}), V({}));
    EXPECT_EQ(Find({}).size(), 5u);  // the table is still there
}

TEST_P(MailSearchTest, RegularExpressions) {
    EXPECT_EQ(Find({"subject:regexp:^invoice [0-9]+"}), V({"a"}));
    EXPECT_EQ(Find({"mail_from:regexp:@(shop|example)\\.(example|org)$"}), V({"a", "b", "d", "e"}));
    EXPECT_EQ(Find({"subject:not_regexp:E"}), V({"c"}));
    EXPECT_EQ(Find({"rcpt_to:regexp:^(bob|carol)@"}), V({"b", "c"}));
    EXPECT_EQ(Find({"symbol:regexp:^clam_"}), V({"c"}));
}

TEST_P(MailSearchTest, NumbersFlagsAndNotificationPending) {
    EXPECT_EQ(Find({"score:gt:15.5"}), V({"d", "e"}));
    EXPECT_EQ(Find({"score:ge:15.5"}), V({"a", "d", "e"}));
    EXPECT_EQ(Find({"score:lt:0"}), V({"b"}));
    EXPECT_EQ(Find({"score:eq:7"}), V({"c"}));
    EXPECT_EQ(Find({"size:ge:1000000"}), V({"c"}));
    EXPECT_EQ(Find({"size:lt:1201"}), V({"b"}));
    EXPECT_EQ(Find({"stored:eq:0"}), V({"b"}));
    EXPECT_EQ(Find({"has_virus:eq:1"}), V({"c"}));
    EXPECT_EQ(Find({"released:eq:true"}), V({"d"}));
    EXPECT_EQ(Find({"notified:ne:1"}), V({"a", "b", "c", "e"}));
    // Stored, not notified, held (discard/reject): a and e, not d (notified).
    EXPECT_EQ(Find({"notification_pending:eq:1"}), V({"a", "e"}));
    EXPECT_EQ(Find({"notification_pending:eq:0"}), V({"b", "c", "d"}));
}

TEST_P(MailSearchTest, DateEqualsTheWholeUtcDay) {
    EXPECT_EQ(Find({"date:eq:2026-11-22"}), V({"a", "b", "e"}));
    EXPECT_EQ(Find({"date:ne:2026-11-22"}), V({"c", "d"}));
    EXPECT_EQ(Find({"date:gt:2026-11-22"}), V({"c"}));
    EXPECT_EQ(Find({"date:ge:2026-11-22"}), V({"a", "b", "c", "e"}));
    EXPECT_EQ(Find({"date:lt:2026-11-22"}), V({"d"}));
    EXPECT_EQ(Find({"date:le:2026-11-22"}), V({"a", "b", "d", "e"}));
}

TEST_P(MailSearchTest, RecipientsThroughTheRecipientsTable) {
    EXPECT_EQ(Find({"rcpt_to:eq:ALICE@example.com"}), V({"a", "b", "e"}));
    // "No recipient is alice" (b has alice and bob, so it is out).
    EXPECT_EQ(Find({"rcpt_to:ne:alice@example.com"}), V({"c", "d"}));
    EXPECT_EQ(Find({"rcpt_to:contains:example.net"}), V({"c"}));
    EXPECT_EQ(Find({"rcpt_to:not_contains:example.com"}), V({"c"}));
    EXPECT_EQ(Find({"rcpt_to:gt:c"}), V({"c", "d"}));
}

TEST_P(MailSearchTest, SymbolsAndTheirScores) {
    EXPECT_EQ(Find({"symbol:eq:BAYES_SPAM"}), V({"a", "c", "e"}));
    EXPECT_EQ(Find({"symbol:ne:BAYES_SPAM"}), V({"b", "d"}));
    EXPECT_EQ(Find({"symbol:contains:bayes"}), V({"a", "b", "c", "e"}));
    EXPECT_EQ(Find({"symbol.BAYES_SPAM:ge:5"}), V({"a", "e"}));
    EXPECT_EQ(Find({"symbol.BAYES_SPAM:lt:5"}), V({"c"}));
    EXPECT_EQ(Find({"symbol.NO_SUCH:gt:-100"}), V({}));
}

// A user's scope is part of the query: filters cannot widen it.
TEST_P(MailSearchTest, ScopeLimitsToTheUsersAddresses) {
    EXPECT_EQ(Find({}, V{"alice@example.com"}), V({"a", "b", "e"}));
    EXPECT_EQ(Find({}, V{"bob@example.com", "carol@example.net"}), V({"b", "c"}));
    EXPECT_EQ(Find({"rcpt_to:eq:carol@example.net"}, V{"alice@example.com"}), V({}));
    EXPECT_EQ(Find({"action:ne:x"}, V{"dave@example.com"}), V({"d"}));
    EXPECT_EQ(Find({}, V{}), V({}));  // no address, no mail
    EXPECT_EQ(Find({}, V{"' OR 1=1 --"}), V({}));
    // Several addresses take another form on PostgreSQL, alone and beside
    // filters that select ids from an index, or that need id windows.
    const V two{"alice@example.com", "carol@example.net"};
    EXPECT_EQ(Find({}, two), V({"a", "b", "c", "e"}));
    EXPECT_EQ(Find({"symbol:eq:BAYES_SPAM"}, two), V({"a", "c", "e"}));
    EXPECT_EQ(Find({"symbol:eq:BAYES_SPAM", "rcpt_to:eq:carol@example.net"}, two), V({"c"}));
    EXPECT_EQ(Find({"rcpt_to:contains:bob"}, two), V({"b"}));
    EXPECT_EQ(Find({"symbol.BAYES_SPAM:ge:5"}, two), V({"a", "e"}));
    EXPECT_EQ(Find({"symbol:eq:CLAM_VIRUS"}, V{"alice@example.com", "bob@example.com"}), V({}));
}

// A domain admin's "@domain" entries: every recipient of the domain, alone,
// with addresses, and beside other filters (core/mail_scope.hpp).
TEST_P(MailSearchTest, DomainScopeSeesTheDomainsRecipients) {
    EXPECT_EQ(Find({}, V{"@example.com"}), V({"a", "b", "d", "e"}));
    EXPECT_EQ(Find({}, V{"@example.net"}), V({"c"}));
    EXPECT_EQ(Find({}, V{"@example.net", "dave@example.com"}), V({"c", "d"}));
    EXPECT_EQ(Find({}, V{"@example.org"}), V({}));
    EXPECT_EQ(Find({}, V{"@ample.com"}), V({}));  // whole domains only
    EXPECT_EQ(Find({"symbol:eq:BAYES_SPAM"}, V{"@example.com"}), V({"a", "e"}));
    EXPECT_EQ(Find({"rcpt_to:contains:bob"}, V{"@example.com"}), V({"b"}));
    EXPECT_EQ(Find({"action:eq:reject"}, V{"@example.net", "@example.com"}), V({"a"}));
}

TEST_P(MailSearchTest, KeysetPagesFollowTheFilters) {
    app::MailSearch s;
    s.filters = {*ParseMailFilter("stored:eq:1")};
    s.limit = 2;
    auto first = repo_->Search(s);
    ASSERT_TRUE(first) << first.error().detail;
    ASSERT_EQ(first->items.size(), 2u);
    ASSERT_TRUE(first->next_before_id);
    EXPECT_GT(first->items[0].id, first->items[1].id);  // newest first
    s.before_id = first->next_before_id;
    auto second = repo_->Search(s);
    ASSERT_TRUE(second);
    ASSERT_EQ(second->items.size(), 2u);
    EXPECT_FALSE(second->next_before_id);
    EXPECT_LT(second->items[0].id, first->items[1].id);
}

TEST_P(MailSearchTest, TooManyFiltersOrABadLimitIsRefused) {
    app::MailSearch s;
    s.filters.assign(kMaxFilters + 1, *ParseMailFilter("stored:eq:1"));
    auto r = repo_->Search(s);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    s.filters.clear();
    s.limit = 0;
    EXPECT_FALSE(repo_->Search(s));
}

// A filter no index serves is searched in growing id windows, newest first;
// pages across window borders must be the same as from one query.
TEST_P(MailSearchTest, WindowedSearchPagesLikeOneQuery) {
    std::vector<MailRecord> batch;
    for (int i = 0; i < 40; ++i) {
        MailRecord m = MakeRecord(fmt::format("w{:02}", i), kNov22 + 10'000 + i);
        m.rcpt_to = {i % 3 == 0 ? "three@windows.example" : "other@elsewhere.example"};
        m.symbols = {Symbol{"BAYES_SPAM", static_cast<double>(i), "", {}, {}}};
        batch.push_back(m);
    }
    ASSERT_TRUE(repo_->InsertBatch(batch));
    SqlMailRepo tiny(db_, /*first_window=*/1);
    for (const char* filter : {"rcpt_to:contains:@windows.", "symbol.BAYES_SPAM:ge:30",
                               "rcpt_to:ne:other@elsewhere.example"}) {
        app::MailSearch s;
        s.filters = {*ParseMailFilter(filter)};
        s.limit = 1000;
        auto all = repo_->Search(s);
        ASSERT_TRUE(all) << all.error().detail;
        ASSERT_GT(all->items.size(), 3u) << filter;
        std::vector<std::int64_t> expected;
        for (const auto& m : all->items) expected.push_back(m.id);
        std::vector<std::int64_t> paged;
        s.limit = 3;
        for (int guard = 0; guard < 100; ++guard) {
            auto page = tiny.Search(s);
            ASSERT_TRUE(page) << page.error().detail;
            for (const auto& m : page->items) paged.push_back(m.id);
            if (!page->next_before_id) break;
            EXPECT_EQ(page->items.size(), 3u) << filter;
            s.before_id = page->next_before_id;
        }
        EXPECT_EQ(paged, expected) << filter;
    }
}

// The benchmark documents plans with this; the values stay bound there too.
TEST_P(MailSearchTest, ExplainDescribesThePageQuery) {
    app::MailSearch s;
    s.filters = {*ParseMailFilter("subject:contains:x' OR '1'='1")};
    s.scope = V{"alice@example.com"};
    auto plan = repo_->ExplainSearch(s);
    ASSERT_TRUE(plan) << plan.error().detail;
    ASSERT_FALSE(plan->empty());
    std::string text;
    for (const auto& line : *plan) text += line + "\n";
    EXPECT_NE(text.find("mails"), std::string::npos) << text;
    s.limit = 0;
    EXPECT_FALSE(repo_->ExplainSearch(s));
}

RQWATCH_ON_EVERY_ENGINE(MailSearchTest);

}  // namespace
}  // namespace rqwatch::storage
