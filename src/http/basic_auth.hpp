#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rqwatch::http {

struct BasicCredentials {
    std::string username;
    std::string password;
};

// The credentials of an Authorization value of `scheme` (lower case, e.g.
// "bearer"; matched case-insensitively), without surrounding spaces;
// nullopt for another scheme or none.
[[nodiscard]] std::optional<std::string_view> AuthCredentials(std::string_view header_value,
                                                              std::string_view scheme);

// Parses "Basic base64(user:pass)"; nullopt for anything else.
[[nodiscard]] std::optional<BasicCredentials> ParseBasicAuth(std::string_view header_value);

// Compares secrets in time independent of where they differ and of their
// lengths (both sides are hashed to fixed-size digests first).
[[nodiscard]] bool SecretEquals(std::string_view a, std::string_view b);

}  // namespace rqwatch::http
