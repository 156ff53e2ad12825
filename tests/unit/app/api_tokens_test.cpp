#include "app/api_tokens.hpp"

#include <gtest/gtest.h>

#include "account_fakes.hpp"

namespace rqwatch::app {
namespace {

constexpr std::int64_t kDay = 24 * 3600 * 1000LL;

class ApiTokensTest : public ::testing::Test {
  protected:
    void SetUp() override {
        for (const char* name : {"alice", "bob"}) {
            User u;
            u.username = name;
            u.email = std::string(name) + "@example.org";
            ids_.push_back(*users_.Add(u));
        }
        alice_ = Actor{ids_[0], "alice", "192.0.2.1", {}, {}};
        bob_ = Actor{ids_[1], "bob", "192.0.2.2", {}, {}};
    }

    testing::FakeUsers users_;
    testing::FakeApiTokens repo_;
    testing::FakeTokens tokens_;
    testing::FakeAudit audit_;
    std::int64_t now_ = 1'700'000'000'000;
    AuditTrail trail_{audit_, [this] { return now_; }};
    ApiTokens api_{repo_,
                   users_,
                   tokens_,
                   trail_,
                   ApiTokenOptions{.max_per_user = 3},
                   [this] { return now_; }};
    std::vector<std::int64_t> ids_;
    Actor alice_;
    Actor bob_;
};

TEST_F(ApiTokensTest, CreatedSecretAuthenticatesItsOwner) {
    auto created = api_.Create(alice_, "backup script", std::nullopt);
    ASSERT_TRUE(created) << created.error().public_msg;
    EXPECT_EQ(created->secret, "rqw_token1");
    EXPECT_EQ(created->token.prefix, "rqw_token1");  // FakeTokens' secrets are short
    // The store has the digest, never the secret.
    const ApiToken& stored = repo_.rows.at(created->token.id);
    EXPECT_EQ(stored.digest, "digest-of-rqw_token1");
    EXPECT_EQ(stored.created_at, now_);
    EXPECT_FALSE(stored.expires_at);

    auto who = api_.Authenticate("rqw_token1");
    ASSERT_TRUE(who) << who.error().public_msg;
    EXPECT_EQ(who->user.username, "alice");
    EXPECT_EQ(who->token.name, "backup script");
    EXPECT_EQ(repo_.rows.at(created->token.id).last_used_at, now_);

    EXPECT_EQ(audit_.Actions(), (std::vector<std::string>{"api_token.create"}));
    EXPECT_EQ(audit_.entries[0].target, ApiTokenTarget(created->token.id));
    EXPECT_EQ(audit_.entries[0].detail, "name \"backup script\"");
}

TEST_F(ApiTokensTest, UnknownMalformedOrOverLongSecretsAreRefused) {
    ASSERT_TRUE(api_.Create(alice_, "t", std::nullopt));
    for (const std::string& bad :
         {std::string("rqw_token2"), std::string("token1"), std::string("rqw_"), std::string(),
          "rqw_" + std::string(300, 'a')}) {
        auto r = api_.Authenticate(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated) << bad;
    }
}

TEST_F(ApiTokensTest, ExpiresAfterItsDays) {
    auto created = api_.Create(alice_, "week", 7);
    ASSERT_TRUE(created);
    EXPECT_EQ(created->token.expires_at, now_ + 7 * kDay);
    EXPECT_EQ(audit_.entries[0].detail, "name \"week\", 7 days");
    now_ += 7 * kDay - 1;
    EXPECT_TRUE(api_.Authenticate(created->secret));
    now_ += 1;
    auto expired = api_.Authenticate(created->secret);
    ASSERT_FALSE(expired);
    EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(expired.error().public_msg, "this API token has expired");
}

TEST_F(ApiTokensTest, LastUsedIsWrittenAtMostOnceAMinute) {
    auto created = api_.Create(alice_, "t", std::nullopt);
    ASSERT_TRUE(created);
    const std::int64_t first = now_;
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(api_.Authenticate(created->secret));
        now_ += 10'000;
    }
    EXPECT_EQ(repo_.touches, 1);
    EXPECT_EQ(repo_.rows.at(created->token.id).last_used_at, first);
    now_ = first + 60'000;
    ASSERT_TRUE(api_.Authenticate(created->secret));
    EXPECT_EQ(repo_.touches, 2);
}

TEST_F(ApiTokensTest, RevokedOrOwnerDeletedIsRefused) {
    auto a = api_.Create(alice_, "a", std::nullopt);
    auto b = api_.Create(bob_, "b", std::nullopt);
    ASSERT_TRUE(a && b);
    // Someone else's token is "not found", and stays.
    auto other = api_.Revoke(alice_, alice_.id, b->token.id);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(api_.Authenticate(b->secret));

    ASSERT_TRUE(api_.Revoke(alice_, alice_.id, a->token.id));
    EXPECT_EQ(api_.Authenticate(a->secret).error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(audit_.Actions().back(), "api_token.revoke");
    EXPECT_EQ(audit_.entries.back().detail, "name \"a\" of " + UserTarget(alice_.id));
    EXPECT_EQ(api_.Revoke(alice_, alice_.id, a->token.id).error().code, ErrorCode::kNotFound);

    ASSERT_TRUE(users_.Delete(bob_.id));
    EXPECT_EQ(api_.Authenticate(b->secret).error().code, ErrorCode::kUnauthenticated);
}

TEST_F(ApiTokensTest, ListsOnlyTheUsersOwnNewestFirst) {
    ASSERT_TRUE(api_.Create(alice_, "one", std::nullopt));
    ASSERT_TRUE(api_.Create(bob_, "bobs", std::nullopt));
    ASSERT_TRUE(api_.Create(alice_, "two", std::nullopt));
    auto list = api_.List(alice_.id);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].name, "two");
    EXPECT_EQ((*list)[1].name, "one");
    EXPECT_EQ(api_.List(999).error().code, ErrorCode::kNotFound);
}

TEST_F(ApiTokensTest, NamesAndLifetimesAreChecked) {
    for (const std::string& bad : {std::string(), std::string(101, 'n'), std::string("a\nb"),
                                   std::string("tab\there"), std::string("\xff\xfe")}) {
        auto r = api_.Create(alice_, bad, std::nullopt);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
    }
    EXPECT_TRUE(api_.Create(alice_, std::string(100, 'n'), std::nullopt));
    EXPECT_TRUE(api_.Create(alice_, "Sicherung für Büro", 3650));
    for (std::int64_t days : {0, -1, 3651}) {
        EXPECT_EQ(api_.Create(alice_, "d", days).error().code, ErrorCode::kInvalidArgument) << days;
    }
    EXPECT_TRUE(repo_.rows.size() == 2);
}

TEST_F(ApiTokensTest, CapAndDuplicateNamesAreConflicts) {
    ASSERT_TRUE(api_.Create(alice_, "one", std::nullopt));
    EXPECT_EQ(api_.Create(alice_, "one", std::nullopt).error().code, ErrorCode::kConflict);
    EXPECT_TRUE(api_.Create(bob_, "one", std::nullopt));  // names are per user
    ASSERT_TRUE(api_.Create(alice_, "two", std::nullopt));
    ASSERT_TRUE(api_.Create(alice_, "three", std::nullopt));
    auto full = api_.Create(alice_, "four", std::nullopt);
    ASSERT_FALSE(full);
    EXPECT_EQ(full.error().code, ErrorCode::kConflict);
}

TEST_F(ApiTokensTest, NeitherATokenNorALoginAsCreatesTokens) {
    Actor impersonated = alice_;
    impersonated.on_behalf_of = "admin";
    Actor script = alice_;
    script.via_token = "one";
    EXPECT_EQ(api_.Create(impersonated, "x", std::nullopt).error().code,
              ErrorCode::kPermissionDenied);
    EXPECT_EQ(api_.Create(script, "x", std::nullopt).error().code, ErrorCode::kPermissionDenied);
    EXPECT_TRUE(repo_.rows.empty());
    EXPECT_TRUE(audit_.entries.empty());
}

TEST_F(ApiTokensTest, ChangesMadeWithATokenSaySoInTheAudit) {
    Actor script = alice_;
    script.via_token = "nightly";
    trail_.Record(script, "mail.delete", "mail:1");
    trail_.Record(script, "profile.update", UserTarget(alice_.id), "notifications off");
    EXPECT_EQ(audit_.entries[0].detail, "via token \"nightly\"");
    EXPECT_EQ(audit_.entries[1].detail, "notifications off; via token \"nightly\"");
    EXPECT_EQ(audit_.entries[1].actor, "alice");
}

}  // namespace
}  // namespace rqwatch::app
