#pragma once
// SQL functions rqwatch gives SQLite, so that searches mean the same as on
// PostgreSQL and MariaDB:
//   regexp(pattern, text)  what `text REGEXP pattern` calls: PCRE2 through
//                          GLib's GRegex, case-insensitive, with PCRE2's
//                          match limit as a backstop (patterns are checked by
//                          CheckSearchRegex before they get here)
//   lower(text)            Unicode lower case (SQLite's own folds only ASCII)

#include <string>
#include <string_view>

namespace rqwatch::storage {

// Makes SQLite add the functions to every connection this process opens from
// now on (sqlite3_auto_extension: no connection handle needed, which SOCI
// does not hand out without a cast to its backend). Idempotent; false when
// SQLite refused.
bool EnableSqliteFunctions();

// The lower case used for search values (the same as lower() above and
// PostgreSQL's/MariaDB's LOWER for the scripts mail uses).
[[nodiscard]] std::string Utf8Lower(std::string_view text);

}  // namespace rqwatch::storage
