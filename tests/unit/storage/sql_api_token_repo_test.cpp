#include "storage/sql_api_token_repo.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <thread>

#include "storage/sql_user_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

class SqlApiTokenRepoTest : public testing::RepoTest<SqlApiTokenRepo> {
  protected:
    void SetUpRepo() override {
        users_ = std::make_unique<SqlUserRepo>(db_);
        for (const char* name : {"alice", "bob"}) {
            User u;
            u.username = name;
            auto id = users_->Add(u);
            ASSERT_TRUE(id) << id.error().detail;
            ids_.push_back(*id);
        }
    }

    static app::ApiToken Make(std::int64_t user_id, const std::string& name,
                              std::optional<std::int64_t> expires_at = std::nullopt) {
        app::ApiToken t;
        t.user_id = user_id;
        t.name = name;
        t.prefix = "rqw_" + name.substr(0, 6);
        t.digest = std::string(64, 'a') + std::to_string(user_id) + name;
        t.created_at = 1'700'000'000'000;
        t.expires_at = expires_at;
        return t;
    }

    std::int64_t Add(const app::ApiToken& t, int max = 20) {
        auto id = repo_->Add(t, max);
        EXPECT_TRUE(id) << id.error().public_msg << " / " << id.error().detail;
        return id.value_or(0);
    }

    std::unique_ptr<SqlUserRepo> users_;
    std::vector<std::int64_t> ids_;
};

TEST_P(SqlApiTokenRepoTest, AddsFindsAndLists) {
    const auto t = Make(ids_[0], "backup", 1'800'000'000'000);
    const std::int64_t id = Add(t);
    const std::int64_t id2 = Add(Make(ids_[0], "Sicherung für Büro"));
    Add(Make(ids_[1], "backup"));  // names are per user

    auto found = repo_->FindByDigest(t.digest);
    ASSERT_TRUE(found) << found.error().detail;
    EXPECT_EQ(found->id, id);
    EXPECT_EQ(found->user_id, ids_[0]);
    EXPECT_EQ(found->name, "backup");
    EXPECT_EQ(found->prefix, "rqw_backup");
    EXPECT_EQ(found->digest, t.digest);
    EXPECT_EQ(found->created_at, t.created_at);
    EXPECT_EQ(found->expires_at, 1'800'000'000'000);
    EXPECT_FALSE(found->last_used_at);

    auto list = repo_->ListOf(ids_[0]);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].id, id2);  // newest first
    EXPECT_EQ((*list)[0].name, "Sicherung für Büro");
    EXPECT_FALSE((*list)[0].expires_at);
    EXPECT_EQ((*list)[1].id, id);

    EXPECT_EQ(repo_->FindByDigest("nothing").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(repo_->FindByDigest(std::string(500, 'a')).error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(repo_->Find(ids_[0], id));
    EXPECT_EQ(repo_->Find(ids_[1], id).error().code, ErrorCode::kNotFound);
}

TEST_P(SqlApiTokenRepoTest, DuplicatesCapAndUnknownUser) {
    Add(Make(ids_[0], "one"));
    auto same_name = repo_->Add(Make(ids_[0], "one"), 20);
    ASSERT_FALSE(same_name);
    EXPECT_EQ(same_name.error().code, ErrorCode::kConflict);
    app::ApiToken same_digest = Make(ids_[1], "other");
    same_digest.digest = Make(ids_[0], "one").digest;
    EXPECT_EQ(repo_->Add(same_digest, 20).error().code, ErrorCode::kConflict);

    Add(Make(ids_[0], "two"), 2);
    auto full = repo_->Add(Make(ids_[0], "three"), 2);
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error().code, ErrorCode::kConflict);
    EXPECT_EQ(full.error().public_msg, "a user has at most 2 API tokens; revoke one first");
    EXPECT_EQ(repo_->Add(Make(ids_[1] + 100, "ghost"), 20).error().code, ErrorCode::kNotFound);
    app::ApiToken long_name = Make(ids_[1], std::string(256, 'n'));
    EXPECT_EQ(repo_->Add(long_name, 20).error().code, ErrorCode::kInvalidArgument);
}

// Concurrent adds of one user never pass the cap together.
TEST_P(SqlApiTokenRepoTest, ConcurrentAddsKeepTheCap) {
    if (Engine() == DialectKind::kSqlite) GTEST_SKIP() << "one writer at a time anyway";
    auto db2 = OpenDb(Options());
    ASSERT_TRUE(db2);
    SqlApiTokenRepo other(db2);
    std::barrier start(2);
    Result<std::int64_t> a = 0, b = 0;
    std::thread t([&] {
        start.arrive_and_wait();
        a = repo_->Add(Make(ids_[0], "a"), 1);
    });
    start.arrive_and_wait();
    b = other.Add(Make(ids_[0], "b"), 1);
    t.join();
    EXPECT_NE(a.has_value(), b.has_value());
    EXPECT_EQ(repo_->ListOf(ids_[0])->size(), 1u);
}

TEST_P(SqlApiTokenRepoTest, DeletesOnlyTheOwnersToken) {
    const std::int64_t id = Add(Make(ids_[0], "one"));
    EXPECT_EQ(repo_->Delete(ids_[1], id).error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(repo_->Find(ids_[0], id));
    ASSERT_TRUE(repo_->Delete(ids_[0], id));
    EXPECT_EQ(repo_->Find(ids_[0], id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(repo_->Delete(ids_[0], id).error().code, ErrorCode::kNotFound);
}

TEST_P(SqlApiTokenRepoTest, TouchWritesOnlyWhenOlderThanTheInterval) {
    const auto t = Make(ids_[0], "one");
    const std::int64_t id = Add(t);
    ASSERT_TRUE(repo_->Touch(id, 1'000'000, 940'000));
    EXPECT_EQ(repo_->FindByDigest(t.digest)->last_used_at, 1'000'000);
    ASSERT_TRUE(repo_->Touch(id, 1'030'000, 970'000));  // written 30 s ago: kept
    EXPECT_EQ(repo_->FindByDigest(t.digest)->last_used_at, 1'000'000);
    ASSERT_TRUE(repo_->Touch(id, 1'060'000, 1'000'000));
    EXPECT_EQ(repo_->FindByDigest(t.digest)->last_used_at, 1'060'000);
}

TEST_P(SqlApiTokenRepoTest, GoWithTheirUser) {
    const auto t = Make(ids_[1], "one");
    Add(t);
    ASSERT_TRUE(users_->Delete(ids_[1]));
    EXPECT_EQ(repo_->FindByDigest(t.digest).error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(repo_->ListOf(ids_[1])->empty());
}

RQWATCH_ON_EVERY_ENGINE(SqlApiTokenRepoTest);

}  // namespace
}  // namespace rqwatch::storage
