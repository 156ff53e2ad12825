#pragma once
// app::StateSealer with libsodium: XChaCha20-Poly1305 (random 192-bit nonce
// per value), base64url. The key is derived from a configured secret, or
// random per process when none is given.

#include <array>
#include <string>
#include <string_view>

#include "app/ports/state_sealer.hpp"

namespace rqwatch::auth {

class SodiumStateSealer final : public app::StateSealer {
  public:
    // `secret` empty: a random key (values sealed by another process, or
    // before a restart, do not open).
    explicit SodiumStateSealer(std::string_view secret);
    ~SodiumStateSealer() override;

    [[nodiscard]] std::string Seal(std::string_view plaintext) override;
    [[nodiscard]] Result<std::string> Open(std::string_view sealed) override;

  private:
    std::array<unsigned char, 32> key_{};
};

}  // namespace rqwatch::auth
