#include "http/basic_auth.hpp"

#include <sodium.h>

#include <array>
#include <cctype>

namespace rqwatch::http {

std::optional<std::string_view> AuthCredentials(std::string_view v, std::string_view scheme) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    if (v.size() <= scheme.size() || v[scheme.size()] != ' ') return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(v[i])) != scheme[i]) return std::nullopt;
    }
    v.remove_prefix(scheme.size());
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return v;
}

std::optional<BasicCredentials> ParseBasicAuth(std::string_view header_value) {
    const auto credentials = AuthCredentials(header_value, "basic");
    if (!credentials) return std::nullopt;
    const std::string_view v = *credentials;
    if (v.empty() || v.size() > 4096) return std::nullopt;
    std::string decoded(v.size(), '\0');
    std::size_t len = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()), decoded.size(),
                          v.data(), v.size(), nullptr, &len, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        return std::nullopt;
    }
    decoded.resize(len);
    const auto colon = decoded.find(':');
    if (colon == std::string::npos) return std::nullopt;
    return BasicCredentials{decoded.substr(0, colon), decoded.substr(colon + 1)};
}

bool SecretEquals(std::string_view a, std::string_view b) {
    std::array<unsigned char, crypto_generichash_BYTES> ha{}, hb{};
    crypto_generichash(ha.data(), ha.size(), reinterpret_cast<const unsigned char*>(a.data()),
                       a.size(), nullptr, 0);
    crypto_generichash(hb.data(), hb.size(), reinterpret_cast<const unsigned char*>(b.data()),
                       b.size(), nullptr, 0);
    return sodium_memcmp(ha.data(), hb.data(), ha.size()) == 0;
}

}  // namespace rqwatch::http
