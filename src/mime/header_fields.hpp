#pragma once
// A raw header block as the list of fields a person reads.

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/mail_content.hpp"

namespace rqwatch::mime {

// Most fields returned; spam with tens of thousands of header lines exists.
inline constexpr std::size_t kMaxHeaderFields = 2000;

// The fields of `block` (a header block, LF or CRLF), in order: names as
// written, values unfolded, RFC 2047-decoded, valid UTF-8 on one line.
[[nodiscard]] std::vector<HeaderField> ParseHeaderFields(std::string_view block);

}  // namespace rqwatch::mime
