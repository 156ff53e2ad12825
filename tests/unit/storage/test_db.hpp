#pragma once
// Shared fixture helpers for the storage tests.
//
// DbTest runs each case on every engine: SQLite in a temp directory, and the
// real PostgreSQL and MariaDB servers that tests/harness/db_servers.sh started
// (CTest does it; their URLs are in $RQWATCH_TEST_DB_DIR/{postgresql,mysql}.url).
// Every case gets a database of its own (CREATE DATABASE rqwatch_test_…),
// dropped afterwards. Without RQWATCH_TEST_DB_DIR (running the binary by hand)
// the server engines are skipped with a message; with it, a missing URL fails.

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "core/database_url.hpp"
#include "core/mail.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/statement.hpp"
#include "temp_dir.hpp"

namespace rqwatch::storage::testing {

using ::rqwatch::testing::TempDir;

inline std::string EngineName(DialectKind kind) { return std::string(Dialect(kind).Name()); }

// The server's URL from the harness, or "" when the tests run without it.
// Sets *why to the reason when there is none.
inline std::string ServerUrl(DialectKind kind, std::string* why) {
    const char* dir = std::getenv("RQWATCH_TEST_DB_DIR");
    if (dir == nullptr || *dir == '\0') {
        *why = "RQWATCH_TEST_DB_DIR is not set (run through ctest, which starts the servers)";
        return {};
    }
    const std::string file = std::string(dir) + "/" + EngineName(kind) + ".url";
    std::ifstream in(file);
    std::string url;
    std::getline(in, url);
    if (url.empty()) *why = "no URL in " + file;
    return url;
}

// A database of its own on a server engine, dropped when this goes away.
class ServerDatabase {
  public:
    ServerDatabase(DialectKind kind, const std::string& base_url) : kind_(kind) {
        static std::atomic<int> counter{0};
        name_ = "rqwatch_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        auto target = ParseDatabaseUrl(base_url);
        if (!target) throw std::runtime_error("bad test URL: " + target.error().public_msg);
        admin_url_ = base_url;
        auto parsed = boost::urls::parse_uri(base_url);
        if (!parsed) throw std::runtime_error("bad test URL");
        boost::urls::url u(*parsed);
        u.set_path("/" + name_);
        url_ = std::string(u.buffer());
        Admin("CREATE DATABASE " + name_);
    }
    ~ServerDatabase() {
        // An autovacuum worker busy in the database makes PostgreSQL refuse
        // WITH (FORCE) to an ordinary role ("must be a member of the role
        // whose process is being terminated"); it is gone a moment later.
        for (int attempt = 1;; ++attempt) {
            try {
                Admin(kind_ == DialectKind::kPostgresql
                          ? "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)"
                          : "DROP DATABASE IF EXISTS " + name_);
                return;
            } catch (const std::exception& e) {
                if (attempt == 10) {
                    ADD_FAILURE() << "cannot drop test database " << name_ << ": " << e.what();
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
            }
        }
    }
    ServerDatabase(const ServerDatabase&) = delete;
    ServerDatabase& operator=(const ServerDatabase&) = delete;

    [[nodiscard]] const std::string& Url() const { return url_; }

  private:
    void Admin(const std::string& statement) const {
        auto target = ParseDatabaseUrl(admin_url_);
        soci::session sql(target->backend, target->connect_string);
        ExecuteOnce(sql, statement);
    }

    DialectKind kind_;
    std::string name_;
    std::string admin_url_;
    std::string url_;
};

// Base of the storage fixtures: a fresh database of Engine() per test.
class EngineTest {
  protected:
    // Call from SetUp(); false when the engine is not reachable: with a
    // reason in *skip when the test should be skipped, else after a failure.
    bool PrepareEngine(DialectKind kind, std::string* skip) {
        kind_ = kind;
        if (kind == DialectKind::kSqlite) {
            url_ = "sqlite:" + (std::filesystem::path(dir_.path()) / "rqwatch.db").string();
            return true;
        }
        std::string why;
        const std::string base = ServerUrl(kind, &why);
        if (base.empty()) {
            if (std::getenv("RQWATCH_TEST_DB_DIR") == nullptr) {
                *skip = EngineName(kind) + " not tested: " + why;
            } else {
                ADD_FAILURE() << EngineName(kind) << ": " << why;
            }
            return false;
        }
        server_db_ = std::make_unique<ServerDatabase>(kind, base);
        url_ = server_db_->Url();
        return true;
    }

    [[nodiscard]] DialectKind Engine() const { return kind_; }

    [[nodiscard]] DatabaseOptions Options() const {
        DatabaseOptions options;
        options.url = url_;
        options.pool_size = 2;
        return options;
    }

    std::shared_ptr<Database> OpenDb(const DatabaseOptions& options) {
        auto db = Database::Open(options);
        if (!db) {
            ADD_FAILURE() << "open failed: " << db.error().public_msg << " / " << db.error().detail;
            return nullptr;
        }
        return *db;
    }

    std::shared_ptr<Database> OpenMigrated() {
        auto db = OpenDb(Options());
        if (!db) return nullptr;
        auto applied = Migrate(*db);
        if (!applied) {
            ADD_FAILURE() << "migrate failed: " << applied.error().public_msg << " / "
                          << applied.error().detail;
            return nullptr;
        }
        return db;
    }

    TempDir dir_;
    DialectKind kind_ = DialectKind::kSqlite;
    std::string url_;
    std::unique_ptr<ServerDatabase> server_db_;
};

// Runs on every engine: TEST_P(DbTest, …) / TEST_P(SubclassOfDbTest, …) and
// RQWATCH_ON_EVERY_ENGINE(Fixture) once per fixture.
class DbTest : public ::testing::TestWithParam<DialectKind>, protected EngineTest {
  protected:
    void SetUp() override {
        std::string skip;
        if (!PrepareEngine(GetParam(), &skip) && !skip.empty()) GTEST_SKIP() << skip;
    }
};

// DbTest with a migrated database (db_) and what is built on it (repo_);
// fixtures continue their set-up in SetUpRepo().
template <class Repo>
class RepoTest : public DbTest {
  protected:
    void SetUp() override {
        DbTest::SetUp();
        if (IsSkipped() || HasFailure()) return;
        db_ = OpenMigrated();
        ASSERT_TRUE(db_);
        repo_ = std::make_unique<Repo>(db_);
        SetUpRepo();
    }
    virtual void SetUpRepo() {}

    std::shared_ptr<Database> db_;
    std::unique_ptr<Repo> repo_;
};

// SQLite only: file paths, PRAGMAs, SQLite's locking.
class SqliteTest : public ::testing::Test, protected EngineTest {
  protected:
    void SetUp() override {
        std::string skip;
        PrepareEngine(DialectKind::kSqlite, &skip);
    }
};

}  // namespace rqwatch::storage::testing

namespace rqwatch {
// gtest prints parameters with this (instead of their bytes).
inline void PrintTo(DatabaseEngine engine, std::ostream* os) {
    *os << storage::testing::EngineName(engine);
}
}  // namespace rqwatch

namespace rqwatch::storage::testing {

struct EngineParamName {
    std::string operator()(const ::testing::TestParamInfo<DialectKind>& info) const {
        return EngineName(info.param);
    }
};

#define RQWATCH_ON_EVERY_ENGINE(fixture)                                               \
    INSTANTIATE_TEST_SUITE_P(Engines, fixture,                                         \
                             ::testing::Values(::rqwatch::DatabaseEngine::kSqlite,     \
                                               ::rqwatch::DatabaseEngine::kPostgresql, \
                                               ::rqwatch::DatabaseEngine::kMysql),     \
                             ::rqwatch::storage::testing::EngineParamName())

// A realistic record: ~10 symbols, a few (duplicated) recipients, 1.5 KB of headers.
inline MailRecord MakeRecord(const std::string& spool_id,
                             std::int64_t received_at = 1'700'000'000'000) {
    MailRecord r;
    r.spool_id = spool_id;
    r.received_at = received_at;
    r.server = "mx1";
    r.qid = "4Xyz" + spool_id;
    r.action = "add header";
    r.score = 7.25;
    r.ip = "192.0.2.10";
    r.mail_from = "Sender@Example.org";
    r.rcpt_to = {"Alice@Example.com", "bob@example.com", "alice@example.com"};
    r.auth_user = "";
    r.rspamd_server = "rspamd1";
    r.scan_time_ms = 123;
    for (int i = 0; i < 10; ++i) {
        r.symbols.push_back(Symbol{"SYMBOL_" + std::to_string(i),
                                   0.5 * i,
                                   "group",
                                   {"group", "other"},
                                   {"option " + std::to_string(i)}});
    }
    r.fuzzy_json = "[]";
    r.subject = "Hello " + spool_id;
    r.mime_from = "Sender <sender@example.org>";
    r.mime_from_addr = "sender@example.org";
    r.mime_to = {{"Alice", "alice@example.com"}};
    r.message_id = spool_id + "@example.org";
    r.mail_date = 1'700'000'000;
    r.size = 4096;
    r.headers = std::string(1500, 'h');
    r.attachments = {{"invoice.pdf", "application/pdf", 2048}};
    return r;
}

}  // namespace rqwatch::storage::testing
