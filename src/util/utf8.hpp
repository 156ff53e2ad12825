#pragma once

#include <cstddef>
#include <string_view>

namespace rqwatch::util {

// Length of the valid UTF-8 sequence starting at s[i] (i < s.size(), s[i] >= 0x80),
// or 0 when it is invalid: overlong, a surrogate, above U+10FFFF, or truncated.
[[nodiscard]] std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);

}  // namespace rqwatch::util
