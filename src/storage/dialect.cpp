#include "storage/dialect.hpp"

#include <fmt/format.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <vector>

#include "storage/statement.hpp"

namespace rqwatch::storage {
namespace {

Error SqliteError(const std::exception& e, std::string_view context) {
    std::string detail = fmt::format("{}: {}", context, e.what());
    int code = -1;
    if (const auto* se = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
        code = se->result() & 0xff;  // primary code, in case extended codes are on
    }
    switch (code) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PROTOCOL:
        case SQLITE_NOMEM:
            return Error{ErrorCode::kUnavailable, "database unavailable", std::move(detail)};
        case SQLITE_CONSTRAINT:
            return Error{ErrorCode::kConflict, "conflicting database row", std::move(detail)};
        default:
            break;
    }
    // Some SOCI paths (e.g. "Cannot begin transaction.") throw a plain
    // soci_error without the SQLite code; fall back to SQLite's messages.
    const std::string_view msg = e.what();
    for (std::string_view needle :
         {"database is locked", "database table is locked", "disk I/O error",
          "database or disk is full", "readonly database", "unable to open database"}) {
        if (msg.find(needle) != std::string_view::npos) {
            return Error{ErrorCode::kUnavailable, "database unavailable", std::move(detail)};
        }
    }
    if (msg.find("constraint failed") != std::string_view::npos) {
        return Error{ErrorCode::kConflict, "conflicting database row", std::move(detail)};
    }
    return Error{ErrorCode::kInternal, "database error", std::move(detail)};
}

// PostgreSQL and MySQL: SOCI classifies some server errors (SQLSTATE class,
// MySQL error number); connecting, lock timeouts and MySQL's duplicates come
// as plain messages, from libpq, libmariadb or SOCI itself.
Error ServerError(const std::exception& e, std::string_view context) {
    std::string detail = fmt::format("{}: {}", context, e.what());
    auto unavailable = [&] {
        return Error{ErrorCode::kUnavailable, "database unavailable", std::move(detail)};
    };
    auto conflict = [&] {
        return Error{ErrorCode::kConflict, "conflicting database row", std::move(detail)};
    };
    if (const auto* se = dynamic_cast<const soci::soci_error*>(&e)) {
        switch (se->get_error_category()) {
            case soci::soci_error::connection_error:
            case soci::soci_error::unknown_transaction_state:
            case soci::soci_error::system_error:
                return unavailable();
            case soci::soci_error::constraint_violation:
                return conflict();
            default:
                break;
        }
    }
    const std::string_view msg = e.what();
    for (std::string_view needle :
         {"Cannot establish connection", "could not connect", "Connection refused",
          "server closed the connection", "terminating connection", "no connection to the server",
          "connection to server", "Lost connection to", "server has gone away", "Can't connect to",
          "Too many connections", "the database system is", "Lock wait timeout exceeded",
          "Deadlock found", "deadlock detected", "lock timeout", "could not serialize access",
          "Session is not connected"}) {  // SOCI, after a failed reconnect
        if (msg.find(needle) != std::string_view::npos) return unavailable();
    }
    for (std::string_view needle : {"Duplicate entry", "duplicate key value",
                                    "violates foreign key", "foreign key constraint fails"}) {
        if (msg.find(needle) != std::string_view::npos) return conflict();
    }
    return Error{ErrorCode::kInternal, "database error", std::move(detail)};
}

// "a, b" -> {"a", "b"}.
std::vector<std::string_view> SplitColumns(std::string_view columns) {
    std::vector<std::string_view> out;
    for (std::size_t start = 0;;) {
        const auto comma = columns.find(',', start);
        std::string_view name = columns.substr(start, comma - start);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        out.push_back(name);
        if (comma == std::string_view::npos) return out;
        start = comma + 1;
    }
}

}  // namespace

std::string Dialect::Placeholder(std::string_view name, std::size_t row) const {
    if (kind_ == DialectKind::kSqlite) return "?";
    return fmt::format(":{}_{}", name, row);
}

std::string Dialect::RowPlaceholders(std::string_view columns, std::size_t row) const {
    std::string out = "(";
    for (std::string_view name : SplitColumns(columns)) {
        if (out.size() > 1) out += ", ";
        out += Placeholder(name, row);
    }
    return out + ")";
}

std::string_view Dialect::Name() const {
    switch (kind_) {
        case DialectKind::kSqlite:
            return "sqlite";
        case DialectKind::kPostgresql:
            return "postgresql";
        case DialectKind::kMysql:
            return "mysql";
    }
    return "sqlite";
}

std::string_view Dialect::MigrationsDir() const { return Name(); }

std::string Dialect::InsertIgnoreRows(std::string_view table, std::string_view columns,
                                      std::string_view rows) const {
    if (kind_ == DialectKind::kMysql) {
        // MySQL's ON DUPLICATE KEY UPDATE reports a skipped row as affected
        // (SOCI connects with CLIENT_FOUND_ROWS), so IGNORE it is. IGNORE also
        // turns over-long values into truncation warnings; the repositories cut
        // values to the column sizes first (column_limits.hpp), so that all
        // engines store the same.
        return fmt::format("INSERT IGNORE INTO {} ({}) VALUES {}", table, columns, rows);
    }
    return fmt::format("INSERT INTO {} ({}) VALUES {} ON CONFLICT DO NOTHING", table, columns,
                       rows);
}

void Dialect::BeginWrite(soci::session& sql) const {
    ExecuteOnce(sql, kind_ == DialectKind::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}

std::string_view Dialect::ForUpdate() const {
    return kind_ == DialectKind::kSqlite ? "" : " FOR UPDATE";
}

std::int64_t Dialect::LastInsertId(soci::session& sql, const std::string& table) const {
    long long id = 0;
    if (kind_ == DialectKind::kPostgresql) {
        // The sequence value this session drew last (the id column's default).
        ExecuteOnce(sql, "SELECT lastval()", soci::into(id));
        return id;
    }
    // sqlite3_last_insert_rowid() / mysql_insert_id(): no round trip.
    if (!sql.get_last_insert_id(table, id)) {
        throw soci::soci_error("cannot read the last insert id");
    }
    return id;
}

std::string Dialect::UpsertAddRows(std::string_view table, std::string_view key_columns,
                                   std::string_view counter_columns, std::string_view rows) const {
    std::string set;
    for (std::string_view c : SplitColumns(counter_columns)) {
        if (!set.empty()) set += ", ";
        set += kind_ == DialectKind::kMysql ? fmt::format("{0} = {0} + VALUES({0})", c)
                                            : fmt::format("{0} = {1}.{0} + excluded.{0}", c, table);
    }
    if (kind_ == DialectKind::kMysql) {
        return fmt::format("INSERT INTO {} ({}, {}) VALUES {} ON DUPLICATE KEY UPDATE {}", table,
                           key_columns, counter_columns, rows, set);
    }
    return fmt::format("INSERT INTO {} ({}, {}) VALUES {} ON CONFLICT ({}) DO UPDATE SET {}", table,
                       key_columns, counter_columns, rows, key_columns, set);
}

std::string Dialect::RegexpMatch(std::string_view expr, std::string_view param) const {
    if (kind_ == DialectKind::kPostgresql) return fmt::format("{} ~* {}", expr, param);
    return fmt::format("{} REGEXP {}", expr, param);
}

std::string Dialect::RegexpValue(std::string_view pattern) const {
    if (kind_ == DialectKind::kMysql) return "(?i)" + std::string(pattern);
    return std::string(pattern);
}

std::string_view Dialect::ExplainPrefix() const {
    return kind_ == DialectKind::kSqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ";
}

std::string_view Dialect::TableExistsQuery() const {
    switch (kind_) {
        case DialectKind::kSqlite:
            return "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :name";
        case DialectKind::kPostgresql:
            return "SELECT COUNT(*) FROM information_schema.tables "
                   "WHERE table_schema = current_schema() AND table_name = :name";
        case DialectKind::kMysql:
            return "SELECT COUNT(*) FROM information_schema.tables "
                   "WHERE table_schema = DATABASE() AND table_name = :name";
    }
    return {};
}

Error Dialect::TranslateError(const std::exception& e, std::string_view context) const {
    if (kind_ == DialectKind::kSqlite) return SqliteError(e, context);
    return ServerError(e, context);
}

// The backend's type information is not exported by libsoci_sqlite3, so
// neither dynamic_cast nor UBSan's check of a static_cast (vptr) can link:
// the backend is told by name, then cast unchecked.
__attribute__((no_sanitize("vptr"))) void* SqliteConnection(soci::session& sql) {
    if (sql.get_backend() == nullptr || sql.get_backend_name() != "sqlite3") return nullptr;
    return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
}

}  // namespace rqwatch::storage
