#pragma once
// Writing JSON strings without a DOM (storage rows, the benchmark client).

#include <string>
#include <string_view>

namespace rqwatch::util {

// Appends `s` as a quoted JSON string literal; invalid UTF-8 bytes become U+FFFD.
void AppendJsonString(std::string& out, std::string_view s);
// The same escaping without the surrounding quotes.
[[nodiscard]] std::string JsonEscaped(std::string_view s);

}  // namespace rqwatch::util
