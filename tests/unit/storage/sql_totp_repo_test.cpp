#include "storage/sql_totp_repo.hpp"

#include <gtest/gtest.h>

#include "storage/sql_user_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

class SqlTotpRepoTest : public testing::RepoTest<SqlTotpRepo> {
  protected:
    void SetUpRepo() override {
        users_ = std::make_unique<SqlUserRepo>(db_);
        User u;
        u.username = "alice";
        auto id = users_->Add(u);
        ASSERT_TRUE(id) << id.error().detail;
        alice_ = *id;
    }

    app::TotpSecret Pending(const std::string& secret) const {
        return app::TotpSecret{alice_, secret, 1'000, std::nullopt, 0};
    }

    bool TotpEnabled() {
        auto u = users_->FindById(alice_);
        EXPECT_TRUE(u) << u.error().detail;
        auto by_name = users_->FindByUsername("alice");
        auto listed = users_->List({.limit = 10});
        EXPECT_EQ(by_name->totp_enabled, u->totp_enabled);
        EXPECT_EQ(listed->at(0).totp_enabled, u->totp_enabled);
        return u->totp_enabled;
    }

    std::unique_ptr<SqlUserRepo> users_;
    std::int64_t alice_ = 0;
};

TEST_P(SqlTotpRepoTest, PendingThenConfirmed) {
    EXPECT_EQ(repo_->Find(alice_).error().code, ErrorCode::kNotFound);
    ASSERT_TRUE(repo_->SetPending(Pending("FIRSTSECRET")));
    ASSERT_TRUE(repo_->SetPending(Pending("SECONDSECRET")));  // replaces the pending one
    auto found = repo_->Find(alice_);
    ASSERT_TRUE(found) << found.error().detail;
    EXPECT_EQ(found->secret, "SECONDSECRET");
    EXPECT_EQ(found->created_at, 1'000);
    EXPECT_FALSE(found->confirmed_at);
    EXPECT_EQ(found->last_step, 0);
    EXPECT_FALSE(TotpEnabled());

    ASSERT_TRUE(repo_->Confirm(alice_, 2'000, 56'666'667));
    found = repo_->Find(alice_);
    EXPECT_EQ(found->confirmed_at, 2'000);
    EXPECT_EQ(found->last_step, 56'666'667);
    EXPECT_TRUE(TotpEnabled());
    EXPECT_EQ(repo_->Confirm(alice_, 3'000, 56'666'668).error().code, ErrorCode::kNotFound);

    auto again = repo_->SetPending(Pending("THIRD"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(repo_->Find(alice_)->secret, "SECONDSECRET");
}

TEST_P(SqlTotpRepoTest, AStepIsUsedOnce) {
    ASSERT_TRUE(repo_->SetPending(Pending("S")));
    ASSERT_TRUE(repo_->Confirm(alice_, 2'000, 100));
    EXPECT_FALSE(*repo_->UseStep(alice_, 100));
    EXPECT_FALSE(*repo_->UseStep(alice_, 99));
    EXPECT_TRUE(*repo_->UseStep(alice_, 101));
    EXPECT_FALSE(*repo_->UseStep(alice_, 101));
    EXPECT_TRUE(*repo_->UseStep(alice_, 103));
    EXPECT_EQ(repo_->Find(alice_)->last_step, 103);
    EXPECT_FALSE(*repo_->UseStep(alice_ + 100, 200));
}

TEST_P(SqlTotpRepoTest, DeletesAndGoesWithTheUser) {
    EXPECT_FALSE(*repo_->Delete(alice_));
    ASSERT_TRUE(repo_->SetPending(Pending("S")));
    ASSERT_TRUE(repo_->Confirm(alice_, 2'000, 1));
    EXPECT_TRUE(*repo_->Delete(alice_));
    EXPECT_FALSE(TotpEnabled());
    EXPECT_EQ(repo_->Find(alice_).error().code, ErrorCode::kNotFound);

    ASSERT_TRUE(repo_->SetPending(Pending("S")));
    ASSERT_TRUE(users_->Delete(alice_));
    EXPECT_EQ(repo_->Find(alice_).error().code, ErrorCode::kNotFound);
}

TEST_P(SqlTotpRepoTest, BadInput) {
    EXPECT_EQ(repo_->SetPending(Pending("")).error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(repo_->SetPending(Pending(std::string(129, 'A'))).error().code,
              ErrorCode::kInvalidArgument);
    app::TotpSecret ghost = Pending("S");
    ghost.user_id = alice_ + 100;
    EXPECT_EQ(repo_->SetPending(ghost).error().code, ErrorCode::kNotFound);
}

// Writing the user (a profile edit, a login) never changes their TOTP.
TEST_P(SqlTotpRepoTest, UserUpdatesLeaveTotpAlone) {
    ASSERT_TRUE(repo_->SetPending(Pending("S")));
    ASSERT_TRUE(repo_->Confirm(alice_, 2'000, 1));
    User u = *users_->FindById(alice_);
    u.first_name = "Alice";
    u.totp_enabled = false;
    ASSERT_TRUE(users_->Update(u));
    EXPECT_TRUE(TotpEnabled());
}

RQWATCH_ON_EVERY_ENGINE(SqlTotpRepoTest);

}  // namespace
}  // namespace rqwatch::storage
