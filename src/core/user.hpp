#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rqwatch {

struct User {
    std::int64_t id = 0;
    std::string username;
    std::string email;
    bool is_admin = false;
    std::string password_hash;  // argon2id (libsodium crypto_pwhash_str format)
    std::int64_t created_at = 0;
    std::optional<std::int64_t> last_login;
};

}  // namespace rqwatch
