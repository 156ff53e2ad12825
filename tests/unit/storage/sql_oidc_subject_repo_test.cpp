#include "storage/sql_oidc_subject_repo.hpp"

#include <gtest/gtest.h>

#include "storage/sql_user_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

class SqlOidcSubjectRepoTest : public testing::RepoTest<SqlOidcSubjectRepo> {
  protected:
    void SetUpRepo() override {
        users_ = std::make_unique<SqlUserRepo>(db_);
        for (const char* name : {"alice", "bob"}) {
            User u;
            u.username = name;
            u.provider = AuthProvider::kOidc;
            auto id = users_->Add(u);
            ASSERT_TRUE(id) << id.error().detail;
            ids_.push_back(*id);
        }
    }

    std::unique_ptr<SqlUserRepo> users_;
    std::vector<std::int64_t> ids_;
};

TEST_P(SqlOidcSubjectRepoTest, BindsOnceEachWay) {
    const std::int64_t alice = ids_[0];
    const std::int64_t bob = ids_[1];
    EXPECT_EQ(repo_->SubjectOf(alice).value(), std::nullopt);
    EXPECT_EQ(repo_->UserOf("sub-a").value(), std::nullopt);
    ASSERT_TRUE(repo_->Bind(alice, "sub-a", 1'000));
    EXPECT_EQ(repo_->SubjectOf(alice).value(), "sub-a");
    EXPECT_EQ(repo_->UserOf("sub-a").value(), alice);
    // Neither the user nor the subject can be bound a second time.
    EXPECT_EQ(repo_->Bind(alice, "sub-b", 2'000).error().code, ErrorCode::kConflict);
    EXPECT_EQ(repo_->Bind(bob, "sub-a", 2'000).error().code, ErrorCode::kConflict);
    EXPECT_EQ(repo_->SubjectOf(alice).value(), "sub-a");
    EXPECT_EQ(repo_->SubjectOf(bob).value(), std::nullopt);
    // Subjects are compared exactly (case matters).
    ASSERT_TRUE(repo_->Bind(bob, "SUB-A", 3'000));
    EXPECT_EQ(repo_->UserOf("SUB-A").value(), bob);
}

TEST_P(SqlOidcSubjectRepoTest, GoesWithTheUserAndRefusesBadInput) {
    ASSERT_TRUE(repo_->Bind(ids_[0], "sub-a", 1'000));
    ASSERT_TRUE(users_->Delete(ids_[0]));
    EXPECT_EQ(repo_->UserOf("sub-a").value(), std::nullopt);
    EXPECT_EQ(repo_->Bind(ids_[0] + 100, "sub-x", 1).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(repo_->Bind(ids_[1], "", 1).error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(repo_->Bind(ids_[1], std::string(256, 's'), 1).error().code,
              ErrorCode::kInvalidArgument);
    ASSERT_TRUE(repo_->Bind(ids_[1], std::string(255, 's'), 1));
}

RQWATCH_ON_EVERY_ENGINE(SqlOidcSubjectRepoTest);

}  // namespace
}  // namespace rqwatch::storage
