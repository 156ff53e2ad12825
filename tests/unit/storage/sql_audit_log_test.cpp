#include "storage/sql_audit_log.hpp"

#include <gtest/gtest.h>

#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using Actions = std::vector<std::string>;

class SqlAuditLogTest : public testing::RepoTest<SqlAuditLog> {
  protected:
    void Record(std::int64_t at, const std::string& action, const std::string& target = "",
                const std::string& detail = "", const std::string& actor = "admin",
                const std::string& ip = "192.0.2.7") {
        auto r = repo_->Record({.at = at,
                                .actor = actor,
                                .ip = ip,
                                .action = action,
                                .target = target,
                                .detail = detail});
        ASSERT_TRUE(r) << r.error().detail;
    }

    Actions Search(const app::AuditQuery& query) {
        auto entries = repo_->Search(query);
        EXPECT_TRUE(entries) << entries.error().public_msg << " / " << entries.error().detail;
        Actions out;
        for (const auto& e : entries.value_or(std::vector<app::AuditEntry>{})) {
            out.push_back(e.action);
        }
        return out;
    }

    Actions Contains(const std::string& text) { return Search({.contains = text, .limit = 1000}); }
};

TEST_P(SqlAuditLogTest, RecordsEveryField) {
    app::AuditEntry e{.at = 1'700'000'000'123,
                      .actor = "alice",
                      .actor_id = 7,
                      .on_behalf_of = "root",
                      .ip = "2001:db8::7",
                      .action = "mail.release",
                      .target = "mail:123",
                      .detail = "to bob@example.com"};
    ASSERT_TRUE(repo_->Record(e));
    ASSERT_TRUE(repo_->Record({.at = 5, .action = "login_failed"}));  // anonymous

    auto entries = repo_->Search({.limit = 10});
    ASSERT_TRUE(entries) << entries.error().detail;
    ASSERT_EQ(entries->size(), 2u);
    const app::AuditEntry& anonymous = entries->at(0);  // newest id first
    EXPECT_EQ(anonymous.action, "login_failed");
    EXPECT_EQ(anonymous.at, 5);
    EXPECT_EQ(anonymous.actor, "");
    EXPECT_FALSE(anonymous.actor_id);
    const app::AuditEntry& found = entries->at(1);
    EXPECT_GT(found.id, 0);
    EXPECT_LT(found.id, anonymous.id);
    EXPECT_EQ(found.at, e.at);
    EXPECT_EQ(found.actor, "alice");
    EXPECT_EQ(found.actor_id, 7);
    EXPECT_EQ(found.on_behalf_of, "root");
    EXPECT_EQ(found.ip, "2001:db8::7");
    EXPECT_EQ(found.action, "mail.release");
    EXPECT_EQ(found.target, "mail:123");
    EXPECT_EQ(found.detail, "to bob@example.com");
}

TEST_P(SqlAuditLogTest, PagesNewestFirst) {
    for (int i = 0; i < 5; ++i) Record(1'000 + i, "a" + std::to_string(i));
    EXPECT_EQ(Search({.limit = 2}), (Actions{"a4", "a3"}));
    auto first = repo_->Search({.limit = 2});
    ASSERT_TRUE(first);
    auto second = repo_->Search({.limit = 2, .before_id = first->back().id});
    ASSERT_TRUE(second);
    ASSERT_EQ(second->size(), 2u);
    EXPECT_EQ(second->front().action, "a2");
    EXPECT_EQ(Search({.limit = 2, .before_id = second->back().id}), Actions{"a0"});
    for (int limit : {0, 1001}) {
        auto r = repo_->Search({.limit = limit});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
    EXPECT_EQ(Search({.limit = 1000}).size(), 5u);
}

TEST_P(SqlAuditLogTest, SearchesEachColumnCaseInsensitively) {
    Record(1, "login", "", "", "Alice", "198.51.100.1");
    Record(2, "user.add", "user:42", "", "bob", "198.51.100.2");
    Record(3, "mail.delete", "mail:9", "Spam From Mallory", "carol", "203.0.113.3");
    EXPECT_EQ(Contains("alice"), Actions{"login"});            // actor
    EXPECT_EQ(Contains("USER."), Actions{"user.add"});         // action
    EXPECT_EQ(Contains("user:4"), Actions{"user.add"});        // target
    EXPECT_EQ(Contains("mallory"), Actions{"mail.delete"});    // detail
    EXPECT_EQ(Contains("203.0.113"), Actions{"mail.delete"});  // ip
    EXPECT_EQ(Contains("198.51.100."), (Actions{"user.add", "login"}));
    EXPECT_EQ(Contains("nothing"), Actions{});
}

TEST_P(SqlAuditLogTest, SearchTakesWildcardsQuotesAndSqlLiterally) {
    Record(1, "pct", "", "100% sure");
    Record(2, "underscore", "", "a_b");
    Record(3, "axb", "", "axb");
    Record(4, "quote", "", "it's");
    Record(5, "plain", "", "plain");
    EXPECT_EQ(Contains("%"), Actions{"pct"});
    EXPECT_EQ(Contains("a_b"), Actions{"underscore"});
    EXPECT_EQ(Contains("'"), Actions{"quote"});
    EXPECT_EQ(Contains("' OR 1=1 --"), Actions{});
    EXPECT_EQ(Contains("'); DELETE FROM audit_log; --"), Actions{});
    EXPECT_EQ(Search({.limit = 1000}).size(), 5u);
}

TEST_P(SqlAuditLogTest, SinceAndContainsTogether) {
    Record(1'000, "login", "", "early");
    Record(2'000, "logout", "", "later");
    Record(3'000, "login", "", "latest");
    EXPECT_EQ(Search({.since = 2'000, .limit = 10}), (Actions{"login", "logout"}));
    EXPECT_EQ(Search({.since = 3'001, .limit = 10}), Actions{});
    auto r = repo_->Search({.contains = "login", .since = 1'500, .limit = 10});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ(r->front().detail, "latest");
    // since, contains and a page boundary at once.
    EXPECT_EQ(Search({.contains = "LOG", .since = 1'000, .limit = 10, .before_id = r->front().id}),
              (Actions{"logout", "login"}));
}

TEST_P(SqlAuditLogTest, OverLongValuesAreCut) {
    std::string actor;
    for (int i = 0; i < 300; ++i) actor += "é";  // characters, not bytes
    ASSERT_TRUE(repo_->Record({.at = 1,
                               .actor = actor,
                               .on_behalf_of = std::string(300, 'o'),
                               .ip = std::string(100, '9'),
                               .action = std::string(100, 'a'),
                               .target = std::string(300, 't'),
                               .detail = std::string(5000, 'd')}));
    auto entries = repo_->Search({.limit = 1});
    ASSERT_TRUE(entries) << entries.error().detail;
    ASSERT_EQ(entries->size(), 1u);
    const app::AuditEntry& e = entries->front();
    std::string cut_actor;
    for (int i = 0; i < 255; ++i) cut_actor += "é";
    EXPECT_EQ(e.actor, cut_actor);
    EXPECT_EQ(e.on_behalf_of, std::string(255, 'o'));
    EXPECT_EQ(e.ip, std::string(64, '9'));
    EXPECT_EQ(e.action, std::string(64, 'a'));
    EXPECT_EQ(e.target, std::string(255, 't'));
    EXPECT_EQ(e.detail, std::string(4096, 'd'));
}

RQWATCH_ON_EVERY_ENGINE(SqlAuditLogTest);

}  // namespace
}  // namespace rqwatch::storage
