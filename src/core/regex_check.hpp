#pragma once
// Which regular expressions a search may use. They run inside the database
// (PostgreSQL's `~*`, MariaDB's PCRE2 REGEXP, PCRE2 through GLib for SQLite),
// so they must mean the same on all three and must not be able to take the
// server down. Allowed: literals, escaped metacharacters, `.`, `^`, `$`,
// classes `[...]`, `\d \D \w \W \s \S`, `* + ? {m} {m,} {m,n}` (also lazy),
// `|`, groups `(...)` and `(?:...)`. Refused: back-references, look-around,
// named groups, inline flags, `\b` (a word boundary in PCRE2 but a backspace
// in PostgreSQL), and any repeated group that itself repeats or alternates —
// the shape of catastrophic backtracking, e.g. `(a+)+`, `(a|aa)*`.

#include <string_view>

#include "core/error.hpp"

namespace rqwatch {

inline constexpr std::size_t kMaxRegexLength = 256;

// kInvalidArgument with the reason when the pattern is not allowed.
[[nodiscard]] Result<void> CheckSearchRegex(std::string_view pattern);

}  // namespace rqwatch
