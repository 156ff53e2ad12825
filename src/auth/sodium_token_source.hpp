#pragma once
// app::TokenSource with libsodium: randombytes_buf for tokens, BLAKE2b for
// their digests, sodium_memcmp for comparisons.

#include "app/ports/token_source.hpp"

namespace rqwatch::auth {

class SodiumTokenSource final : public app::TokenSource {
  public:
    SodiumTokenSource();  // throws std::runtime_error when libsodium cannot start
    [[nodiscard]] std::string NewToken() override;
    [[nodiscard]] std::string Digest(std::string_view token) override;
    [[nodiscard]] std::string RandomBytes(std::size_t n) override;
    [[nodiscard]] bool Equal(std::string_view a, std::string_view b) override;
};

}  // namespace rqwatch::auth
