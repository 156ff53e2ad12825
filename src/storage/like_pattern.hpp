#pragma once
// "contains" as SQL LIKE, the same on every engine: the pattern is a bound
// value and the condition says `LIKE :p ESCAPE '!'` (a backslash would mean
// different things to MariaDB's string literals and the others). Shared by
// the mail search and the admin lists.

#include <string>
#include <string_view>

namespace rqwatch::storage {

// "%value%" with '!', '%' and '_' escaped by '!', so that every character of
// `value` matches only itself.
[[nodiscard]] inline std::string ContainsPattern(std::string_view value) {
    std::string out = "%";
    for (char c : value) {
        if (c == '!' || c == '%' || c == '_') out += '!';
        out += c;
    }
    out += '%';
    return out;
}

}  // namespace rqwatch::storage
