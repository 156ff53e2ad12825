#pragma once
// One users row in the types SOCI exchanges, and its conversion from and to
// User: the checks and normal forms every write applies (sizes, lower-case
// addresses, admin_domains joined with commas).

#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/user.hpp"

namespace rqwatch::storage {

struct UserRow {
    std::int64_t id = 0;
    std::string username;
    std::string email;
    std::string first_name;
    std::string last_name;
    int is_admin = 0;
    std::string admin_domains;  // "a.example,b.example"
    int notifications_disabled = 0;
    std::string notify_frequency;  // "" = default (migration 0019)
    int notify_hour = -1;          // -1 = default
    std::string time_zone;         // "" = default
    int provider = 0;
    std::string password_hash;
    std::int64_t created_at = 0;
    std::int64_t last_login = 0;
    soci::indicator last_login_ind = soci::i_null;
    int totp_enabled = 0;  // read only (a count of confirmed user_totp rows)
};

// kInvalidArgument for what no engine may store or what a cut would change
// the meaning of (a shortened domain is another domain): an empty or
// over-long username, over-long names, addresses or hash, an admin domain
// that is empty or holds a comma. Lower-cases the email and the domains as
// recipients are (NormalizeAddress), so that scope lookups compare equal.
[[nodiscard]] Result<UserRow> ToUserRow(const User& user);
[[nodiscard]] User ToUser(const UserRow& row);

// Binds `row` to the columns of queries::kSelectUsers, by position.
void BindInto(soci::statement& st, UserRow& row);
// Binds the columns that Add and Update write, by name (queries::kInsertUser,
// kUpdateUser): all but id, created_at, updated_at and last_login.
void BindWritten(soci::statement& st, UserRow& row);

// The address normal form of aliases: NormalizeAddress, checked for
// emptiness and size (kInvalidArgument).
[[nodiscard]] Result<std::string> NormalizeAlias(const std::string& alias);

}  // namespace rqwatch::storage
