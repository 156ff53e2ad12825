#include "auth/sodium_state_sealer.hpp"

#include <sodium.h>

#include <stdexcept>

#include "auth/base64url.hpp"

namespace rqwatch::auth {
namespace {

// Binds sealed values to this use: the same secret used elsewhere yields
// another key, and a value sealed for another purpose does not open here.
constexpr std::string_view kContext = "rqwatch oidc login state v1";
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;

const unsigned char* Bytes(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

SodiumStateSealer::SodiumStateSealer(std::string_view secret) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot initialise");
    static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);
    if (secret.empty()) {
        randombytes_buf(key_.data(), key_.size());
    } else {
        crypto_generichash(key_.data(), key_.size(), Bytes(secret), secret.size(), Bytes(kContext),
                           kContext.size());
    }
}

SodiumStateSealer::~SodiumStateSealer() { sodium_memzero(key_.data(), key_.size()); }

std::string SodiumStateSealer::Seal(std::string_view plaintext) {
    std::string out(kNonce + plaintext.size() + kTag, '\0');
    auto* raw = reinterpret_cast<unsigned char*>(out.data());
    randombytes_buf(raw, kNonce);
    unsigned long long len = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(raw + kNonce, &len, Bytes(plaintext),
                                               plaintext.size(), Bytes(kContext), kContext.size(),
                                               nullptr, raw, key_.data());
    out.resize(kNonce + len);
    return Base64UrlEncode(out);
}

Result<std::string> SodiumStateSealer::Open(std::string_view sealed) {
    auto raw = Base64UrlDecode(sealed);
    if (!raw || raw->size() < kNonce + kTag) {
        return Fail(ErrorCode::kUnauthenticated, "the login state is not valid", "malformed");
    }
    std::string out(raw->size() - kNonce - kTag, '\0');
    unsigned long long len = 0;
    const auto* in = Bytes(*raw);
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char*>(out.data()), &len, nullptr, in + kNonce,
            raw->size() - kNonce, Bytes(kContext), kContext.size(), in, key_.data()) != 0) {
        return Fail(ErrorCode::kUnauthenticated, "the login state is not valid",
                    "does not authenticate (another key, or changed)");
    }
    out.resize(len);
    return out;
}

}  // namespace rqwatch::auth
