#pragma once
// Splits a migration script into single statements: SQLite (through SOCI)
// executes only the first statement of a multi-statement string.

#include <string>
#include <string_view>
#include <vector>

namespace rqwatch::storage {

// Splits on ';' outside '...' strings, "..." / `...` identifiers, -- line
// comments and /* */ block comments. Comments are kept inside the statement
// text; statements that are empty or only comments are dropped. Not
// supported: bodies with inner ';' such as CREATE TRIGGER ... BEGIN ... END.
[[nodiscard]] std::vector<std::string> SplitSqlScript(std::string_view script);

}  // namespace rqwatch::storage
