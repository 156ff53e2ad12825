#pragma once
// Writing JSON strings without a DOM (storage rows, the benchmark client).

#include <string>
#include <string_view>
#include <vector>

namespace rqwatch::util {

// Appends `s` as a quoted JSON string literal; invalid UTF-8 bytes become U+FFFD.
void AppendJsonString(std::string& out, std::string_view s);
// The same escaping without the surrounding quotes.
[[nodiscard]] std::string JsonEscaped(std::string_view s);
// `"key":` (keys are our own ASCII names: not escaped).
void AppendJsonKey(std::string& out, std::string_view key);
// Shortest text that reads back to the same double; NaN/Infinity become null.
void AppendJsonNumber(std::string& out, double value);
void AppendJsonStringList(std::string& out, const std::vector<std::string>& list);

}  // namespace rqwatch::util
