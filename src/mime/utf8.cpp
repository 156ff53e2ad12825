// ToValidUtf8: make arbitrary bytes displayable without losing the common
// case of undeclared Windows-1252 / ISO-8859-1 text.

#include <glib.h>

#include <array>
#include <string>
#include <string_view>

#include "mime/gmime_ptr.hpp"
#include "mime/parse_mail.hpp"

namespace rqwatch::mime {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kFromCharset = "WINDOWS-1252";

// g_utf8_validate_len rejects NUL bytes, but NUL is valid UTF-8 (and callers
// decide themselves what to do with it), so validate between NULs.
bool IsValidUtf8(std::string_view s) {
    while (!s.empty()) {
        const auto nul = s.find('\0');
        const auto chunk = s.substr(0, nul);
        if (!chunk.empty() && !g_utf8_validate_len(chunk.data(), chunk.size(), nullptr)) {
            return false;
        }
        if (nul == std::string_view::npos) break;
        s.remove_prefix(nul + 1);
    }
    return true;
}

bool ConvertFromCp1252(std::string_view s, std::string& out) {
    gsize bytes_written = 0;
    GError* error = nullptr;
    GCharPtr converted(g_convert(s.data(), static_cast<gssize>(s.size()), "UTF-8",
                                 kFromCharset.data(), nullptr, &bytes_written, &error));
    if (error != nullptr) g_error_free(error);
    if (!converted) return false;
    out.assign(converted.get(), bytes_written);
    return true;
}

// UTF-8 for each byte 0x80..0xFF read as Windows-1252; the five bytes that
// charset leaves undefined (0x81, 0x8D, ...) map to U+FFFD. Built once.
const std::array<std::string, 128>& HighByteTable() {
    static const std::array<std::string, 128> table = [] {
        std::array<std::string, 128> t;
        for (int i = 0; i < 128; ++i) {
            const char byte = static_cast<char>(0x80 + i);
            if (!ConvertFromCp1252(std::string_view(&byte, 1), t[i])) {
                t[i] = kReplacement;
            }
        }
        return t;
    }();
    return table;
}

}  // namespace

std::string ToValidUtf8(std::string_view s) {
    if (IsValidUtf8(s)) return std::string(s);

    std::string out;
    if (ConvertFromCp1252(s, out)) return out;

    // Bytes undefined in Windows-1252 made iconv give up on the whole string;
    // decode byte by byte so that only those bytes are lost.
    const auto& table = HighByteTable();
    out.clear();
    out.reserve(s.size() + s.size() / 2);
    for (const char c : s) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
            out.push_back(c);
        } else {
            out += table[byte - 0x80];
        }
    }
    return out;
}

}  // namespace rqwatch::mime
