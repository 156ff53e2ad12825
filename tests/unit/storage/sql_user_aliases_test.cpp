// SqlUserRepo's alias methods (sql_user_aliases.cpp).
#include <gtest/gtest.h>

#include "storage/sql_user_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using Names = std::vector<std::string>;

class SqlUserAliasTest : public testing::RepoTest<SqlUserRepo> {
  protected:
    void SetUpRepo() override {
        alice_ = AddUser("alice");
        bob_ = AddUser("bob");
    }

    std::int64_t AddUser(const std::string& name) {
        User u;
        u.username = name;
        auto id = repo_->Add(u);
        EXPECT_TRUE(id) << id.error().detail;
        return id.value_or(0);
    }

    Names AliasNames(std::int64_t user_id) {
        auto aliases = repo_->AliasesOf(user_id);
        EXPECT_TRUE(aliases) << aliases.error().detail;
        Names out;
        for (const Alias& a : aliases.value_or(std::vector<Alias>{})) out.push_back(a.alias);
        return out;
    }

    Names Listed(const app::UserListQuery& query) {
        auto aliases = repo_->ListAliases(query);
        EXPECT_TRUE(aliases) << aliases.error().public_msg << " / " << aliases.error().detail;
        Names out;
        for (const Alias& a : aliases.value_or(std::vector<Alias>{})) out.push_back(a.alias);
        return out;
    }

    Names Search(const std::string& contains) {
        return Listed({.contains = contains, .limit = 1000});
    }

    std::int64_t alice_ = 0;
    std::int64_t bob_ = 0;
};

TEST_P(SqlUserAliasTest, AddsNormalisedAliasesOrderedByAddress) {
    auto id = repo_->AddAlias(alice_, "  <Zed@Example.COM> ");
    ASSERT_TRUE(id) << id.error().detail;
    EXPECT_GT(*id, 0);
    ASSERT_TRUE(repo_->AddAlias(alice_, "ann@example.com"));
    EXPECT_EQ(AliasNames(alice_), (Names{"ann@example.com", "zed@example.com"}));
    EXPECT_EQ(AliasNames(bob_), Names{});
    EXPECT_EQ(AliasNames(9999), Names{});  // an unknown user has none

    auto aliases = repo_->AliasesOf(alice_);
    ASSERT_TRUE(aliases);
    const Alias& zed = aliases->back();
    EXPECT_EQ(zed.id, *id);
    EXPECT_EQ(zed.user_id, alice_);
    EXPECT_GT(zed.created_at, 1'600'000'000'000);
    EXPECT_EQ(zed.updated_at, zed.created_at);
}

TEST_P(SqlUserAliasTest, DuplicateAliasIsConflict) {
    ASSERT_TRUE(repo_->AddAlias(alice_, "shared@example.com"));
    auto again = repo_->AddAlias(alice_, "Shared@Example.com");  // the same once normalised
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(again.error().public_msg, "the user has this alias already");
    // Another user may receive the same address.
    EXPECT_TRUE(repo_->AddAlias(bob_, "shared@example.com"));
    EXPECT_EQ(AliasNames(alice_), Names{"shared@example.com"});
}

TEST_P(SqlUserAliasTest, AliasOfUnknownUserIsNotFound) {
    auto r = repo_->AddAlias(alice_ + bob_ + 100, "x@example.com");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(Search("x@"), Names{});
}

TEST_P(SqlUserAliasTest, EmptyAndOverLongAliasesAreRejected) {
    for (const std::string& bad : {std::string(""), std::string("  "), std::string(513, 'a')}) {
        auto r = repo_->AddAlias(alice_, bad);
        ASSERT_FALSE(r) << bad.size();
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
    const std::string longest = std::string(500, 'a') + "@example.com";  // 512
    ASSERT_TRUE(repo_->AddAlias(alice_, longest));
    EXPECT_EQ(AliasNames(alice_), Names{longest});
    auto set = repo_->SetAliases(alice_, {"ok@example.com", std::string(513, 'a')});
    ASSERT_FALSE(set);
    EXPECT_EQ(set.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(AliasNames(alice_), Names{longest});
}

TEST_P(SqlUserAliasTest, UpdatesAnAlias) {
    auto id = repo_->AddAlias(alice_, "old@example.com");
    ASSERT_TRUE(id);
    ASSERT_TRUE(repo_->AddAlias(alice_, "taken@example.com"));
    auto r = repo_->UpdateAlias(*id, "New@Example.com");
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(AliasNames(alice_), (Names{"new@example.com", "taken@example.com"}));
    auto updated = repo_->AliasesOf(alice_);
    EXPECT_EQ(updated->front().id, *id);
    EXPECT_GE(updated->front().updated_at, updated->front().created_at);

    auto taken = repo_->UpdateAlias(*id, "taken@example.com");
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
    auto unknown = repo_->UpdateAlias(*id + 100, "u@example.com");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
    auto empty = repo_->UpdateAlias(*id, "");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(AliasNames(alice_), (Names{"new@example.com", "taken@example.com"}));
}

TEST_P(SqlUserAliasTest, DeletesAnAlias) {
    auto id = repo_->AddAlias(alice_, "a@example.com");
    ASSERT_TRUE(id);
    ASSERT_TRUE(repo_->AddAlias(alice_, "b@example.com"));
    ASSERT_TRUE(repo_->DeleteAlias(*id));
    EXPECT_EQ(AliasNames(alice_), Names{"b@example.com"});
    auto again = repo_->DeleteAlias(*id);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_P(SqlUserAliasTest, SetAliasesKeepsAddsAndRemoves) {
    auto kept = repo_->AddAlias(alice_, "keep@example.com");
    ASSERT_TRUE(kept);
    ASSERT_TRUE(repo_->AddAlias(alice_, "drop@example.com"));
    ASSERT_TRUE(repo_->AddAlias(bob_, "drop@example.com"));
    const auto before = repo_->AliasesOf(alice_);

    auto r = repo_->SetAliases(alice_, {"new@example.com", "KEEP@example.com", "new@example.com"});
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(AliasNames(alice_), (Names{"keep@example.com", "new@example.com"}));
    auto after = repo_->AliasesOf(alice_);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->front().id, *kept);  // the row stays
    EXPECT_EQ(after->front().created_at, before->back().created_at);
    EXPECT_EQ(AliasNames(bob_), Names{"drop@example.com"});  // others' untouched

    ASSERT_TRUE(repo_->SetAliases(alice_, {"keep@example.com", "new@example.com"}));
    EXPECT_EQ(repo_->AliasesOf(alice_)->back().id, after->back().id);  // no churn

    ASSERT_TRUE(repo_->SetAliases(alice_, {}));
    EXPECT_EQ(AliasNames(alice_), Names{});

    auto unknown = repo_->SetAliases(alice_ + bob_ + 100, {"x@example.com"});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(SqlUserAliasTest, ListsNewestFirstInPagesSearchingAliasAndOwner) {
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(
            repo_->AddAlias(i % 2 == 0 ? alice_ : bob_, "a" + std::to_string(i) + "@example.com"));
    }
    EXPECT_EQ(Listed({.limit = 2}), (Names{"a4@example.com", "a3@example.com"}));
    auto first = repo_->ListAliases({.limit = 2});
    ASSERT_TRUE(first);
    EXPECT_EQ(Listed({.limit = 2, .before_id = first->back().id}),
              (Names{"a2@example.com", "a1@example.com"}));
    EXPECT_EQ(Search("A3@"), Names{"a3@example.com"});                      // the alias
    EXPECT_EQ(Search("BOB"), (Names{"a3@example.com", "a1@example.com"}));  // the owner
    EXPECT_EQ(Listed({.contains = "alice", .limit = 1}), Names{"a4@example.com"});
    for (int limit : {0, 1001}) {
        auto r = repo_->ListAliases({.limit = limit});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
}

TEST_P(SqlUserAliasTest, SearchTakesWildcardsQuotesAndSqlLiterally) {
    for (const char* alias : {"100%@example.com", "a_b@example.com", "axb@example.com",
                              "o'hara@example.com", "plain@example.com"}) {
        ASSERT_TRUE(repo_->AddAlias(alice_, alias));
    }
    EXPECT_EQ(Search("%"), Names{"100%@example.com"});
    EXPECT_EQ(Search("a_b"), Names{"a_b@example.com"});
    EXPECT_EQ(Search("o'h"), Names{"o'hara@example.com"});
    EXPECT_EQ(Search("' OR 1=1 --"), Names{});
    EXPECT_EQ(Search("\" OR \"\"=\""), Names{});
    EXPECT_EQ(Search("@example.com").size(), 5u);
}

RQWATCH_ON_EVERY_ENGINE(SqlUserAliasTest);

}  // namespace
}  // namespace rqwatch::storage
