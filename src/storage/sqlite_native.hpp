#pragma once
// A way around SOCI for the few reads where its per-row cost is most of the
// time: SOCI's SQLite backend copies every fetched value twice (into its row
// cache, then into the bound vector) and allocates for each. Reading a
// 100,000-entry map that way took 126 ms against 70 ms for the same query
// stepped directly (docs/benchmarks.md, map benchmark). Only reads use it;
// writes and everything else stay on SOCI.

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string_view>

namespace soci {
class session;
}

namespace rqwatch::storage {

// The connection under `sql` when it is SQLite, else nullptr.
[[nodiscard]] sqlite3* NativeSqlite(soci::session& sql);

// Column `col` of the current row as text ("" for NULL).
[[nodiscard]] std::string_view SqliteText(sqlite3_stmt* st, int col);

// Runs `query` on `db` with its `?` parameters bound to `params` in order,
// calling `row` for each result row (columns read with sqlite3_column_*;
// the statement is only valid during the call). Throws soci::soci_error
// with SQLite's message, as SOCI would, so that Database::Run classifies it
// like any other error (busy or full: unavailable).
void SqliteEachRow(sqlite3* db, std::string_view query, std::initializer_list<std::int64_t> params,
                   const std::function<void(sqlite3_stmt*)>& row);

}  // namespace rqwatch::storage
