#include "auth/base64url.hpp"

#include <sodium.h>

namespace rqwatch::auth {
namespace {

std::string Encode(std::string_view bytes, int variant) {
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), variant);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

}  // namespace

std::optional<std::string> Base64UrlDecode(std::string_view text) {
    std::string out(text.size() * 3 / 4 + 3, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(len);
    return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
    return Encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string Base64Encode(std::string_view bytes) {
    return Encode(bytes, sodium_base64_VARIANT_ORIGINAL);
}

}  // namespace rqwatch::auth
