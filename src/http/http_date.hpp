#pragma once
// HTTP dates (RFC 9110 IMF-fixdate): Last-Modified out, If-Modified-Since in.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rqwatch::http {

// "Sun, 06 Nov 1994 08:49:37 GMT" of seconds since the epoch.
[[nodiscard]] std::string FormatHttpDate(std::int64_t seconds);
// Seconds since the epoch of an IMF-fixdate; nullopt for anything else
// (a client's obsolete or broken date is ignored, as RFC 9110 says).
[[nodiscard]] std::optional<std::int64_t> ParseHttpDate(std::string_view text);

}  // namespace rqwatch::http
