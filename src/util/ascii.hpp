#pragma once
// ASCII-only case helpers for protocol tokens (header names, MIME types,
// actions): the locale must not matter, and bytes >= 0x80 stay as they are.

#include <algorithm>
#include <string>
#include <string_view>

namespace rqwatch::util {

[[nodiscard]] constexpr char AsciiLowerChar(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

[[nodiscard]] inline std::string AsciiLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = AsciiLowerChar(c);
    return out;
}

[[nodiscard]] constexpr bool AsciiIEquals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return AsciiLowerChar(x) == AsciiLowerChar(y);
           });
}

}  // namespace rqwatch::util
