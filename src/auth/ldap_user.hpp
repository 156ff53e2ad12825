#pragma once
// Turning the user's directory entry into an app::DirectoryUser: which value
// is the login, the primary address, the aliases, the display name, and
// whether the login is in the admin list. Pure functions over values already
// read from the server, so that they are tested without one.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/ports/directory.hpp"
#include "auth/ldap_settings.hpp"
#include "core/error.hpp"

namespace rqwatch::auth {

// The user's entry as the search returned it.
struct LdapEntry {
    std::string dn;
    // Attribute descriptions as the server spelled them (maybe with options,
    // "cn;lang-en") and their values, in the server's order.
    std::vector<std::pair<std::string, std::vector<std::string>>> attributes;
};

// Every value of `attribute` in `entry`: names compared without ASCII case,
// options ignored ("cn;lang-en" is cn). Values of the plain name come first.
[[nodiscard]] std::vector<std::string> ValuesOf(const LdapEntry& entry, std::string_view attribute);

// The user's rqwatch name: the value of the login attribute that equals
// `typed` without regard to ASCII case (the server may match more loosely,
// e.g. ignoring spaces); else the only value there is; else `typed`.
[[nodiscard]] std::string DirectoryLogin(const LdapEntry& entry, const LdapSettings& settings,
                                         std::string_view typed);

// `login` is in settings.admin_users (ASCII case ignored).
[[nodiscard]] bool IsListedAdmin(const LdapSettings& settings, std::string_view login);

// The address as rqwatch stores it: ASCII lower case, surrounding spaces
// removed; "" when it is no plausible address (no '@' inside, spaces or
// control bytes, not UTF-8, over 254 bytes), since an alias decides which
// mail a user may read.
[[nodiscard]] std::string NormalizeAddress(std::string_view value);

// The user behind `entry` (admin = false; the caller decides). The primary
// address is the first mail value in sort order, the other mail values and
// the alias attributes' values are the aliases (sorted, without duplicates
// or the primary). kPermissionDenied when the entry has no usable address.
// Call it only after the password was verified: it tells that the user exists.
[[nodiscard]] Result<app::DirectoryUser> MakeDirectoryUser(const LdapEntry& entry,
                                                           const LdapSettings& settings,
                                                           std::string_view login);

}  // namespace rqwatch::auth
