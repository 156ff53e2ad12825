#include "core/node_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <charconv>

namespace rqwatch {

std::string NodeSignature(std::string_view secret, std::string_view method,
                          std::string_view target, std::int64_t unix_s) {
    const std::string message =
        std::string(method) + "\n" + std::string(target) + "\n" + std::to_string(unix_s);
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
             &len) == nullptr) {
        return {};
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out += kHex[mac[i] >> 4];
        out += kHex[mac[i] & 15];
    }
    return out;
}

bool NodeSignatureValid(std::string_view secret, std::string_view method, std::string_view target,
                        std::string_view time, std::string_view signature, std::int64_t now_s) {
    if (secret.empty() || time.empty() || time.size() > 20) return false;
    std::int64_t at = 0;
    const auto [end, ec] = std::from_chars(time.data(), time.data() + time.size(), at);
    if (ec != std::errc() || end != time.data() + time.size()) return false;
    if (at < now_s - kNodeSignatureWindowS || at > now_s + kNodeSignatureWindowS) return false;
    const std::string expected = NodeSignature(secret, method, target, at);
    return !expected.empty() && signature.size() == expected.size() &&
           CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) == 0;
}

}  // namespace rqwatch
