#pragma once
// Splits a migration script into single statements: SQLite (through SOCI)
// executes only the first statement of a multi-statement string.

#include <string>
#include <string_view>
#include <vector>

namespace rqwatch::storage {

// Splits on ';' outside '...' strings, "..." / `...` identifiers, -- line
// comments and /* */ block comments. Comments are removed: SOCI reads ":word"
// anywhere in a statement as a placeholder (its MySQL backend even cut a
// statement short at a colon in a comment). Statements are trimmed; empty
// ones are dropped. Not supported: bodies with inner ';' such as
// CREATE TRIGGER ... BEGIN ... END.
[[nodiscard]] std::vector<std::string> SplitSqlScript(std::string_view script);

}  // namespace rqwatch::storage
