#include "storage/sql_session_store.hpp"

#include <gtest/gtest.h>

#include "session_store_contract.hpp"
#include "storage/sql_user_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

class SqlSessionStoreTest : public testing::RepoTest<SqlSessionStore> {
  protected:
    void SetUpRepo() override {
        SqlUserRepo users(db_);
        for (const char* name : {"alice", "bob", "admin"}) {
            User u;
            u.username = name;
            auto id = users.Add(u);
            ASSERT_TRUE(id) << id.error().detail;
            ids_.push_back(*id);
        }
        alice_ = ids_[0];
        bob_ = ids_[1];
        admin_ = ids_[2];
    }

    app::SessionRecord Make(const std::string& key, std::int64_t user_id,
                            std::int64_t created_at = 1'000, std::int64_t last_seen = 1'000) {
        return rqwatch::testing::MakeSession(key, user_id, created_at, last_seen);
    }

    bool Exists(const std::string& key) { return rqwatch::testing::SessionExists(*repo_, key); }

    rqwatch::testing::SessionStoreContract Contract() {
        return {.store = *repo_, .now = 1'000, .alice = alice_, .bob = bob_, .admin = admin_};
    }

    std::vector<std::int64_t> ids_;
    std::int64_t alice_ = 0;
    std::int64_t bob_ = 0;
    std::int64_t admin_ = 0;
};

TEST_P(SqlSessionStoreTest, CreatesAndFinds) { Contract().CreatesAndFinds(1'700'000'000'000); }

TEST_P(SqlSessionStoreTest, UnknownKeyIsNotFound) { Contract().UnknownKeyIsNotFound(); }

// A session of an unknown user breaks the foreign key (Redis has none).
TEST_P(SqlSessionStoreTest, DuplicateKeyOrUnknownUserIsConflict) {
    ASSERT_NO_FATAL_FAILURE(Contract().DuplicateKeyIsConflict());
    auto ghost = repo_->Create(Make("ghost", admin_ + 100));
    ASSERT_FALSE(ghost);
    EXPECT_EQ(ghost.error().code, ErrorCode::kConflict);
    EXPECT_FALSE(Exists("ghost"));
}

// The ip is cut to its column (64 characters), with the longest key and token.
TEST_P(SqlSessionStoreTest, OverLongValues) {
    ASSERT_NO_FATAL_FAILURE(Contract().OverLongValues());
    app::SessionRecord s = Make(std::string(128, 'i'), alice_);
    s.csrf_token = std::string(128, 't');
    s.ip = std::string(100, '1');
    ASSERT_TRUE(repo_->Create(s));
    auto found = repo_->Find(s.key);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->ip, std::string(64, '1'));
}

TEST_P(SqlSessionStoreTest, TouchMovesLastSeenForwardOnly) {
    Contract().TouchMovesLastSeenForwardOnly();
}

TEST_P(SqlSessionStoreTest, Deletes) { Contract().Deletes(); }

TEST_P(SqlSessionStoreTest, DeletesAllOfAUserIncludingLoginAs) {
    Contract().DeletesAllOfAUserIncludingLoginAs();
}

TEST_P(SqlSessionStoreTest, DeletesExpired) {
    ASSERT_TRUE(repo_->Create(Make("fresh", alice_, 9'000, 9'500)));
    ASSERT_TRUE(repo_->Create(Make("idle", alice_, 9'000, 4'000)));
    ASSERT_TRUE(repo_->Create(Make("old", bob_, 1'000, 9'900)));
    ASSERT_TRUE(repo_->Create(Make("edge", bob_, 2'000, 5'000)));  // exactly at both bounds
    auto n = repo_->DeleteExpired(5'000, 2'000);
    ASSERT_TRUE(n) << n.error().detail;
    EXPECT_EQ(*n, 2);
    EXPECT_TRUE(Exists("fresh"));
    EXPECT_FALSE(Exists("idle"));
    EXPECT_FALSE(Exists("old"));
    EXPECT_TRUE(Exists("edge"));
    n = repo_->DeleteExpired(5'000, 2'000);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0);
}

RQWATCH_ON_EVERY_ENGINE(SqlSessionStoreTest);

}  // namespace
}  // namespace rqwatch::storage
