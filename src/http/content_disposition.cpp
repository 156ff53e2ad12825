#include "http/content_disposition.hpp"

namespace rqwatch::http {
namespace {

// RFC 8187 attr-char: what filename* carries unencoded.
bool AttrChar(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::string AttachmentDisposition(std::string_view filename, std::string_view fallback) {
    std::string ascii;
    std::string encoded;
    for (unsigned char c : filename) {
        ascii += AttrChar(c) || c == ' ' ? static_cast<char>(c) : '_';
        if (AttrChar(c)) {
            encoded += static_cast<char>(c);
        } else {
            static constexpr char kHex[] = "0123456789ABCDEF";
            encoded += '%';
            encoded += kHex[c >> 4];
            encoded += kHex[c & 15];
        }
    }
    if (ascii.find_first_not_of('.') == std::string::npos) {
        ascii = fallback;
        encoded = fallback;
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

Response Download(std::string bytes, const std::string& disposition) {
    Response r{bhttp::status::ok, "application/octet-stream", std::move(bytes), {}, false};
    r.headers.emplace_back("Content-Disposition", disposition);
    r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
    return r;
}

}  // namespace rqwatch::http
