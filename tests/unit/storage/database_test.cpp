#include "storage/database.hpp"

#include <gtest/gtest.h>

#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::DbTest;

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

TEST_F(DbTest, OpensWithDurableSettingsOnEveryConnection) {
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

TEST_F(DbTest, OpensAPathWithSpaces) {
    auto options = Options();
    options.path = (dir_.Path() / "with space").string();
    std::filesystem::create_directory(options.path);
    options.path += "/my db.sqlite";
    auto db = OpenDb(options);
    ASSERT_TRUE(db);
    EXPECT_TRUE(Migrate(*db));
    EXPECT_TRUE(std::filesystem::exists(options.path));
}

TEST_F(DbTest, RejectsBadOptions) {
    auto options = Options();
    options.driver = "oracle";
    auto r = Database::Open(options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().public_msg.find("oracle"), std::string::npos);

    options = Options();
    options.pool_size = 0;
    r = Database::Open(options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);

    options = Options();
    options.path.clear();
    r = Database::Open(options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(DbTest, MissingDirectoryIsUnavailableNotACrash) {
    auto options = Options();
    options.path = (dir_.Path() / "missing" / "rqwatch.db").string();
    auto r = Database::Open(options);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(r.error().public_msg, "database unavailable");
    EXPECT_NE(r.error().detail.find("missing"), std::string::npos) << r.error().detail;
}

TEST_F(DbTest, SqlErrorsBecomeResults) {
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

}  // namespace
}  // namespace rqwatch::storage
