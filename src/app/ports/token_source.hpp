#pragma once
// Port: unguessable tokens and their one-way digests (libsodium in auth/).

#include <cstddef>
#include <string>
#include <string_view>

namespace rqwatch::app {

class TokenSource {
  public:
    virtual ~TokenSource() = default;
    // 256 random bits, URL-safe text (cookies, CSRF tokens, API tokens).
    [[nodiscard]] virtual std::string NewToken() = 0;
    // A keyless one-way digest (hex) of a token: what stores keep.
    [[nodiscard]] virtual std::string Digest(std::string_view token) = 0;
    // `n` random bytes (TOTP secrets).
    [[nodiscard]] virtual std::string RandomBytes(std::size_t n) = 0;
    // Constant-time comparison (CSRF tokens).
    [[nodiscard]] virtual bool Equal(std::string_view a, std::string_view b) = 0;
};

}  // namespace rqwatch::app
