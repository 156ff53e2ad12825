// Statistics, top reports and quarantine days on every engine.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/mail_filter.hpp"
#include "storage/sql_mail_repo.hpp"
#include "storage/sql_mail_reports.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::DbTest;
using testing::MakeRecord;

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kNov20 = 1'795'132'800'000;  // 2026-11-20 00:00 UTC

class MailReportsTest : public testing::RepoTest<SqlMailReports> {
  protected:
    void SetUpRepo() override {
        SqlMailRepo repo(db_);
        // day (0..2 after Nov 20), action, size, kept, recipients, sender
        struct Spec {
            int day;
            const char* action;
            std::uint64_t size;
            bool stored;
            std::vector<std::string> rcpt;
            const char* from;
        };
        const std::vector<Spec> specs = {
            {0, "reject", 1000, true, {"a@one.example", "b@two.example"}, "x@spam.example"},
            {0, "reject", 3000, true, {"a@one.example"}, "y@spam.example"},
            {1, "no action", 500, false, {"c@two.example"}, "z@ham.example"},
            {2, "add header", 10000, true, {"a@one.example"}, "w@Spam.Example"},
            {2, "no action", 200, false, {"b@two.example"}, "v@ham.example"},
        };
        std::vector<MailRecord> batch;
        for (std::size_t i = 0; i < specs.size(); ++i) {
            const Spec& s = specs[i];
            MailRecord r = MakeRecord("r" + std::to_string(i), kNov20 + s.day * kDay + 1000 * i);
            r.action = s.action;
            r.size = s.size;
            r.stored = s.stored;
            r.rcpt_to = s.rcpt;
            r.mail_from = s.from;
            r.has_virus = i == 1;
            r.notified = i == 0;
            r.symbols = {Symbol{i < 2 ? "BAYES_SPAM" : "BAYES_HAM", 1, "", {}, {}}};
            batch.push_back(r);
        }
        auto inserted = repo.InsertBatch(batch);
        ASSERT_TRUE(inserted) << inserted.error().detail;
    }

    MailReport Report(ReportField field, ReportMode mode = ReportMode::kCount,
                      std::vector<std::string> filters = {},
                      std::optional<std::vector<std::string>> scope = std::nullopt) {
        app::ReportQuery q;
        q.field = field;
        q.mode = mode;
        for (const auto& f : filters) q.search.filters.push_back(*ParseMailFilter(f));
        q.search.scope = std::move(scope);
        auto r = repo_->Report(q);
        EXPECT_TRUE(r) << (r ? "" : r.error().detail + r.error().public_msg);
        return r.value_or(MailReport{});
    }

    // "value total stored size" per row.
    static std::vector<std::string> Rows(const MailReport& report) {
        std::vector<std::string> out;
        for (const auto& r : report.rows) {
            out.push_back(r.value + " " + std::to_string(r.total) + " " + std::to_string(r.stored) +
                          " " + std::to_string(r.size));
        }
        return out;
    }

    using V = std::vector<std::string>;
};

TEST_P(MailReportsTest, StatisticsOfReferenceD4) {
    auto s = repo_->Stats(app::MailSearch{});
    ASSERT_TRUE(s) << s.error().detail;
    EXPECT_EQ(s->total, 5);
    EXPECT_EQ(s->stored, 3);
    EXPECT_EQ(s->notified, 1);
    EXPECT_EQ(s->released, 0);
    EXPECT_EQ(s->virus, 1);
    EXPECT_EQ(s->actions, (std::vector<std::pair<std::string, std::int64_t>>{
                              {"no action", 2}, {"reject", 2}, {"add header", 1}}));
    EXPECT_EQ(s->oldest, kNov20);
    EXPECT_EQ(s->newest, kNov20 + 2 * kDay + 4000);

    app::MailSearch scoped;
    scoped.scope = V{"c@two.example"};
    s = repo_->Stats(scoped);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->total, 1);
    EXPECT_EQ(s->actions.size(), 1u);

    app::MailSearch none;
    none.filters = {*ParseMailFilter("action:eq:nothing")};
    s = repo_->Stats(none);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->total, 0);
    EXPECT_FALSE(s->oldest);
    EXPECT_TRUE(s->actions.empty());
}

TEST_P(MailReportsTest, TopReportsByMode) {
    EXPECT_EQ(Rows(Report(ReportField::kAction)),
              V({"no action 2 0 700", "reject 2 2 4000", "add header 1 1 10000"}));
    EXPECT_EQ(Rows(Report(ReportField::kAction, ReportMode::kVolume)),
              V({"add header 1 1 10000", "reject 2 2 4000", "no action 2 0 700"}));
    EXPECT_EQ(Rows(Report(ReportField::kAction, ReportMode::kStored)),
              V({"reject 2 2 4000", "add header 1 1 10000", "no action 2 0 700"}));
    const MailReport r = Report(ReportField::kAction);
    EXPECT_EQ(r.totals.total, 5);
    EXPECT_EQ(r.totals.stored, 3);
    EXPECT_EQ(r.totals.size, 14700);
}

TEST_P(MailReportsTest, RecipientsDomainsDatesSymbols) {
    // Each recipient on its own row.
    EXPECT_EQ(Rows(Report(ReportField::kRcptTo)),
              V({"a@one.example 3 3 14000", "b@two.example 2 1 1200", "c@two.example 1 0 500"}));
    EXPECT_EQ(Rows(Report(ReportField::kRcptToDomain)),
              V({"one.example 3 3 14000", "two.example 3 1 1700"}));
    // Domains are lower-cased at import.
    EXPECT_EQ(Rows(Report(ReportField::kMailFromDomain)),
              V({"spam.example 3 3 14000", "ham.example 2 0 700"}));
    EXPECT_EQ(Rows(Report(ReportField::kDate, ReportMode::kDay)),
              V({"2026-11-22 2 1 10200", "2026-11-21 1 0 500", "2026-11-20 2 2 4000"}));
    EXPECT_EQ(Rows(Report(ReportField::kSymbol)),
              V({"BAYES_HAM 3 1 10700", "BAYES_SPAM 2 2 4000"}));
    EXPECT_EQ(Rows(Report(ReportField::kHasVirus)), V({"0 4 2 11700", "1 1 1 3000"}));
}

TEST_P(MailReportsTest, FiltersScopeAndLimit) {
    EXPECT_EQ(Rows(Report(ReportField::kAction, ReportMode::kCount, {"date:eq:2026-11-22"})),
              V({"add header 1 1 10000", "no action 1 0 200"}));
    EXPECT_EQ(Rows(Report(ReportField::kRcptTo, ReportMode::kCount, {}, V{"b@two.example"})),
              V({"b@two.example 2 1 1200", "a@one.example 1 1 1000"}));
    app::ReportQuery q;
    q.field = ReportField::kRcptTo;
    q.limit = 1;
    auto r = repo_->Report(q);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rows.size(), 1u);
    EXPECT_EQ(r->totals.total, 5);  // all mails, not only the rows shown
    q.limit = 0;
    EXPECT_FALSE(repo_->Report(q));
    q.limit = 30;
    q.mode = ReportMode::kDay;
    auto bad = repo_->Report(q);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

// "day action count" for every split cell, day by day as the rows come.
std::vector<std::string> Split(const MailReport& report) {
    std::vector<std::string> out;
    for (const auto& r : report.rows) {
        for (const auto& [action, n] : r.actions) {
            out.push_back(fmt::format("{} {} {}", r.value, action, n));
        }
    }
    return out;
}

TEST_P(MailReportsTest, TrafficPerDaySplitByAction) {
    app::ReportQuery q;
    q.field = ReportField::kDate;
    q.mode = ReportMode::kDay;
    q.split = ReportSplit::kAction;
    auto r = repo_->Report(q);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(Rows(*r), V({"2026-11-22 2 1 10200", "2026-11-21 1 0 500", "2026-11-20 2 2 4000"}));
    EXPECT_EQ(Split(*r), V({"2026-11-22 add header 1", "2026-11-22 no action 1",
                            "2026-11-21 no action 1", "2026-11-20 reject 2"}));
    // Only the days the rows show, each day's cells summing to its total.
    q.limit = 2;
    r = repo_->Report(q);
    ASSERT_TRUE(r);
    EXPECT_EQ(Split(*r), V({"2026-11-22 add header 1", "2026-11-22 no action 1",
                            "2026-11-21 no action 1"}));
    // The filters and the user's scope apply to the split as to the totals.
    q.limit = 30;
    q.search.filters = {*ParseMailFilter("stored:eq:1")};
    r = repo_->Report(q);
    ASSERT_TRUE(r);
    EXPECT_EQ(Split(*r), V({"2026-11-22 add header 1", "2026-11-20 reject 2"}));
    q.search.filters.clear();
    q.search.scope = V{"b@two.example"};
    r = repo_->Report(q);
    ASSERT_TRUE(r);
    EXPECT_EQ(Split(*r), V({"2026-11-22 no action 1", "2026-11-20 reject 1"}));
    q.search.scope = V{"nobody@nowhere.example"};
    r = repo_->Report(q);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->rows.empty());
    // Without the split, no cells; with it on another field, an error.
    q.search.scope.reset();
    q.split = ReportSplit::kNone;
    r = repo_->Report(q);
    ASSERT_TRUE(r);
    EXPECT_EQ(Split(*r), V{});
    q.split = ReportSplit::kAction;
    q.field = ReportField::kAction;
    q.mode = ReportMode::kCount;
    auto bad = repo_->Report(q);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(MailReportsTest, QuarantineDaysNewestFirst) {
    auto days = repo_->QuarantineDays(std::nullopt, 31, std::nullopt);
    ASSERT_TRUE(days) << days.error().detail;
    ASSERT_EQ(days->size(), 2u);  // Nov 21 has no kept mail
    EXPECT_EQ((*days)[0].day, "2026-11-22");
    EXPECT_EQ((*days)[0].count, 1);
    EXPECT_EQ((*days)[1].day, "2026-11-20");
    EXPECT_EQ((*days)[1].count, 2);
    days = repo_->QuarantineDays(std::nullopt, 31, kNov20 + 2 * kDay);
    ASSERT_TRUE(days);
    ASSERT_EQ(days->size(), 1u);
    EXPECT_EQ((*days)[0].day, "2026-11-20");
    days = repo_->QuarantineDays(V{"b@two.example"}, 31, std::nullopt);
    ASSERT_TRUE(days);
    ASSERT_EQ(days->size(), 1u);
    EXPECT_EQ((*days)[0].count, 1);
    EXPECT_FALSE(repo_->QuarantineDays(std::nullopt, 0, std::nullopt));
}

// Reports with only date filters read the daily roll-ups; any other filter
// reads the mails. Both must give the same rows, and a replayed batch must
// not count twice.
TEST_P(MailReportsTest, RollupsAgreeWithTheMailsAndIgnoreReplays) {
    auto both = [&](ReportField field, std::vector<std::string> dates) {
        std::vector<std::string> live = dates;
        live.push_back("size:ge:0");  // any non-date filter forces the live query
        EXPECT_EQ(Rows(Report(field, ReportMode::kCount, dates)),
                  Rows(Report(field, ReportMode::kCount, live)))
            << ReportFieldName(field);
    };
    for (ReportField f : {ReportField::kMailFrom, ReportField::kRcptTo, ReportField::kSymbol,
                          ReportField::kRcptToDomain, ReportField::kMailFromDomain}) {
        both(f, {});
        both(f, {"date:ge:2026-11-21"});
        both(f, {"date:eq:2026-11-20"});
    }
    const auto before = Rows(Report(ReportField::kRcptTo));
    // The spool replays the first mail after a crash.
    SqlMailRepo repo(db_);
    std::vector<MailRecord> again = {MakeRecord("r0", kNov20)};
    ASSERT_TRUE(repo.InsertBatch(again));
    EXPECT_EQ(Rows(Report(ReportField::kRcptTo)), before);
}

// Values tied with the last place: the same places on every engine (the
// lowest values win), also where MariaDB ranks by value_hash first
// (migration 0015), and also when more than its 1,000 spare places tie.
TEST_P(MailReportsTest, TiesAtTheLastPlaceGoToTheLowestValues) {
    SqlMailRepo repo(db_);
    std::vector<MailRecord> batch;
    auto add = [&](int day, const std::string& from) {
        MailRecord r = MakeRecord(fmt::format("t{}", batch.size()),
                                  kNov20 + day * kDay + 1000 * static_cast<std::int64_t>(batch.size()));
        r.mail_from = from;
        r.size = 100;
        r.stored = true;
        batch.push_back(std::move(r));
    };
    for (int i = 0; i < 3; ++i) add(3, "top@tie.example");
    for (const char* from : {"t5@tie.example", "t2@tie.example", "t4@tie.example",
                             "t1@tie.example", "t3@tie.example"}) {
        add(3, from);
    }
    for (int i = 1002; i > 0; --i) add(4, fmt::format("s{:04}@many.example", i));
    ASSERT_TRUE(repo.InsertBatch(batch));

    auto top = [&](std::string day, ReportMode mode, std::int64_t limit) {
        app::ReportQuery q;
        q.field = ReportField::kMailFrom;
        q.mode = mode;
        q.limit = limit;
        q.search.filters = {*ParseMailFilter(fmt::format("date:eq:{}", day))};
        auto r = repo_->Report(q);
        EXPECT_TRUE(r) << (r ? "" : r.error().detail);
        return Rows(r.value_or(MailReport{}));
    };
    for (ReportMode mode : {ReportMode::kCount, ReportMode::kVolume, ReportMode::kStored}) {
        EXPECT_EQ(top("2026-11-23", mode, 3),
                  V({"top@tie.example 3 3 300", "t1@tie.example 1 1 100",
                     "t2@tie.example 1 1 100"}));
        EXPECT_EQ(top("2026-11-23", mode, 1), V({"top@tie.example 3 3 300"}));
        EXPECT_EQ(top("2026-11-23", mode, 6).size(), 6u);
        EXPECT_EQ(top("2026-11-24", mode, 2),
                  V({"s0001@many.example 1 1 100", "s0002@many.example 1 1 100"}));
    }
    EXPECT_EQ(top("2026-11-25", ReportMode::kCount, 5), V{});
}

RQWATCH_ON_EVERY_ENGINE(MailReportsTest);

}  // namespace
}  // namespace rqwatch::storage
