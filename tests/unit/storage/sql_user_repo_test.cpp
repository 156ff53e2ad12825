#include "storage/sql_user_repo.hpp"

#include <gtest/gtest.h>

#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::DbTest;

using SqlUserRepoTest = testing::RepoTest<SqlUserRepo>;

TEST_P(SqlUserRepoTest, AddsAndFinds) {
    User u;
    u.username = "Admin";
    u.email = "admin@example.com";
    u.is_admin = true;
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$abc$def";
    u.created_at = 1'700'000'000'000;
    u.last_login = 1'700'000'500'000;
    auto id = repo_->Add(u);
    ASSERT_TRUE(id) << id.error().detail;
    EXPECT_GT(*id, 0);

    auto found = repo_->FindByUsername("Admin");
    ASSERT_TRUE(found) << found.error().detail;
    EXPECT_EQ(found->id, *id);
    EXPECT_EQ(found->username, u.username);
    EXPECT_EQ(found->email, u.email);
    EXPECT_TRUE(found->is_admin);
    EXPECT_EQ(found->password_hash, u.password_hash);
    EXPECT_EQ(found->created_at, u.created_at);
    EXPECT_EQ(found->last_login, u.last_login);
}

TEST_P(SqlUserRepoTest, DefaultsAndOptionalLastLogin) {
    User u;
    u.username = "viewer";
    auto id = repo_->Add(u);
    ASSERT_TRUE(id);
    auto found = repo_->FindByUsername("viewer");
    ASSERT_TRUE(found);
    EXPECT_FALSE(found->is_admin);
    EXPECT_FALSE(found->last_login);
    EXPECT_GT(found->created_at, 1'600'000'000'000);  // filled with "now", in ms

    User second;
    second.username = "second";
    auto id2 = repo_->Add(second);
    ASSERT_TRUE(id2);
    EXPECT_NE(*id2, *id);
}

TEST_P(SqlUserRepoTest, DuplicateUsernameIsConflict) {
    User u;
    u.username = "alice";
    ASSERT_TRUE(repo_->Add(u));
    auto again = repo_->Add(u);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(again.error().public_msg, "username already exists");

    // Usernames are exact: a different case is a different user.
    u.username = "Alice";
    EXPECT_TRUE(repo_->Add(u));
}

TEST_P(SqlUserRepoTest, UnknownUserIsNotFound) {
    auto found = repo_->FindByUsername("nobody");
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
}

TEST_P(SqlUserRepoTest, EmptyUsernameIsRejected) {
    auto r = repo_->Add(User{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

RQWATCH_ON_EVERY_ENGINE(SqlUserRepoTest);

}  // namespace
}  // namespace rqwatch::storage
