#include "storage/sqlite_native.hpp"

#include <soci/error.h>

#include <memory>
#include <string>

#include "storage/dialect.hpp"

namespace rqwatch::storage {

sqlite3* NativeSqlite(soci::session& sql) {
    return static_cast<sqlite3*>(SqliteConnection(sql));
}

std::string_view SqliteText(sqlite3_stmt* st, int col) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
    if (text == nullptr) return {};
    return {text, static_cast<std::size_t>(sqlite3_column_bytes(st, col))};
}

void SqliteEachRow(sqlite3* db, std::string_view query,
                           std::initializer_list<std::int64_t> params,
                           const std::function<void(sqlite3_stmt*)>& row) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, query.data(), static_cast<int>(query.size()), &raw, nullptr) !=
        SQLITE_OK) {
        throw soci::soci_error(std::string("sqlite3_prepare_v2: ") + sqlite3_errmsg(db));
    }
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> st(raw, sqlite3_finalize);
    int index = 1;
    for (std::int64_t p : params) sqlite3_bind_int64(raw, index++, p);
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(raw)) == SQLITE_ROW) row(raw);
    if (rc != SQLITE_DONE) throw soci::soci_error(std::string("sqlite3_step: ") + sqlite3_errmsg(db));
}

}  // namespace rqwatch::storage
