#pragma once
// Reading the engine's own description of a query plan (EXPLAIN), for the
// benchmark's documentation of which index serves which query.

#include <soci/soci.h>

#include <string>
#include <vector>

namespace rqwatch::storage {

// Fetches every row of an executed EXPLAIN statement whose result went into
// `row`, one line per plan row: SQLite's `detail` or PostgreSQL's `QUERY
// PLAN` column alone, otherwise (MariaDB's table) "name=value" of every
// non-empty column.
[[nodiscard]] std::vector<std::string> ReadPlan(soci::statement& st, soci::row& row);

}  // namespace rqwatch::storage
