#include "http/response_head.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <utility>
#include <vector>

#include "util/ascii.hpp"

namespace rqwatch::http {
namespace {

using Field = std::pair<std::string_view, std::string_view>;

// Sent on every answer but a 304; a handler may replace any of them (the UI's
// pages set their own Content-Security-Policy).
constexpr std::array<Field, 5> kSecurityHeaders = {{
    {"X-Content-Type-Options", "nosniff"},
    {"Cache-Control", "no-store"},
    {"Referrer-Policy", "no-referrer"},
    {"X-Frame-Options", "DENY"},
    {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
}};

constexpr std::array<std::string_view, 3> kFramingFields = {"Content-Length", "Transfer-Encoding",
                                                            "Connection"};

// RFC 9110 token characters.
bool ValidName(std::string_view name) {
    if (name.empty()) return false;
    for (char c : name) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
            return false;
        }
    }
    return true;
}

using Headers = std::vector<std::pair<std::string, std::string>>;

// Whether a header of [first, last) is named `name` (case-insensitive).
bool Named(Headers::const_iterator first, Headers::const_iterator last, std::string_view name) {
    return std::any_of(first, last,
                       [name](const auto& h) { return util::AsciiIEquals(h.first, name); });
}

bool HandlerSets(const Response& r, std::string_view name) {
    return Named(r.headers.begin(), r.headers.end(), name);
}

void Append(std::string& out, std::string_view name, std::string_view value) {
    out.append(name);
    out.append(": ");
    const std::size_t from = out.size();
    out.append(value);
    for (std::size_t i = from; i < out.size(); ++i) {
        if (out[i] == '\r' || out[i] == '\n' || out[i] == '\0') out[i] = ' ';
    }
    out.append("\r\n");
}

}  // namespace

bool StatusHasNoBody(bhttp::status status) {
    const auto code = static_cast<unsigned>(status);
    return code < 200 || status == bhttp::status::no_content ||
           status == bhttp::status::not_modified;
}

std::string ResponseHead(const Response& r, const HeadFraming& framing) {
    std::string out;
    out.reserve(256 + 64 * r.headers.size());
    out.append("HTTP/1.1 ");
    out.append(std::to_string(static_cast<unsigned>(r.status)));
    out.push_back(' ');
    out.append(bhttp::obsolete_reason(r.status));
    out.append("\r\n");
    Append(out, "Server", "rqwatch");
    Append(out, "X-Request-Id", framing.request_id);
    if (r.status != bhttp::status::not_modified) {
        if (!HandlerSets(r, "Content-Type")) Append(out, "Content-Type", r.content_type);
        for (const auto& [name, value] : kSecurityHeaders) {
            if (!HandlerSets(r, name)) Append(out, name, value);
        }
    }
    for (auto it = r.headers.begin(); it != r.headers.end(); ++it) {
        const auto& [name, value] = *it;
        const auto framing_field = [&name](std::string_view f) {
            return util::AsciiIEquals(name, f);
        };
        if (!ValidName(name) || std::ranges::any_of(kFramingFields, framing_field)) continue;
        const bool replaced_later =
            !util::AsciiIEquals(name, "Set-Cookie") && Named(std::next(it), r.headers.end(), name);
        if (!replaced_later) Append(out, name, value);
    }
    if (!StatusHasNoBody(r.status)) {
        Append(out, "Content-Length", std::to_string(framing.body_size));
    }
    if (framing.close) Append(out, "Connection", "close");
    out.append("\r\n");
    return out;
}

}  // namespace rqwatch::http
