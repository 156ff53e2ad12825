#include "storage/database.hpp"

#include <gtest/gtest.h>

#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::DbTest;
using testing::SqliteTest;

template <class T>
T Pragma(Database& db, const std::string& name) {
    auto r = db.Run<T>("pragma", [&](soci::session& sql) -> Result<T> {
        T value{};
        ExecuteOnce(sql, "PRAGMA " + name, soci::into(value));
        return value;
    });
    EXPECT_TRUE(r) << r.error().detail;
    return r.value_or(T{});
}

TEST_F(SqliteTest, OpensWithDurableSettingsOnEveryConnection) {
    auto options = Options();
    options.pool_size = 3;
    auto db = OpenDb(options);
    ASSERT_TRUE(db);
    // Run() leases whichever connection is free; check several times so that
    // more than one pooled connection is likely seen (all are configured alike).
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(Pragma<std::string>(*db, "journal_mode"), "wal");
        EXPECT_EQ(Pragma<int>(*db, "synchronous"), 2);  // FULL
        EXPECT_EQ(Pragma<int>(*db, "foreign_keys"), 1);
        EXPECT_EQ(Pragma<int>(*db, "busy_timeout"), 5000);
    }
}

TEST_F(SqliteTest, OpensAPathWithSpaces) {
    auto options = Options();
    const auto dir = std::filesystem::path(dir_.path()) / "with space";
    std::filesystem::create_directory(dir);
    options.url = "sqlite:" + (dir / "my db.sqlite").string();
    auto db = OpenDb(options);
    ASSERT_TRUE(db);
    EXPECT_TRUE(Migrate(*db));
    EXPECT_TRUE(std::filesystem::exists(dir / "my db.sqlite"));
}

TEST_F(SqliteTest, RejectsBadOptions) {
    auto options = Options();
    options.url = "oracle://scott:tiger@db/orcl";
    auto r = Database::Open(options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().public_msg.find("oracle"), std::string::npos);
    EXPECT_EQ(r.error().public_msg.find("tiger"), std::string::npos) << r.error().public_msg;

    options = Options();
    options.pool_size = 0;
    r = Database::Open(options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);

    options = Options();
    options.url = "sqlite:";
    r = Database::Open(options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(SqliteTest, MissingDirectoryIsUnavailableNotACrash) {
    auto options = Options();
    options.url =
        "sqlite:" + (std::filesystem::path(dir_.path()) / "missing" / "rqwatch.db").string();
    auto r = Database::Open(options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(r.error().public_msg, "database unavailable");
    EXPECT_NE(r.error().detail.find("missing"), std::string::npos) << r.error().detail;
}

TEST_P(DbTest, SqlErrorsBecomeResults) {
    auto db = OpenDb(Options());
    ASSERT_TRUE(db);
    auto r = db->Run<int>("bad query", [](soci::session& sql) -> Result<int> {
        ExecuteOnce(sql, "SELECT * FROM no_such_table");
        return 1;
    });
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInternal);
    EXPECT_NE(r.error().detail.find("bad query"), std::string::npos);
    EXPECT_NE(r.error().detail.find("no_such_table"), std::string::npos);
}

// The server engines: a wrong password or a server that does not listen is a
// clear "database unavailable", with the URL but never the password.
TEST_P(DbTest, UnreachableServerIsUnavailable) {
    if (Engine() == DialectKind::kSqlite) GTEST_SKIP() << "no server";
    auto options = Options();
    const std::string base = options.url;  // parse_uri gives a view of it
    auto parsed = boost::urls::parse_uri(base);
    ASSERT_TRUE(parsed);
    boost::urls::url wrong_password(*parsed);
    wrong_password.set_password("not-the-password");
    options.url = std::string(wrong_password.buffer());
    auto r = Database::Open(options);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("opening database"), std::string::npos) << r.error().detail;
    EXPECT_EQ(r.error().detail.find("not-the-password"), std::string::npos) << r.error().detail;

    boost::urls::url no_server(*parsed);
    no_server.set_port_number(1);  // nothing listens on port 1
    options.url = std::string(no_server.buffer());
    r = Database::Open(options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().detail;
    EXPECT_EQ(r.error().public_msg, "database unavailable");
}

RQWATCH_ON_EVERY_ENGINE(DbTest);

}  // namespace
}  // namespace rqwatch::storage
