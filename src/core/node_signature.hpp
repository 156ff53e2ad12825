#pragma once
// Requests between rqwatch nodes (a web node fetching a quarantined mail
// from the ingest node that keeps it) are signed with the shared secret
// `node_api.secret`: HMAC-SHA256 over the method, the request target and the
// time, sent as X-Rqwatch-Time and X-Rqwatch-Signature. A signature is good
// for kNodeSignatureWindowS either way, so clocks must agree (NTP).

#include <cstdint>
#include <string>
#include <string_view>

namespace rqwatch {

inline constexpr std::int64_t kNodeSignatureWindowS = 300;
inline constexpr std::string_view kNodeTimeHeader = "X-Rqwatch-Time";
inline constexpr std::string_view kNodeSignatureHeader = "X-Rqwatch-Signature";

// Lower-case hex of HMAC-SHA256(secret, METHOD "\n" TARGET "\n" UNIX_S).
[[nodiscard]] std::string NodeSignature(std::string_view secret, std::string_view method,
                                        std::string_view target, std::int64_t unix_s);

// Whether `signature` (hex) signs this request at `time` (decimal unix
// seconds, as sent) and `time` is within the window around `now_s`.
// Compares in constant time. An empty secret accepts nothing.
[[nodiscard]] bool NodeSignatureValid(std::string_view secret, std::string_view method,
                                      std::string_view target, std::string_view time,
                                      std::string_view signature, std::int64_t now_s);

}  // namespace rqwatch
