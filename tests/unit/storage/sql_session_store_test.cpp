#include "storage/sql_session_store.hpp"

#include <gtest/gtest.h>

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
        return {.key = key,
                .user_id = user_id,
                .csrf_token = "csrf-" + key,
                .created_at = created_at,
                .last_seen = last_seen,
                .ip = "192.0.2.1"};
    }

    bool Exists(const std::string& key) {
        auto s = repo_->Find(key);
        if (!s) {
            EXPECT_EQ(s.error().code, ErrorCode::kNotFound) << s.error().detail;
        }
        return s.has_value();
    }

    std::vector<std::int64_t> ids_;
    std::int64_t alice_ = 0;
    std::int64_t bob_ = 0;
    std::int64_t admin_ = 0;
};

TEST_P(SqlSessionStoreTest, CreatesAndFinds) {
    const std::string key(64, 'a');  // a SHA-256 in hex
    app::SessionRecord s{.key = key,
                         .user_id = alice_,
                         .csrf_token = "tok",
                         .created_at = 1'700'000'000'000,
                         .last_seen = 1'700'000'000'500,
                         .ip = "2001:db8::1"};
    auto r = repo_->Create(s);
    ASSERT_TRUE(r) << r.error().detail;
    auto found = repo_->Find(key);
    ASSERT_TRUE(found) << found.error().detail;
    EXPECT_EQ(found->key, key);
    EXPECT_EQ(found->user_id, alice_);
    EXPECT_FALSE(found->impersonator_id);
    EXPECT_EQ(found->csrf_token, "tok");
    EXPECT_EQ(found->created_at, 1'700'000'000'000);
    EXPECT_EQ(found->last_seen, 1'700'000'000'500);
    EXPECT_EQ(found->ip, "2001:db8::1");

    app::SessionRecord as = Make("as", bob_);
    as.impersonator_id = admin_;
    ASSERT_TRUE(repo_->Create(as));
    auto impersonated = repo_->Find("as");
    ASSERT_TRUE(impersonated);
    EXPECT_EQ(impersonated->user_id, bob_);
    EXPECT_EQ(impersonated->impersonator_id, admin_);
}

TEST_P(SqlSessionStoreTest, UnknownKeyIsNotFound) {
    ASSERT_TRUE(repo_->Create(Make("known", alice_)));
    auto r = repo_->Find("unknown");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
    EXPECT_FALSE(Exists("KNOWN"));  // keys are exact
    EXPECT_FALSE(Exists(std::string(200, 'k')));
    EXPECT_FALSE(Exists(""));
}

TEST_P(SqlSessionStoreTest, DuplicateKeyOrUnknownUserIsConflict) {
    ASSERT_TRUE(repo_->Create(Make("k", alice_)));
    auto again = repo_->Create(Make("k", bob_));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(repo_->Find("k")->user_id, alice_);

    auto ghost = repo_->Create(Make("ghost", admin_ + 100));
    ASSERT_FALSE(ghost);
    EXPECT_EQ(ghost.error().code, ErrorCode::kConflict);
    EXPECT_FALSE(Exists("ghost"));
}

TEST_P(SqlSessionStoreTest, OverLongValues) {
    // Keys and tokens are never cut: a cut key could match another session.
    app::SessionRecord s = Make(std::string(128, 'k'), alice_);
    s.csrf_token = std::string(128, 't');
    s.ip = std::string(100, '1');
    ASSERT_TRUE(repo_->Create(s));
    auto found = repo_->Find(s.key);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->ip, std::string(64, '1'));  // the ip is cut

    for (auto bad : {Make(std::string(129, 'k'), alice_), Make("", alice_)}) {
        auto r = repo_->Create(bad);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
    s = Make("token", alice_);
    s.csrf_token = std::string(129, 't');
    auto r = repo_->Create(s);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_FALSE(Exists("token"));
}

TEST_P(SqlSessionStoreTest, TouchMovesLastSeenForwardOnly) {
    ASSERT_TRUE(repo_->Create(Make("k", alice_, 1'000, 2'000)));
    ASSERT_TRUE(repo_->Create(Make("other", alice_, 1'000, 2'000)));
    ASSERT_TRUE(repo_->Touch("k", 5'000));
    EXPECT_EQ(repo_->Find("k")->last_seen, 5'000);
    EXPECT_EQ(repo_->Find("other")->last_seen, 2'000);
    ASSERT_TRUE(repo_->Touch("k", 3'000));  // a slower concurrent request
    EXPECT_EQ(repo_->Find("k")->last_seen, 5'000);
    EXPECT_EQ(repo_->Find("k")->created_at, 1'000);
    EXPECT_TRUE(repo_->Touch("gone", 5'000));  // logged out meanwhile: no error
    EXPECT_FALSE(Exists("gone"));
}

TEST_P(SqlSessionStoreTest, Deletes) {
    ASSERT_TRUE(repo_->Create(Make("k", alice_)));
    ASSERT_TRUE(repo_->Create(Make("other", alice_)));
    ASSERT_TRUE(repo_->Delete("k"));
    EXPECT_FALSE(Exists("k"));
    EXPECT_TRUE(Exists("other"));
    EXPECT_TRUE(repo_->Delete("k"));  // twice: no error
}

TEST_P(SqlSessionStoreTest, DeletesAllOfAUserIncludingLoginAs) {
    ASSERT_TRUE(repo_->Create(Make("alice-1", alice_)));
    ASSERT_TRUE(repo_->Create(Make("alice-2", alice_)));
    ASSERT_TRUE(repo_->Create(Make("bob", bob_)));
    ASSERT_TRUE(repo_->Create(Make("admin", admin_)));
    app::SessionRecord as_alice = Make("admin-as-alice", alice_);
    as_alice.impersonator_id = admin_;
    ASSERT_TRUE(repo_->Create(as_alice));
    app::SessionRecord as_bob = Make("admin-as-bob", bob_);
    as_bob.impersonator_id = admin_;
    ASSERT_TRUE(repo_->Create(as_bob));

    ASSERT_TRUE(repo_->DeleteAllOf(alice_));
    EXPECT_FALSE(Exists("alice-1"));
    EXPECT_FALSE(Exists("alice-2"));
    EXPECT_FALSE(Exists("admin-as-alice"));
    EXPECT_TRUE(Exists("bob"));
    EXPECT_TRUE(Exists("admin"));
    EXPECT_TRUE(Exists("admin-as-bob"));

    // The admin's browsers: their own session and the one acting as bob.
    ASSERT_TRUE(repo_->DeleteAllOf(admin_));
    EXPECT_FALSE(Exists("admin"));
    EXPECT_FALSE(Exists("admin-as-bob"));
    EXPECT_TRUE(Exists("bob"));
    EXPECT_TRUE(repo_->DeleteAllOf(admin_ + 100));
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
