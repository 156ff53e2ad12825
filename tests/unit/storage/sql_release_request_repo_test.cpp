// Release requests (migration 0020) on every engine: one pending per mail
// and requester, decisions only of pending requests, filters and pages,
// rows going with their mail and surviving their user.

#include "storage/sql_release_request_repo.hpp"

#include <gtest/gtest.h>

#include "storage/sql_mail_repo.hpp"
#include "storage/sql_retention_repo.hpp"
#include "storage/sql_user_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using app::RequestState;
using testing::MakeRecord;

class SqlReleaseRequestRepoTest : public testing::RepoTest<SqlReleaseRequestRepo> {
  protected:
    void SetUpRepo() override {
        std::vector<MailRecord> batch = {MakeRecord("a", 1'000), MakeRecord("b", 2'000)};
        batch[0].subject = "Grüße <b>";
        auto inserted = SqlMailRepo(db_).InsertBatch(batch);
        ASSERT_TRUE(inserted) << inserted.error().detail;
        for (const auto& r : batch) mails_.push_back(r.id);
        for (const char* name : {"alice", "bob"}) {
            User u;
            u.username = name;
            auto id = SqlUserRepo(db_).Add(u);
            ASSERT_TRUE(id) << id.error().detail;
            users_.push_back(*id);
        }
    }

    app::ReleaseRequestRecord Make(std::size_t mail, std::size_t user,
                                   std::vector<std::string> to = {"alice@example.org"}) {
        app::ReleaseRequestRecord r;
        r.mail_id = mails_[mail];
        r.requested_by = users_[user];
        r.requester = user == 0 ? "alice" : "bob";
        r.notice_to = r.requester + "@example.org";
        r.recipients = std::move(to);
        r.comment = "bitte <script>\nzweite Zeile";
        r.created_at = 5'000;
        return r;
    }

    std::int64_t Add(const app::ReleaseRequestRecord& r) {
        auto id = repo_->Add(r);
        EXPECT_TRUE(id) << id.error().public_msg << " " << id.error().detail;
        return id.value_or(0);
    }

    std::vector<std::int64_t> mails_, users_;
};

TEST_P(SqlReleaseRequestRepoTest, StoresAndReadsARequestWithItsMail) {
    const std::int64_t id = Add(Make(0, 0, {"alice@example.org", "ali@example.org"}));
    auto r = repo_->Find(id);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->mail_id, mails_[0]);
    EXPECT_EQ(r->requested_by, users_[0]);
    EXPECT_EQ(r->requester, "alice");
    EXPECT_EQ(r->notice_to, "alice@example.org");
    EXPECT_EQ(r->recipients, (std::vector<std::string>{"alice@example.org", "ali@example.org"}));
    EXPECT_EQ(r->comment, "bitte <script>\nzweite Zeile");
    EXPECT_EQ(r->state, RequestState::kPending);
    EXPECT_FALSE(r->decided_at);
    EXPECT_EQ(r->created_at, 5'000);
    EXPECT_EQ(r->subject, "Grüße <b>");
    EXPECT_EQ(repo_->Find(id + 100).error().code, ErrorCode::kNotFound);
}

TEST_P(SqlReleaseRequestRepoTest, OnePendingPerMailAndRequester) {
    const std::int64_t id = Add(Make(0, 0));
    auto again = repo_->Add(Make(0, 0));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    Add(Make(0, 1));  // another user
    Add(Make(1, 0));  // another mail
    auto pending = repo_->PendingOf(mails_[0], "alice");
    ASSERT_TRUE(pending && *pending);
    EXPECT_EQ((*pending)->id, id);
    EXPECT_EQ(*repo_->CountPending(), 3);
    // Once decided, the user may ask again.
    ASSERT_TRUE(repo_->Decide(id, {RequestState::kRefused, "admin", 9'000, "no"}));
    EXPECT_FALSE(*repo_->PendingOf(mails_[0], "alice"));
    Add(Make(0, 0));
    EXPECT_EQ(*repo_->CountPending(), 3);
}

TEST_P(SqlReleaseRequestRepoTest, DecidesOnlyPendingRequestsAndReopens) {
    const std::int64_t id = Add(Make(0, 0));
    ASSERT_TRUE(repo_->Decide(id, {RequestState::kApproved, "admin", 9'000, ""}));
    auto second = repo_->Decide(id, {RequestState::kRefused, "other", 9'001, "late"});
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, ErrorCode::kConflict);
    auto r = repo_->Find(id);
    EXPECT_EQ(r->state, RequestState::kApproved);
    EXPECT_EQ(r->decided_by, "admin");
    EXPECT_EQ(r->decided_at, 9'000);
    // Another approval than the one read (decided at another time): untouched.
    EXPECT_EQ(repo_->Reopen(id, 8'999), false);
    EXPECT_EQ(repo_->Find(id)->state, RequestState::kApproved);
    // A failed release gives it back; once.
    EXPECT_EQ(repo_->Reopen(id, 9'000), true);
    EXPECT_EQ(repo_->Find(id)->state, RequestState::kPending);
    EXPECT_FALSE(repo_->Find(id)->decided_at);
    EXPECT_EQ(repo_->Reopen(id, 9'000), false);
    // Reopening a pending (or refused) one changes nothing.
    ASSERT_TRUE(repo_->Decide(id, {RequestState::kRefused, "admin", 9'500, "phishing"}));
    EXPECT_EQ(repo_->Reopen(id, 9'500), false);
    EXPECT_EQ(repo_->Find(id)->state, RequestState::kRefused);
    EXPECT_EQ(repo_->Find(id)->reason, "phishing");
    EXPECT_EQ(repo_->Decide(id + 100, {RequestState::kRefused, "a", 1, ""}).error().code,
              ErrorCode::kConflict);
}

TEST_P(SqlReleaseRequestRepoTest, ListsByStateAndUserNewestFirstInPages) {
    const std::int64_t a = Add(Make(0, 0));
    const std::int64_t b = Add(Make(0, 1));
    const std::int64_t c = Add(Make(1, 0));
    ASSERT_TRUE(repo_->Decide(b, {RequestState::kCancelled, "bob", 6'000, ""}));
    auto ids = [&](const app::ReleaseRequestQuery& q) {
        std::vector<std::int64_t> out;
        auto rows = repo_->List(q);
        EXPECT_TRUE(rows) << rows.error().detail;
        for (const auto& r : rows.value_or(std::vector<app::ReleaseRequestRecord>{})) {
            out.push_back(r.id);
        }
        return out;
    };
    EXPECT_EQ(ids({}), (std::vector<std::int64_t>{c, b, a}));
    EXPECT_EQ(ids({.state = RequestState::kPending}), (std::vector<std::int64_t>{c, a}));
    EXPECT_EQ(ids({.state = RequestState::kCancelled}), (std::vector<std::int64_t>{b}));
    EXPECT_EQ(ids({.requested_by = users_[0]}), (std::vector<std::int64_t>{c, a}));
    EXPECT_EQ(ids({.limit = 1}), (std::vector<std::int64_t>{c}));
    EXPECT_EQ(ids({.limit = 1, .before_id = c}), (std::vector<std::int64_t>{b}));
    EXPECT_EQ(repo_->List({.limit = 0}).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(SqlReleaseRequestRepoTest, RowsGoWithTheirMailAndOutliveTheirUser) {
    const std::int64_t a = Add(Make(0, 0));
    const std::int64_t b = Add(Make(1, 1));
    ASSERT_TRUE(SqlRetentionRepo(db_).Delete({mails_[0]}));
    EXPECT_EQ(repo_->Find(a).error().code, ErrorCode::kNotFound);
    ASSERT_TRUE(SqlUserRepo(db_).Delete(users_[1]));
    auto r = repo_->Find(b);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_FALSE(r->requested_by);
    EXPECT_EQ(r->requester, "bob");
}

TEST_P(SqlReleaseRequestRepoTest, ARequestFromALinkHasNoUser) {
    auto r = Make(0, 0);
    r.requested_by.reset();
    r.requester = "link:alice@example.org";
    const std::int64_t id = Add(r);
    EXPECT_FALSE(repo_->Find(id)->requested_by);
    EXPECT_TRUE(*repo_->PendingOf(mails_[0], "link:alice@example.org"));
}

RQWATCH_ON_EVERY_ENGINE(SqlReleaseRequestRepoTest);

}  // namespace
}  // namespace rqwatch::storage
