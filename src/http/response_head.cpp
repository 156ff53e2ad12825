#include "http/response_head.hpp"

#include <array>
#include <utility>

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

bool SameName(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

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

bool HandlerSets(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
        if (SameName(k, name)) return true;
    }
    return false;
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
    for (std::size_t i = 0; i < r.headers.size(); ++i) {
        const auto& [name, value] = r.headers[i];
        if (!ValidName(name)) continue;
        bool framing_field = false;
        for (auto f : kFramingFields) framing_field = framing_field || SameName(name, f);
        if (framing_field) continue;
        bool replaced_later = false;
        if (!SameName(name, "Set-Cookie")) {
            for (std::size_t j = i + 1; j < r.headers.size(); ++j) {
                replaced_later = replaced_later || SameName(r.headers[j].first, name);
            }
        }
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
