#include "core/totp.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace rqwatch::totp {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int Base32Value(char c) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const std::size_t i = kAlphabet.find(c);
    return i == std::string_view::npos ? -1 : static_cast<int>(i);
}

// RFC 3986 unreserved characters stay; everything else is %XX.
std::string PercentEncode(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out += fmt::format("%{:02X}", c);
        }
    }
    return out;
}

bool SameCode(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return diff == 0;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 31]);
    return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const int v = Base32Value(c);
        if (v < 0) return std::nullopt;
        buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
            bits -= 8;
        }
    }
    return out;
}

std::string Hotp(std::string_view key, std::uint64_t counter, int digits) {
    std::array<unsigned char, 8> message{};
    for (int i = 7; i >= 0; --i) {
        message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xFF);
        counter >>= 8;
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_len = 0;
    // HMAC-SHA1 is what RFC 6238 apps compute; SHA-1's collision weakness
    // does not touch HMAC's use as a keyed PRF.
    if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(),
             mac.data(), &mac_len) == nullptr ||
        mac_len < 20) {
        return {};  // no code matches an empty string (WellFormedCode)
    }
    const unsigned offset = mac[mac_len - 1] & 0x0F;
    const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                                 (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                                 (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                                 static_cast<std::uint32_t>(mac[offset + 3]);
    std::uint32_t modulus = 1;
    for (int i = 0; i < digits; ++i) modulus *= 10;
    return fmt::format("{:0{}}", binary % modulus, digits);
}

std::int64_t StepOf(std::int64_t unix_s) {
    return unix_s >= 0 ? unix_s / kStepSeconds : (unix_s - kStepSeconds + 1) / kStepSeconds;
}

bool WellFormedCode(std::string_view code) {
    if (code.size() != static_cast<std::size_t>(kDigits)) return false;
    for (char c : code) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

std::optional<std::int64_t> MatchStep(std::string_view key, std::string_view code,
                                      std::int64_t unix_s, std::int64_t last_used_step,
                                      int window) {
    if (!WellFormedCode(code)) return std::nullopt;
    const std::int64_t now = StepOf(unix_s);
    std::optional<std::int64_t> match;
    // Every candidate is computed, so the time taken does not tell which matched.
    for (std::int64_t step = now - window; step <= now + window; ++step) {
        if (step < 0) continue;
        const bool same = SameCode(Hotp(key, static_cast<std::uint64_t>(step)), code);
        if (same && step > last_used_step && !match) match = step;
    }
    return match;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32_secret) {
    return fmt::format(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={}&period={}",
        PercentEncode(issuer), PercentEncode(account), base32_secret, PercentEncode(issuer),
        kDigits, kStepSeconds);
}

}  // namespace rqwatch::totp
