#include "storage/sqlite_native.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "storage/statement.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

class SqliteNativeTest : public testing::DbTest {};

// The handle is given on SQLite only; the servers' sessions keep to SOCI.
TEST_P(SqliteNativeTest, HandleOnlyOnSqlite) {
    auto db = OpenDb(Options());
    ASSERT_TRUE(db);
    auto native = db->Run<bool>("handle", [](soci::session& sql) -> Result<bool> {
        return NativeSqlite(sql) != nullptr;
    });
    ASSERT_TRUE(native) << native.error().detail;
    EXPECT_EQ(*native, Engine() == DialectKind::kSqlite);
}

// Parameters bind in order, rows come in the query's order, NULL reads as
// "", and the text keeps embedded bytes exactly (no NUL-termination cut).
TEST_P(SqliteNativeTest, StepsRowsWithBoundParameters) {
    if (Engine() != DialectKind::kSqlite) GTEST_SKIP() << "SQLite only";
    auto db = OpenDb(Options());
    ASSERT_TRUE(db);
    auto rows = db->Run<std::vector<std::string>>(
        "rows", [](soci::session& sql) -> Result<std::vector<std::string>> {
            ExecuteOnce(sql, "CREATE TABLE t (k INTEGER, v TEXT)");
            ExecuteOnce(sql, "INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'x' || char(0) || 'y'), "
                             "(4, 'b'), (5, 'c')");
            std::vector<std::string> out;
            SqliteEachRow(NativeSqlite(sql), "SELECT v FROM t WHERE k >= ? AND k <= ? ORDER BY k DESC",
                          {2, 4}, [&](sqlite3_stmt* st) { out.emplace_back(SqliteText(st, 0)); });
            return out;
        });
    ASSERT_TRUE(rows) << rows.error().detail;
    EXPECT_EQ(*rows, (std::vector<std::string>{"b", std::string("x\0y", 3), ""}));
}

// A failing statement is an error of Database::Run like any SOCI one: with
// SQLite's message, and "unavailable" when the database is busy.
TEST_P(SqliteNativeTest, ErrorsAreClassifiedLikeSociErrors) {
    if (Engine() != DialectKind::kSqlite) GTEST_SKIP() << "SQLite only";
    auto options = Options();
    options.busy_timeout_ms = 10;
    auto db = OpenDb(options);
    ASSERT_TRUE(db);
    auto bad = db->Run<int>("native read", [](soci::session& sql) -> Result<int> {
        SqliteEachRow(NativeSqlite(sql), "SELECT * FROM no_such_table", {}, [](sqlite3_stmt*) {});
        return 1;
    });
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kInternal);
    EXPECT_NE(bad.error().detail.find("no_such_table"), std::string::npos) << bad.error().detail;

    // Another connection holds the write lock: a write through the native
    // path waits busy_timeout, then fails as unavailable.
    auto other = OpenDb(options);
    ASSERT_TRUE(other);
    ASSERT_TRUE(db->Run<int>("table", [](soci::session& sql) -> Result<int> {
        ExecuteOnce(sql, "CREATE TABLE t (k INTEGER)");
        return 0;
    }));
    auto busy = other->Run<int>("lock", [&](soci::session& locked) -> Result<int> {
        ExecuteOnce(locked, "BEGIN IMMEDIATE");
        auto r = db->Run<int>("native write", [](soci::session& sql) -> Result<int> {
            SqliteEachRow(NativeSqlite(sql), "INSERT INTO t VALUES (?)", {1}, [](sqlite3_stmt*) {});
            return 1;
        });
        ExecuteOnce(locked, "ROLLBACK");
        if (r) return Fail(ErrorCode::kInternal, "the write went through a lock");
        EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().detail;
        return 0;
    });
    EXPECT_TRUE(busy) << busy.error().detail;
}

RQWATCH_ON_EVERY_ENGINE(SqliteNativeTest);

}  // namespace
}  // namespace rqwatch::storage
