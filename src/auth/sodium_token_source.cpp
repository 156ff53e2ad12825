#include "auth/sodium_token_source.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace rqwatch::auth {

SodiumTokenSource::SodiumTokenSource() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise");
}

std::string SodiumTokenSource::NewToken() {
    std::array<unsigned char, 32> raw{};
    randombytes_buf(raw.data(), raw.size());
    std::array<char, sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)>
        text{};
    sodium_bin2base64(text.data(), text.size(), raw.data(), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return std::string(text.data());
}

std::string SodiumTokenSource::Digest(std::string_view token) {
    std::array<unsigned char, 32> hash{};
    crypto_generichash(hash.data(), hash.size(),
                       reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                       0);
    std::array<char, 65> hex{};
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    return std::string(hex.data());
}

std::string SodiumTokenSource::RandomBytes(std::size_t n) {
    std::string out(n, '\0');
    randombytes_buf(out.data(), out.size());
    return out;
}

bool SodiumTokenSource::Equal(std::string_view a, std::string_view b) {
    // The length of a token is no secret; its bytes are.
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace rqwatch::auth
