#pragma once
// Pure UTF-8 helpers (no GLib), used where bytes from the wire must become
// JSON-safe text before GMime is involved.

#include <cstddef>
#include <string>
#include <string_view>

namespace rqwatch {

[[nodiscard]] bool IsValidUtf8(std::string_view s);
// `s` unchanged when valid UTF-8, otherwise decoded as Windows-1252 (the usual
// charset of undeclared 8-bit mail headers), which maps every byte.
[[nodiscard]] std::string Utf8OrCp1252(std::string_view s);

// Cuts valid UTF-8 `s` to at most `max_bytes` without splitting a character;
// returns whether anything was cut.
bool CutUtf8(std::string& s, std::size_t max_bytes);

}  // namespace rqwatch
