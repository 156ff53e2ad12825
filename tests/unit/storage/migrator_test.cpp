#include "storage/migrator.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "storage/sql_script.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::DbTest;

// Runs a query returning one integer (first row, first column).
int QueryInt(Database& db, const std::string& query) {
    auto r = db.Run<int>("test query", [&](soci::session& sql) -> Result<int> {
        int value = -1;
        ExecuteOnce(sql, query, soci::into(value));
        return value;
    });
    EXPECT_TRUE(r) << r.error().detail;
    return r.value_or(-1);
}

bool TableExists(Database& db, const std::string& name) {
    auto r = db.Run<int>("table exists", [&](soci::session& sql) -> Result<int> {
        int count = 0;
        ExecuteOnce(sql, db.GetDialect().TableExistsQuery(), soci::use(name, "name"),
                    soci::into(count));
        return count;
    });
    EXPECT_TRUE(r) << r.error().detail;
    return r.value_or(0) > 0;
}

int LatestEmbeddedVersion() {
    auto known = EmbeddedMigrationsFor(Dialect(DialectKind::kSqlite));
    EXPECT_TRUE(known);
    return known && !known->empty() ? known->back().version : 0;
}

TEST(EmbeddedMigrationsTest, SqliteStartsWithInitial) {
    auto known = EmbeddedMigrationsFor(Dialect(DialectKind::kSqlite));
    ASSERT_TRUE(known) << known.error().detail;
    ASSERT_FALSE(known->empty());
    EXPECT_EQ(known->front().version, 1);
    EXPECT_EQ(known->front().name, "initial");
    EXPECT_NE(known->front().sql.find("CREATE TABLE mails"), std::string::npos);
}

TEST_P(DbTest, MigratesEmptyDatabase) {
    auto db = OpenDb(Options());
    ASSERT_TRUE(db);

    auto before = GetMigrationStatus(*db);
    ASSERT_TRUE(before) << before.error().detail;
    EXPECT_EQ(before->current_version, 0);
    EXPECT_TRUE(before->HasPending());
    auto version = CurrentVersion(*db);
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, 0);

    auto applied = Migrate(*db);
    ASSERT_TRUE(applied) << applied.error().detail;
    EXPECT_EQ(*applied, static_cast<int>(before->pending.size()));

    version = CurrentVersion(*db);
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, LatestEmbeddedVersion());
    auto after = GetMigrationStatus(*db);
    ASSERT_TRUE(after);
    EXPECT_FALSE(after->HasPending());
    EXPECT_EQ(after->current_version, after->latest_version);

    for (const char* table : {"mails", "mail_recipients", "mail_symbols", "users", "report_daily",
                              "user_aliases", "sessions", "audit_log"}) {
        EXPECT_TRUE(TableExists(*db, table)) << table;
    }
    EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM schema_migrations WHERE applied_at > 0"),
              *applied);
}

TEST(EmbeddedMigrationsTest, EveryDialectHasTheSameVersions) {
    const auto names = [](DialectKind kind) {
        std::vector<std::string> out;
        auto known = EmbeddedMigrationsFor(Dialect(kind));
        EXPECT_TRUE(known);
        for (const Migration& m : known.value_or(std::vector<Migration>{})) {
            out.push_back(std::to_string(m.version) + "_" + m.name);
        }
        return out;
    };
    const auto sqlite = names(DialectKind::kSqlite);
    EXPECT_EQ(names(DialectKind::kPostgresql), sqlite);
    EXPECT_EQ(names(DialectKind::kMysql), sqlite);
    EXPECT_NE(std::ranges::find(sqlite, "7_accounts"), sqlite.end());
}

// Users from before migration 0007 keep their rows, with the new columns'
// defaults and updated_at = created_at.
TEST_P(DbTest, AccountsMigrationKeepsExistingUsers) {
    auto db = OpenDb(Options());
    ASSERT_TRUE(db);
    auto known = EmbeddedMigrationsFor(db->GetDialect());
    ASSERT_TRUE(known);
    std::vector<Migration> before_accounts;
    for (const Migration& m : *known) {
        if (m.version < 7) before_accounts.push_back(m);
    }
    ASSERT_TRUE(Migrate(*db, before_accounts));
    auto inserted = db->Run<bool>("test", [](soci::session& sql) -> Result<bool> {
        ExecuteOnce(sql,
                    "INSERT INTO users (username, email, is_admin, password_hash, created_at) "
                    "VALUES ('old', 'old@example.com', 1, 'hash', 1234)");
        return true;
    });
    ASSERT_TRUE(inserted);

    auto applied = Migrate(*db);
    ASSERT_TRUE(applied) << applied.error().detail;
    EXPECT_EQ(*applied, static_cast<int>(known->size() - before_accounts.size()));
    EXPECT_EQ(QueryInt(*db,
                       "SELECT COUNT(*) FROM users WHERE username = 'old' AND "
                       "updated_at = 1234 AND first_name = '' AND last_name = '' AND "
                       "admin_domains = '' AND notifications_disabled = 0 AND provider = 0"),
              1);
}

TEST_P(DbTest, SecondMigrateIsNoop) {
    auto db = OpenMigrated();
    ASSERT_TRUE(db);
    auto again = Migrate(*db);
    ASSERT_TRUE(again) << again.error().detail;
    EXPECT_EQ(*again, 0);

    // Also from a fresh process (new connections).
    db.reset();
    auto reopened = OpenDb(Options());
    ASSERT_TRUE(reopened);
    auto third = Migrate(*reopened);
    ASSERT_TRUE(third);
    EXPECT_EQ(*third, 0);
}

TEST_P(DbTest, RefusesNewerSchemaVersion) {
    auto db = OpenMigrated();
    ASSERT_TRUE(db);
    auto inserted = db->Run<bool>("test", [](soci::session& sql) -> Result<bool> {
        ExecuteOnce(sql,
                    "INSERT INTO schema_migrations (version, name, applied_at) "
                    "VALUES (9999, 'future', 1)");
        return true;
    });
    ASSERT_TRUE(inserted);

    const std::string expected =
        "database schema version 9999 is newer than this rqwatch "
        "(knows up to " +
        std::to_string(LatestEmbeddedVersion()) + ")";
    auto migrated = Migrate(*db);
    ASSERT_FALSE(migrated);
    EXPECT_EQ(migrated.error().code, ErrorCode::kConflict);
    EXPECT_EQ(migrated.error().public_msg, expected);

    auto status = GetMigrationStatus(*db);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().public_msg, expected);

    auto version = CurrentVersion(*db);
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, 9999);
}

TEST_P(DbTest, RefusesUnknownOlderVersion) {
    auto db = OpenDb(Options());
    ASSERT_TRUE(db);
    std::vector<Migration> first = {{1, "one", "CREATE TABLE t1 (x INTEGER)"},
                                    {2, "two", "CREATE TABLE t2 (x INTEGER)"}};
    ASSERT_TRUE(Migrate(*db, first));
    // A binary whose history lacks version 2 but goes further.
    std::vector<Migration> other = {{1, "one", "CREATE TABLE t1 (x INTEGER)"},
                                    {3, "three", "CREATE TABLE t3 (x INTEGER)"}};
    auto r = Migrate(*db, other);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_NE(r.error().public_msg.find("version 2"), std::string::npos);
}

TEST_P(DbTest, AppliesInVersionOrderEachInItsOwnTransaction) {
    if (Engine() == DialectKind::kMysql) {
        GTEST_SKIP() << "MySQL commits DDL implicitly: a failed migration is not rolled back";
    }
    auto db = OpenDb(Options());
    ASSERT_TRUE(db);
    // Given out of order: 2 depends on 1.
    std::vector<Migration> migrations = {
        {2, "add_row", "INSERT INTO t (x) VALUES (42);"},
        {1, "create",
         "-- a comment; with a semicolon\nCREATE TABLE t (x INTEGER, s TEXT "
         "DEFAULT 'a;b');\nCREATE INDEX t_x ON t (x);"},
        // Fails half-way: its table must not survive, its version not be recorded.
        {3, "broken", "CREATE TABLE u (x INTEGER); INSERT INTO nope VALUES (1);"},
    };
    auto r = Migrate(*db, migrations);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInternal);
    EXPECT_NE(r.error().detail.find("0003_broken"), std::string::npos) << r.error().detail;

    auto version = CurrentVersion(*db);
    ASSERT_TRUE(version);
    EXPECT_EQ(*version, 2);
    EXPECT_EQ(QueryInt(*db, "SELECT x FROM t"), 42);
    EXPECT_FALSE(TableExists(*db, "u"));
    EXPECT_TRUE(TableExists(*db, "t"));

    // Fixed migration 3 applies on the next run; 1 and 2 are not re-run.
    migrations[2].sql = "CREATE TABLE u (x INTEGER);";
    auto fixed = Migrate(*db, migrations);
    ASSERT_TRUE(fixed) << fixed.error().detail;
    EXPECT_EQ(*fixed, 1);
    EXPECT_EQ(QueryInt(*db, "SELECT COUNT(*) FROM t"), 1);
}

TEST_P(DbTest, RejectsDuplicateVersions) {
    auto db = OpenDb(Options());
    ASSERT_TRUE(db);
    auto r = Migrate(*db, {{1, "a", "SELECT 1"}, {1, "b", "SELECT 1"}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInternal);
}

TEST(SqlScriptTest, SplitsOutsideStringsAndComments) {
    const auto parts = SplitSqlScript(
        "CREATE TABLE a (s TEXT DEFAULT ';');\n"
        "-- comment; not a statement\n"
        "/* block; comment */ INSERT INTO a VALUES ('it''s; fine');\n"
        "CREATE TABLE \"b;c\" (x INTEGER)\n"
        ";;  \n-- trailing comment only\n");
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[0], "CREATE TABLE a (s TEXT DEFAULT ';')");
    EXPECT_EQ(parts[1], "INSERT INTO a VALUES ('it''s; fine')");
    EXPECT_EQ(parts[2], "CREATE TABLE \"b;c\" (x INTEGER)");
}

// Comments never reach the engine: SOCI would read ":word" in them as a
// placeholder. Quotes inside comments do not open strings.
TEST(SqlScriptTest, DropsCommentsWithColonsAndQuotes) {
    const auto parts = SplitSqlScript(
        "-- utf8mb4_bin: byte-wise; it's fine\nCREATE TABLE t (x INT /* :x isn't bound */);\n"
        "INSERT INTO t VALUES (':kept -- in a string')");
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0], "CREATE TABLE t (x INT  )");
    EXPECT_EQ(parts[1], "INSERT INTO t VALUES (':kept -- in a string')");
}

TEST(SqlScriptTest, EmptyScript) {
    EXPECT_TRUE(SplitSqlScript("").empty());
    EXPECT_TRUE(SplitSqlScript("  -- nothing\n/* here */ ;").empty());
}

}  // namespace
}  // namespace rqwatch::storage
