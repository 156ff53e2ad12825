#include "mime/rfc2047.hpp"

#include <glib.h>

#include <cstddef>
#include <optional>

namespace rqwatch::mime {
namespace {

struct EncodedWord {
    std::string_view charset;  // may carry an RFC 2231 "*language" suffix
    std::string_view payload;
    std::size_t length = 0;  // of the whole "=?charset?B?payload?=" token
};

bool IsTokenChar(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7F && c != '?';
}

// Recognises "=?charset?B?payload?=" at the start of `s` (B or b only).
std::optional<EncodedWord> MatchBase64Word(std::string_view s) {
    if (!s.starts_with("=?")) return std::nullopt;
    std::size_t pos = 2;
    while (pos < s.size() && IsTokenChar(s[pos])) ++pos;
    const std::string_view charset = s.substr(2, pos - 2);
    if (charset.empty() || s.substr(pos, 1) != "?") return std::nullopt;
    if (pos + 2 >= s.size() || (s[pos + 1] != 'B' && s[pos + 1] != 'b') || s[pos + 2] != '?') {
        return std::nullopt;
    }
    const std::size_t payload_start = pos + 3;
    const std::size_t end = s.find("?=", payload_start);
    if (end == std::string_view::npos) return std::nullopt;
    const std::string_view payload = s.substr(payload_start, end - payload_start);
    for (const char c : payload) {
        if (!IsTokenChar(c)) return std::nullopt;
    }
    return EncodedWord{charset, payload, end + 2};
}

// Lenient base64: skips bytes outside the alphabet, stops at the first pad
// (what a single, self-contained encoded-word means).
std::string DecodeBase64(std::string_view payload) {
    std::string out;
    std::uint32_t bits = 0;
    int bit_count = 0;
    for (const char c : payload) {
        int value = -1;
        if (c >= 'A' && c <= 'Z')
            value = c - 'A';
        else if (c >= 'a' && c <= 'z')
            value = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            value = c - '0' + 52;
        else if (c == '+')
            value = 62;
        else if (c == '/')
            value = 63;
        else if (c == '=')
            break;
        if (value < 0) continue;
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            out.push_back(static_cast<char>((bits >> bit_count) & 0xFF));
        }
    }
    return out;
}

void AppendQEncoded(std::string_view charset, std::string_view bytes, std::string& out) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += "=?";
    out += charset;
    out += "?Q?";
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (g_ascii_isalnum(c)) {
            out.push_back(c);
        } else {
            out.push_back('=');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0x0F]);
        }
    }
    out += "?=";
}

}  // namespace

std::string WithoutBase64Words(std::string_view value) {
    if (value.find("?B?") == std::string_view::npos &&
        value.find("?b?") == std::string_view::npos) {
        return std::string(value);
    }
    std::string out;
    out.reserve(value.size() * 2);
    std::size_t pos = 0;
    while (pos < value.size()) {
        const std::size_t start = value.find("=?", pos);
        if (start == std::string_view::npos) break;
        out.append(value.substr(pos, start - pos));
        if (const auto word = MatchBase64Word(value.substr(start))) {
            AppendQEncoded(word->charset, DecodeBase64(word->payload), out);
            pos = start + word->length;
        } else {
            out.append("=?");
            pos = start + 2;
        }
    }
    out.append(value.substr(std::min(pos, value.size())));
    return out;
}

std::string UnfoldHeaderValue(std::string_view raw_value) {
    std::string out;
    out.reserve(raw_value.size());
    for (const char c : raw_value) {
        if (c == '\r' || c == '\n') continue;  // folding keeps the following blank
        out.push_back(c == '\0' ? ' ' : c);
    }
    return out;
}

}  // namespace rqwatch::mime
