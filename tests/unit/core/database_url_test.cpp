#include "core/database_url.hpp"

#include <gtest/gtest.h>

namespace rqwatch {
namespace {

TEST(DatabaseUrlTest, SqliteForms) {
    for (const auto& [url, path] : std::vector<std::pair<std::string, std::string>>{
             {"sqlite:/var/lib/rqwatch/rqwatch.db", "/var/lib/rqwatch/rqwatch.db"},
             {"sqlite:data/my db.sqlite", "data/my db.sqlite"},
             {"sqlite:///abs/x.db", "/abs/x.db"},
             {"sqlite3:/x.db", "/x.db"}}) {
        auto t = ParseDatabaseUrl(url);
        ASSERT_TRUE(t) << url << ": " << t.error().public_msg;
        EXPECT_EQ(t->engine, DatabaseEngine::kSqlite);
        EXPECT_EQ(t->backend, "sqlite3");
        EXPECT_EQ(t->sqlite_path, path);
        EXPECT_EQ(t->connect_string, "db=\"" + path + "\"");
    }
    EXPECT_FALSE(ParseDatabaseUrl("sqlite:"));
    EXPECT_FALSE(ParseDatabaseUrl("sqlite://relative/x.db"));
    EXPECT_FALSE(ParseDatabaseUrl("sqlite:/a\"b.db"));
}

TEST(DatabaseUrlTest, PostgresqlBecomesLibpqKeywords) {
    const std::string url =
        "postgresql://rq:s%40c%27ret@db.example:5433/rqwatch?sslmode=verify-full&connect_timeout=5";
    auto t = ParseDatabaseUrl(url);
    ASSERT_TRUE(t) << t.error().public_msg;
    EXPECT_EQ(t->engine, DatabaseEngine::kPostgresql);
    EXPECT_EQ(t->backend, "postgresql");
    EXPECT_EQ(t->connect_string,
              "host='db.example' port='5433' user='rq' password='s@c\\'ret' dbname='rqwatch' "
              "sslmode='verify-full' connect_timeout='5'");
    EXPECT_EQ(t->redacted,
              "postgresql://rq:***@db.example:5433/rqwatch?sslmode=verify-full&connect_timeout=5");
    auto short_form = ParseDatabaseUrl("postgres://h/db");
    ASSERT_TRUE(short_form);
    EXPECT_EQ(short_form->connect_string, "host='h' dbname='db'");
    EXPECT_FALSE(ParseDatabaseUrl("postgresql://"));
    EXPECT_FALSE(ParseDatabaseUrl("postgresql://h"));
    EXPECT_FALSE(ParseDatabaseUrl("postgresql://h/db?x%20y=1"));
}

TEST(DatabaseUrlTest, MysqlBecomesSociParametersWithQuoting) {
    // Password "p@ss' w\rd" percent-encoded; SOCI needs ' and \ escaped inside quotes.
    auto t =
        ParseDatabaseUrl("mysql://rq:p%40ss%27%20w%5Crd@127.0.0.1:3307/rq_db?ssl_ca=/etc/ca.pem");
    ASSERT_TRUE(t) << t.error().public_msg;
    EXPECT_EQ(t->engine, DatabaseEngine::kMysql);
    EXPECT_EQ(t->backend, "mysql");
    EXPECT_EQ(t->connect_string,
              "host='127.0.0.1' port='3307' user='rq' password='p@ss\\' w\\\\rd' db='rq_db' "
              "sslca='/etc/ca.pem' charset='utf8mb4'");
    EXPECT_EQ(t->redacted, "mysql://rq:***@127.0.0.1:3307/rq_db?ssl_ca=/etc/ca.pem");

    auto mariadb = ParseDatabaseUrl("mariadb://h/db?charset=latin1");
    ASSERT_TRUE(mariadb);
    EXPECT_EQ(mariadb->connect_string, "host='h' db='db' charset='latin1'");
}

TEST(DatabaseUrlTest, ErrorsNameTheProblemButNotThePassword) {
    for (const auto& [url, msg] : std::vector<std::pair<std::string, std::string>>{
             {"", "database URL must start with"},
             {"oracle://u:topsecret@h/db", "database URL must start with"},
             {"mysql://u:topsecret@h", "must name one database"},
             {"mysql://u:topsecret@h/a/b", "must name one database"},
             {"mysql://u:topsecret@/db", "mysql URL has no host"},
             {"mysql://u:topsecret@h/db?bogus=1", "unknown option \"bogus\""},
             {"mysql://u:topsecret@h:0/db", "invalid port"},
             {"postgresql://u:topsecret@h/db\x01", "is not a valid URL"}}) {
        auto t = ParseDatabaseUrl(url);
        ASSERT_FALSE(t) << url;
        EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
        EXPECT_NE(t.error().public_msg.find(msg), std::string::npos) << t.error().public_msg;
        EXPECT_EQ(t.error().public_msg.find("topsecret"), std::string::npos)
            << t.error().public_msg;
    }
}

TEST(DatabaseUrlTest, Redaction) {
    EXPECT_EQ(RedactDatabaseUrl("mysql://u:pw@h/db"), "mysql://u:***@h/db");
    EXPECT_EQ(RedactDatabaseUrl("mysql://u@h/db"), "mysql://u@h/db");
    EXPECT_EQ(RedactDatabaseUrl("sqlite:/x.db"), "sqlite:/x.db");
    EXPECT_EQ(RedactDatabaseUrl("weird://u:p w@h"), "weird://***@h");
}

}  // namespace
}  // namespace rqwatch
