#include "storage/dialect.hpp"

#include <fmt/format.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

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

}  // namespace

Result<Dialect> Dialect::FromDriver(std::string_view driver) {
    if (driver == "sqlite" || driver == "sqlite3") return Dialect(DialectKind::kSqlite);
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("unsupported database driver \"{}\" (supported: sqlite)", driver));
}

std::string_view Dialect::MigrationsDir() const {
    switch (kind_) {
        case DialectKind::kSqlite:
            return "sqlite";
    }
    return "sqlite";
}

std::string Dialect::InsertIgnore(std::string_view table, std::string_view columns,
                                  std::string_view values) const {
    // SQLite >= 3.24 and PostgreSQL share the upsert form; MariaDB will need
    // "INSERT IGNORE INTO" (which also hides other errors, so beware).
    return fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING", table, columns,
                       values);
}

void Dialect::BeginWrite(soci::session& sql) const {
    switch (kind_) {
        case DialectKind::kSqlite:
            ExecuteOnce(sql, "BEGIN IMMEDIATE");
            return;
    }
}

std::int64_t Dialect::LastInsertId(soci::session& sql, const std::string& table) const {
    long long id = 0;
    switch (kind_) {
        case DialectKind::kSqlite:
            // sqlite3_last_insert_rowid(): no statement round trip.
            if (!sql.get_last_insert_id(table, id)) {
                throw soci::soci_error("cannot read the last insert id");
            }
            break;
    }
    return id;
}

std::string_view Dialect::TableExistsQuery() const {
    switch (kind_) {
        case DialectKind::kSqlite:
            return "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :name";
    }
    return {};
}

Error Dialect::TranslateError(const std::exception& e, std::string_view context) const {
    switch (kind_) {
        case DialectKind::kSqlite:
            return SqliteError(e, context);
    }
    return Error{ErrorCode::kInternal, "database error", std::string(context) + ": " + e.what()};
}

}  // namespace rqwatch::storage
