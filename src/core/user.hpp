#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/notify_schedule.hpp"

namespace rqwatch {

// Where a user's password is checked. The numbers are stored (and are the
// old system's provider codes, so that imported users keep theirs).
enum class AuthProvider { kLocal = 0, kLdap = 1, kOidc = 2 };

struct User {
    std::int64_t id = 0;
    std::string username;
    std::string email;  // primary address, lower case
    std::string first_name;
    std::string last_name;
    bool is_admin = false;
    // A domain admin: not is_admin, but sees and manages the mail of these
    // recipient domains (lower case). Empty for everybody else.
    std::vector<std::string> admin_domains;
    bool notifications_disabled = false;
    // When and in which zone digests go (core/notify_schedule.hpp); unset:
    // the config's notify.default_* (migration 0019).
    std::optional<NotifyFrequency> notify_frequency;
    std::optional<int> notify_hour;  // 0-23, local
    std::string time_zone;           // IANA name; "" = default
    AuthProvider provider = AuthProvider::kLocal;
    // Local users: argon2id (libsodium's crypto_pwhash_str format) or a
    // bcrypt/yescrypt hash taken over from the old system; external users:
    // empty (they can never log in with a local password).
    std::string password_hash;
    std::int64_t created_at = 0;  // ms since the epoch, UTC
    std::optional<std::int64_t> last_login;
    // Read only (derived from user_totp, migration 0010): logins need a TOTP
    // code besides the password. Writes of the user never change it.
    bool totp_enabled = false;
};

// One further address of a user: mail to it is the user's mail.
struct Alias {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string alias;  // lower case
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

}  // namespace rqwatch
