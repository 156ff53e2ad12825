#pragma once
// UTC time as text for mail headers and plain-text bodies (RFC 5322 Date,
// trace headers): the server's local zone must never leak into them.

#include <cstdint>
#include <string>

namespace rqwatch::util {

// `unix_ms` formatted in UTC with strftime's `format` (at most 63 bytes out).
[[nodiscard]] std::string FormatUtc(std::int64_t unix_ms, const char* format);

}  // namespace rqwatch::util
