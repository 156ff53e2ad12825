#pragma once

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace rqwatch::app {

// Port: one-way password hashing (argon2id via libsodium in storage/).
class PasswordHasher {
  public:
    virtual ~PasswordHasher() = default;
    [[nodiscard]] virtual Result<std::string> Hash(std::string_view password) = 0;
    // Constant-time verification; false for a wrong password or a malformed hash.
    [[nodiscard]] virtual bool Verify(std::string_view password, const std::string& hash) = 0;
};

}  // namespace rqwatch::app
