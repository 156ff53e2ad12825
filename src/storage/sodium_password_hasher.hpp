#pragma once
// app::PasswordHasher with libsodium: argon2id, interactive limits. Verify
// also accepts the bcrypt and yescrypt hashes of users taken over from the
// old system (libxcrypt); Login replaces them by argon2id.

#include "app/ports/password_hasher.hpp"

namespace rqwatch::storage {

class SodiumPasswordHasher final : public app::PasswordHasher {
  public:
    // The result is crypto_pwhash_str's self-describing "$argon2id$..."
    // string; kInternal when libsodium cannot initialise or allocate.
    [[nodiscard]] Result<std::string> Hash(std::string_view password) override;
    [[nodiscard]] bool Verify(std::string_view password, const std::string& hash) override;
};

}  // namespace rqwatch::storage
