#pragma once
// Port: authenticated encryption of small values the browser keeps for us
// (the OpenID Connect login in progress; libsodium in auth/). What is
// sealed can be neither read nor changed without the key.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace rqwatch::app {

class StateSealer {
  public:
    virtual ~StateSealer() = default;
    // URL- and cookie-safe text.
    [[nodiscard]] virtual std::string Seal(std::string_view plaintext) = 0;
    // kUnauthenticated when `sealed` was not made by Seal with this key.
    [[nodiscard]] virtual Result<std::string> Open(std::string_view sealed) = 0;
};

}  // namespace rqwatch::app
