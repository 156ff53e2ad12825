#pragma once
// Small text helpers shared by the header and attachment code. Inputs are
// arbitrary bytes; outputs are valid UTF-8 suitable for one-line display.

#include <string>
#include <string_view>

namespace rqwatch::mime {

// Turns `s` into one display line: every run of whitespace or control
// characters (C0, DEL, C1) becomes one space, and both ends are trimmed. The
// result is valid UTF-8 (ToValidUtf8 is applied first).
[[nodiscard]] std::string CleanLine(std::string_view s);

// ASCII-only lower-casing (MIME tokens are ASCII; locale must not matter).
[[nodiscard]] std::string AsciiLower(std::string_view s);

// NUL-safe: the same as `s == nullptr ? "" : s`.
[[nodiscard]] inline std::string_view OrEmpty(const char* s) { return s == nullptr ? "" : s; }

}  // namespace rqwatch::mime
