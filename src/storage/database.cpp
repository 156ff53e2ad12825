#include "storage/database.hpp"

#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>

#include "core/database_url.hpp"
#include "storage/sqlite_functions.hpp"
#include "storage/statement.hpp"

namespace rqwatch::storage {
namespace {

// Per-connection settings; journal_mode=WAL is persistent in the file but is
// cheap to re-assert, and lets a fresh file become WAL on first open.
void ConfigureSqlite(soci::session& sql, int busy_timeout_ms) {
    // First, so that the WAL switch below waits for a concurrent writer.
    int timeout = 0;
    ExecuteOnce(sql, fmt::format("PRAGMA busy_timeout = {}", busy_timeout_ms), soci::into(timeout));
    std::string mode;
    ExecuteOnce(sql, "PRAGMA journal_mode = WAL", soci::into(mode));
    if (mode != "wal") {
        throw soci::soci_error(fmt::format("cannot enable WAL journal mode (got \"{}\")", mode));
    }
    // FULL: the spool forgets a mail right after COMMIT returns, so the
    // commit must be on stable storage by then (NORMAL may lose it in WAL mode).
    ExecuteOnce(sql, "PRAGMA synchronous = FULL");
    ExecuteOnce(sql, "PRAGMA foreign_keys = ON");
    // regexp() and lower() come with every connection (EnableSqliteFunctions);
    // a connection without them would fail searches, so check once here.
    int probe = 0;
    ExecuteOnce(sql, "SELECT 'X' REGEXP 'x'", soci::into(probe));
    if (probe != 1) throw soci::soci_error("rqwatch's SQLite functions are missing");
}

}  // namespace

Database::Database(Dialect dialect, std::size_t pool_size)
    : dialect_(dialect), pool_size_(pool_size), pool_(pool_size) {}

Database::~Database() = default;

void Database::Configure(soci::session& sql) const {
    switch (dialect_.Kind()) {
        case DialectKind::kSqlite:
            ConfigureSqlite(sql, busy_timeout_ms_);
            break;
        case DialectKind::kPostgresql:
            // Lock waits end with an error the importer retries, not a hang.
            ExecuteOnce(sql, fmt::format("SET lock_timeout = {}", busy_timeout_ms_));
            // Our queries are pages (LIMIT 51) or sums over covering indexes.
            // Parallel workers' start-up cost more than they saved, and they
            // take cores from the other requests (subject contains at 10 M:
            // 64 -> 1.4 ms; statistics over 30 days: 210 -> 92-132 ms); JIT
            // compiling added ~25 ms to each report (docs/benchmarks.md).
            ExecuteOnce(sql, "SET max_parallel_workers_per_gather = 0");
            ExecuteOnce(sql, "SET jit = off");
            break;
        case DialectKind::kMysql:
            // Strict mode whatever the server's default: an invalid value is
            // an error, never silently changed. The lock wait is in seconds.
            ExecuteOnce(sql,
                        "SET SESSION sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, "
                        "'STRICT_TRANS_TABLES', 'NO_ENGINE_SUBSTITUTION')");
            ExecuteOnce(sql, fmt::format("SET SESSION innodb_lock_wait_timeout = {}",
                                         std::max(1, busy_timeout_ms_ / 1000)));
            break;
    }
}

void Database::Recover(soci::session& sql) noexcept {
    try {
        if (dialect_.Kind() == DialectKind::kSqlite || sql.is_connected()) return;
        sql.reconnect();
        Configure(sql);
    } catch (...) {
        // Still down: the next operation reports it and tries again.
    }
}

Result<std::shared_ptr<Database>> Database::Open(const DatabaseOptions& options) {
    auto target = ParseDatabaseUrl(options.url);
    if (!target) return std::unexpected(target.error());
    if (options.pool_size < 1 || options.pool_size > 256) {
        return Fail(ErrorCode::kInvalidArgument, "database pool size must be within 1..256");
    }
    if (options.busy_timeout_ms < 0) {
        return Fail(ErrorCode::kInvalidArgument, "database busy timeout must not be negative");
    }
    if (target->engine == DatabaseEngine::kSqlite && !EnableSqliteFunctions()) {
        return Fail(ErrorCode::kInternal, "cannot register rqwatch's SQLite functions");
    }
    std::shared_ptr<Database> db(
        new Database(Dialect(target->engine), static_cast<std::size_t>(options.pool_size)));
    db->description_ = target->redacted;
    db->busy_timeout_ms_ = options.busy_timeout_ms;
    try {
        for (std::size_t i = 0; i < db->pool_size_; ++i) {
            soci::session& sql = db->pool_.at(i);
            // Backends are loaded by name (libsoci_<name>.so from Debian's
            // libsoci-* packages), so no client library headers are needed.
            sql.open(target->backend, target->connect_string);
            db->Configure(sql);
        }
    } catch (const std::exception& e) {
        return std::unexpected(db->dialect_.TranslateError(
            e, fmt::format("opening database \"{}\"", target->redacted)));
    }
    return db;
}

}  // namespace rqwatch::storage
