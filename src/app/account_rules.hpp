#pragma once
// What an account's fields may hold, checked before anything is stored:
// the same rules for the administrators' forms and the users' own profile.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::app {

inline constexpr std::size_t kMinPasswordLength = 8;
// argon2id hashes any length; the cap only keeps a request from making it
// hash megabytes.
inline constexpr std::size_t kMaxPasswordLength = 1024;

// `value` as a lower-case address local@domain (no spaces, control
// characters or angle brackets, at most 254 bytes); kInvalidArgument naming
// `field` otherwise.
[[nodiscard]] Result<std::string> NormalizeAccountAddress(std::string_view value,
                                                          std::string_view field);
// A domain admin's domains: lower case, without duplicates; each a host name.
[[nodiscard]] Result<std::vector<std::string>> NormalizeDomains(
    const std::vector<std::string>& domains);
// First or last name: at most 128 bytes of valid UTF-8 without control characters.
[[nodiscard]] Result<void> CheckPersonName(std::string_view value, std::string_view field);
[[nodiscard]] Result<void> CheckNewPassword(std::string_view password);

}  // namespace rqwatch::app
