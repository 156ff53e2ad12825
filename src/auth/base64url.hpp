#pragma once
// Base64url without padding (RFC 4648 §5), as JOSE uses it (libsodium).

#include <optional>
#include <string>
#include <string_view>

namespace rqwatch::auth {

// The bytes of `text`, or nullopt unless it is canonical unpadded base64url.
[[nodiscard]] std::optional<std::string> Base64UrlDecode(std::string_view text);
[[nodiscard]] std::string Base64UrlEncode(std::string_view bytes);
// Standard base64 with padding (HTTP Basic credentials).
[[nodiscard]] std::string Base64Encode(std::string_view bytes);

}  // namespace rqwatch::auth
