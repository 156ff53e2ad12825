#include "storage/database.hpp"

#include <fmt/format.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "storage/statement.hpp"

namespace rqwatch::storage {
namespace {

// SOCI's SQLite connect string is "key=value ..." with double quotes for
// values holding spaces; a quote inside the path cannot be expressed.
Result<std::string> SqliteConnectString(const std::string& path) {
    if (path.empty()) return Fail(ErrorCode::kInvalidArgument, "database path is empty");
    if (path.find('"') != std::string::npos) {
        return Fail(ErrorCode::kInvalidArgument, "database path must not contain '\"'", path);
    }
    return fmt::format("db=\"{}\"", path);
}

// Per-connection settings; journal_mode=WAL is persistent in the file but is
// cheap to re-assert, and lets a fresh file become WAL on first open.
void ConfigureSqlite(soci::session& sql, const DatabaseOptions& options) {
    // First, so that the WAL switch below waits for a concurrent writer.
    int timeout = 0;
    ExecuteOnce(sql, fmt::format("PRAGMA busy_timeout = {}", options.busy_timeout_ms),
                soci::into(timeout));
    std::string mode;
    ExecuteOnce(sql, "PRAGMA journal_mode = WAL", soci::into(mode));
    if (mode != "wal") {
        throw soci::soci_error(fmt::format("cannot enable WAL journal mode (got \"{}\")", mode));
    }
    // FULL: the spool file is deleted right after COMMIT returns, so the
    // commit must be on stable storage by then (NORMAL may lose it in WAL mode).
    ExecuteOnce(sql, "PRAGMA synchronous = FULL");
    ExecuteOnce(sql, "PRAGMA foreign_keys = ON");
}

}  // namespace

Database::Database(Dialect dialect, std::size_t pool_size)
    : dialect_(dialect), pool_size_(pool_size), pool_(pool_size) {}

Database::~Database() = default;

Result<std::shared_ptr<Database>> Database::Open(const DatabaseOptions& options) {
    auto dialect = Dialect::FromDriver(options.driver);
    if (!dialect) return std::unexpected(dialect.error());
    if (options.pool_size < 1 || options.pool_size > 64) {
        return Fail(ErrorCode::kInvalidArgument, "database pool size must be within 1..64");
    }
    if (options.busy_timeout_ms < 0) {
        return Fail(ErrorCode::kInvalidArgument, "database busy timeout must not be negative");
    }
    auto connect = SqliteConnectString(options.path);
    if (!connect) return std::unexpected(connect.error());

    std::shared_ptr<Database> db(
        new Database(*dialect, static_cast<std::size_t>(options.pool_size)));
    try {
        for (std::size_t i = 0; i < db->pool_size_; ++i) {
            soci::session& sql = db->pool_.at(i);
            sql.open(*soci::factory_sqlite3(), *connect);
            ConfigureSqlite(sql, options);
        }
    } catch (const std::exception& e) {
        return std::unexpected(
            db->dialect_.TranslateError(e, fmt::format("opening database \"{}\"", options.path)));
    }
    return db;
}

}  // namespace rqwatch::storage
