// Retention's reads and batch UPDATE/DELETE on every engine.

#include "storage/sql_retention_repo.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "storage/sql_mail_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::DbTest;
using testing::MakeRecord;

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kNov20 = 1'795'132'800'000;  // 2026-11-20 00:00 UTC

class SqlRetentionRepoTest : public testing::RepoTest<SqlRetentionRepo> {
  protected:
    void SetUpRepo() override {
        // Mail i arrives i days before Nov 20; even ones are kept in the quarantine.
        std::vector<MailRecord> batch;
        for (int i = 0; i < 6; ++i) {
            MailRecord r = MakeRecord("m" + std::to_string(i), kNov20 - i * kDay);
            r.stored = i % 2 == 0;
            if (r.stored) r.quarantine_path = FormatPath(i);
            batch.push_back(std::move(r));
        }
        SqlMailRepo mails(db_);
        auto inserted = mails.InsertBatch(batch);
        ASSERT_TRUE(inserted) << inserted.error().detail;
        for (const auto& r : batch) ids_.push_back(r.id);
    }

    static std::string FormatPath(int i) { return "day" + std::to_string(i) + "/m.eml"; }

    // Ids of a page, for comparisons.
    static std::vector<std::int64_t> Ids(const std::vector<app::RetentionRow>& rows) {
        std::vector<std::int64_t> out;
        for (const auto& r : rows) out.push_back(r.id);
        return out;
    }

    std::vector<app::RetentionRow> Before(std::int64_t before, std::int64_t after = 0,
                                          std::size_t limit = 100) {
        auto r = repo_->ListReceivedBefore(before, after, limit);
        EXPECT_TRUE(r) << r.error().public_msg << " " << r.error().detail;
        return r.value_or(std::vector<app::RetentionRow>{});
    }

    std::vector<app::RetentionRow> WithFiles(std::int64_t from, std::int64_t before,
                                             std::int64_t after = 0, std::size_t limit = 100) {
        auto r = repo_->ListWithFiles(from, before, after, limit);
        EXPECT_TRUE(r) << r.error().public_msg << " " << r.error().detail;
        return r.value_or(std::vector<app::RetentionRow>{});
    }

    // COUNT(*) of a query with one :id parameter.
    int Count(const std::string& query, std::int64_t id) {
        auto r = db_->Run<int>("test count", [&](soci::session& sql) -> Result<int> {
            int n = 0;
            ExecuteOnce(sql, query, soci::use(id, "id"), soci::into(n));
            return n;
        });
        EXPECT_TRUE(r) << r.error().detail;
        return r.value_or(-1);
    }

    std::vector<std::int64_t> ids_;  // of m0..m5
};

TEST_P(SqlRetentionRepoTest, ListsMailsReceivedBeforeByIdInPages) {
    // Strictly before: m2 arrived exactly at the cutoff.
    const auto all = Before(kNov20 - 2 * kDay);
    EXPECT_EQ(Ids(all), (std::vector<std::int64_t>{ids_[3], ids_[4], ids_[5]}));
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].received_at, kNov20 - 3 * kDay);
    EXPECT_FALSE(all[0].stored);
    EXPECT_FALSE(all[0].purged);
    EXPECT_EQ(all[0].quarantine_path, "");
    EXPECT_TRUE(all[1].stored);
    EXPECT_TRUE(all[1].HasFile());
    EXPECT_EQ(all[1].quarantine_path, FormatPath(4));

    const auto page1 = Before(kNov20 + 1, 0, 4);
    EXPECT_EQ(Ids(page1), (std::vector<std::int64_t>{ids_[0], ids_[1], ids_[2], ids_[3]}));
    const auto page2 = Before(kNov20 + 1, page1.back().id, 4);
    EXPECT_EQ(Ids(page2), (std::vector<std::int64_t>{ids_[4], ids_[5]}));
    EXPECT_TRUE(Before(kNov20 + 1, page2.back().id, 4).empty());
    EXPECT_TRUE(Before(kNov20 - 10 * kDay).empty());
}

TEST_P(SqlRetentionRepoTest, ListsOnlyMailsWithFilesInTheRange) {
    EXPECT_EQ(Ids(WithFiles(0, kNov20 + 1)),
              (std::vector<std::int64_t>{ids_[0], ids_[2], ids_[4]}));
    // [from, before): m4 is at from, m0 at before.
    EXPECT_EQ(Ids(WithFiles(kNov20 - 4 * kDay, kNov20)),
              (std::vector<std::int64_t>{ids_[2], ids_[4]}));
    EXPECT_EQ(Ids(WithFiles(0, kNov20 + 1, ids_[0], 1)), (std::vector<std::int64_t>{ids_[2]}));

    auto marked = repo_->MarkPurged({ids_[2]});
    ASSERT_TRUE(marked) << marked.error().detail;
    EXPECT_EQ(Ids(WithFiles(0, kNov20 + 1)), (std::vector<std::int64_t>{ids_[0], ids_[4]}));
    const auto rows = Before(kNov20 - 2 * kDay + 1);
    ASSERT_EQ(rows.front().id, ids_[2]);
    EXPECT_TRUE(rows.front().stored);
    EXPECT_TRUE(rows.front().purged);
    EXPECT_FALSE(rows.front().HasFile());
    EXPECT_EQ(rows.front().quarantine_path, FormatPath(2));  // kept for the record
}

TEST_P(SqlRetentionRepoTest, MarkPurgedCountsOnlyRowsItChanged) {
    auto n = repo_->MarkPurged({ids_[0], ids_[4]});
    ASSERT_TRUE(n) << n.error().detail;
    EXPECT_EQ(*n, 2u);
    n = repo_->MarkPurged({ids_[0], ids_[2], ids_[4]});
    ASSERT_TRUE(n) << n.error().detail;
    EXPECT_EQ(*n, 1u);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM mails WHERE purged = 1 AND id >= :id", ids_[0]), 3);
    n = repo_->MarkPurged({});
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0u);
    // The rows stay.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM mails WHERE id >= :id", ids_[0]), 6);
}

TEST_P(SqlRetentionRepoTest, DeleteTakesRecipientsAndSymbolsAlong) {
    ASSERT_GT(Count("SELECT COUNT(*) FROM mail_recipients WHERE mail_id = :id", ids_[5]), 0);
    ASSERT_GT(Count("SELECT COUNT(*) FROM mail_symbols WHERE mail_id = :id", ids_[5]), 0);
    auto n = repo_->Delete({ids_[4], ids_[5]});
    ASSERT_TRUE(n) << n.error().detail;
    EXPECT_EQ(*n, 2u);
    for (const std::int64_t id : {ids_[4], ids_[5]}) {
        EXPECT_EQ(Count("SELECT COUNT(*) FROM mails WHERE id = :id", id), 0);
        EXPECT_EQ(Count("SELECT COUNT(*) FROM mail_recipients WHERE mail_id = :id", id), 0);
        EXPECT_EQ(Count("SELECT COUNT(*) FROM mail_symbols WHERE mail_id = :id", id), 0);
    }
    // The others keep theirs.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM mails WHERE id >= :id", ids_[0]), 4);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM mail_recipients WHERE mail_id = :id", ids_[3]), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM mail_symbols WHERE mail_id = :id", ids_[3]), 10);
    n = repo_->Delete({ids_[4]});
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0u);
}

// A full batch binds a thousand ids in one statement on every engine.
TEST_P(SqlRetentionRepoTest, BatchesOfAThousandIds) {
    std::vector<std::int64_t> ids(app::RetentionRepo::kMaxBatch);
    std::iota(ids.begin(), ids.end(), ids_.back() - 500);  // includes every mail
    auto marked = repo_->MarkPurged(ids);
    ASSERT_TRUE(marked) << marked.error().detail;
    EXPECT_EQ(*marked, 6u);
    auto deleted = repo_->Delete(ids);
    ASSERT_TRUE(deleted) << deleted.error().detail;
    EXPECT_EQ(*deleted, 6u);
    EXPECT_TRUE(Before(kNov20 + 1).empty());

    ids.push_back(ids.back() + 1);
    auto too_many = repo_->Delete(ids);
    ASSERT_FALSE(too_many);
    EXPECT_EQ(too_many.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(repo_->ListReceivedBefore(kNov20, 0, 0).error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(repo_->ListWithFiles(0, kNov20, 0, 1001).error().code, ErrorCode::kInvalidArgument);
}

// Roll-ups of the days before the cutoff's day go; the rest stay.
TEST_P(SqlRetentionRepoTest, DeletesReportRollupsOfEarlierDays) {
    // Mails arrived on Nov 20 and the five days before (SetUpRepo).
    const long long nov18 = (kNov20 - 2 * kDay) / kDay;
    EXPECT_GT(Count("SELECT COUNT(*) FROM report_daily WHERE day < :id", nov18), 0);
    const int kept = Count("SELECT COUNT(*) FROM report_daily WHERE day >= :id", nov18);
    EXPECT_GT(kept, 0);
    auto r = repo_->DeleteRollupsBefore(kNov20 - 2 * kDay + 5000);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_GT(*r, 0u);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM report_daily WHERE day < :id", nov18), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM report_daily WHERE day >= :id", nov18), kept);
}

// Digest times before the cutoff go, later ones (and the one at it) stay.
TEST_P(SqlRetentionRepoTest, ForgetsDigestTimesBeforeTheCutoff) {
    ASSERT_TRUE(db_->Run<int>("marks", [](soci::session& sql) -> Result<int> {
        ExecuteOnce(sql,
                    "INSERT INTO notify_recipients (address, last_sent_at) VALUES "
                    "('a@x.org', 1000), ('b@x.org', 1999), ('c@x.org', 2000), ('d@x.org', 9000)");
        return 0;
    }));
    auto r = repo_->DeleteNotifyMarksBefore(2000);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(*r, 2u);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_recipients WHERE last_sent_at >= :id", 2000), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_recipients WHERE last_sent_at >= :id", 0), 2);
    r = repo_->DeleteNotifyMarksBefore(2000);
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, 0u);
}

RQWATCH_ON_EVERY_ENGINE(SqlRetentionRepoTest);

}  // namespace
}  // namespace rqwatch::storage
