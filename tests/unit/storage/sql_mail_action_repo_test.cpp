// Releases and learns of a mail (migration 0017) on every engine.

#include "storage/sql_mail_action_repo.hpp"

#include <gtest/gtest.h>

#include "storage/sql_mail_repo.hpp"
#include "storage/sql_retention_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::MakeRecord;

class SqlMailActionRepoTest : public testing::RepoTest<SqlMailActionRepo> {
  protected:
    void SetUpRepo() override {
        std::vector<MailRecord> batch = {MakeRecord("a", 1'000), MakeRecord("b", 2'000)};
        SqlMailRepo mails(db_);
        auto inserted = mails.InsertBatch(batch);
        ASSERT_TRUE(inserted) << inserted.error().detail;
        for (const auto& r : batch) ids_.push_back(r.id);
    }

    MailRecord Mail(std::int64_t id) {
        auto m = SqlMailRepo(db_).Get(id);
        EXPECT_TRUE(m);
        return m.value_or(MailRecord{});
    }

    std::vector<std::int64_t> ids_;
};

TEST_P(SqlMailActionRepoTest, RecordsReleasesAndMarksTheMailOnceDelivered) {
    const std::int64_t a = ids_[0];
    // A failed attempt is kept but does not make the mail released.
    ASSERT_TRUE(repo_->AddReleases({{a, 5'000, "alice", "alice@example.org", "original", false,
                                     "connection refused"}}));
    EXPECT_FALSE(Mail(a).released);
    ASSERT_TRUE(repo_->AddReleases(
        {{a, 6'000, "admin", "alice@example.org", "original", true, "250 queued"},
         {a, 6'000, "admin", "x@example.net", "attachment", false, std::string(2000, 'r')}}));
    const MailRecord m = Mail(a);
    EXPECT_TRUE(m.released);
    EXPECT_EQ(m.release_date, 6'000);
    auto rows = repo_->Releases(a);
    ASSERT_TRUE(rows) << rows.error().detail;
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[0].by, "alice");
    EXPECT_FALSE((*rows)[0].ok);
    EXPECT_EQ((*rows)[1].recipient, "alice@example.org");
    EXPECT_TRUE((*rows)[1].ok);
    EXPECT_EQ((*rows)[1].result, "250 queued");
    EXPECT_EQ((*rows)[2].mode, "attachment");
    EXPECT_EQ((*rows)[2].result.size(), 512u);  // a long answer is cut, not refused
    EXPECT_TRUE(repo_->Releases(ids_[1])->empty());
    EXPECT_FALSE(Mail(ids_[1]).released);
    EXPECT_TRUE(repo_->AddReleases({}));
}

TEST_P(SqlMailActionRepoTest, RecordsLearnsInOrder) {
    const std::int64_t b = ids_[1];
    ASSERT_TRUE(repo_->AddLearn({b, 1'000, "admin", "spam", "mx1", true, "learned"}));
    ASSERT_TRUE(repo_->AddLearn({b, 2'000, "admin", "ham", "mx1", false, "controller down"}));
    ASSERT_TRUE(repo_->AddLearn({b, 3'000, "admin", "spam", "mx1", true, "learned", "failed",
                                 std::string(600, 'f')}));
    auto rows = repo_->Learns(b);
    ASSERT_TRUE(rows) << rows.error().detail;
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[0].learned_as, "spam");
    EXPECT_TRUE((*rows)[0].ok);
    EXPECT_EQ((*rows)[0].fuzzy, "skipped");
    EXPECT_EQ((*rows)[0].fuzzy_result, "");
    EXPECT_EQ((*rows)[2].fuzzy, "failed");
    EXPECT_EQ((*rows)[2].fuzzy_result, std::string(512, 'f'));  // cut, not refused
    EXPECT_EQ((*rows)[1].learned_as, "ham");
    EXPECT_EQ((*rows)[1].node, "mx1");
    EXPECT_EQ((*rows)[1].at, 2'000);
    EXPECT_TRUE(repo_->Learns(ids_[0])->empty());
}

TEST_P(SqlMailActionRepoTest, RowsGoWithTheirMail) {
    const std::int64_t a = ids_[0];
    ASSERT_TRUE(repo_->AddReleases({{a, 1, "admin", "a@example.org", "original", true, "ok"}}));
    ASSERT_TRUE(repo_->AddLearn({a, 1, "admin", "spam", "", true, "ok"}));
    ASSERT_TRUE(SqlRetentionRepo(db_).Delete({a}));
    EXPECT_TRUE(repo_->Releases(a)->empty());
    EXPECT_TRUE(repo_->Learns(a)->empty());
}

RQWATCH_ON_EVERY_ENGINE(SqlMailActionRepoTest);

}  // namespace
}  // namespace rqwatch::storage
