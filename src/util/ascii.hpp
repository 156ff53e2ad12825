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

// `s` without the leading and trailing bytes that are in `chars`.
[[nodiscard]] constexpr std::string_view TrimAscii(std::string_view s,
                                                   std::string_view chars = " \t") {
    const auto b = s.find_first_not_of(chars);
    if (b == std::string_view::npos) return {};
    return s.substr(b, s.find_last_not_of(chars) - b + 1);
}

}  // namespace rqwatch::util
