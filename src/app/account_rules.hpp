#pragma once
// What an account's fields may hold, checked before anything is stored:
// the same rules for the administrators' forms and the users' own profile.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/user.hpp"

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

// A change of when a user's digests go (each field unset: unchanged).
// "" for the frequency or the zone, and -1 for the hour, go back to the
// config's defaults.
struct NotifyPreferences {
    std::optional<std::string> frequency;  // immediate | hourly | daily | weekly | ""
    std::optional<int> hour;               // 0-23, or -1
    std::optional<std::string> time_zone;  // an IANA name, or ""
    [[nodiscard]] bool Any() const { return frequency || hour || time_zone; }
};
// Checks every set field (kInvalidArgument with a one-line reason naming
// it) and only then writes them to `user`.
[[nodiscard]] Result<void> ApplyNotifyPreferences(const NotifyPreferences& prefs, User& user);

}  // namespace rqwatch::app
