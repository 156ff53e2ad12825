#include "core/html_scan.hpp"

#include <array>
#include <string>

#include "util/ascii.hpp"

namespace rqwatch {
namespace {

bool StartsRemoteUrl(std::string_view s) {
    return s.starts_with("http:") || s.starts_with("https:") || s.starts_with("//");
}

// After an attribute name or "url(": skip "=", quotes, parentheses and white
// space (entity-encoded quotes too), then look at the URL.
bool RemoteAfter(std::string_view lower, std::size_t pos) {
    while (pos < lower.size()) {
        const char c = lower[pos];
        if (c == '=' || c == '"' || c == '\'' || c == '(' || c == ' ' || c == '\t' ||
            c == '\r' || c == '\n' || c == '\f') {
            ++pos;
        } else if (lower.substr(pos).starts_with("&quot;")) {
            pos += 6;
        } else {
            break;
        }
    }
    return StartsRemoteUrl(lower.substr(pos));
}

}  // namespace

bool HasRemoteContent(std::string_view html) {
    // Everything a browser fetches by itself; <a href> is only a link.
    static constexpr std::array<std::string_view, 8> kFetching = {
        "src", "background", "poster", "srcset", "data", "url(", "@import", "<link"};
    const std::string lower = util::AsciiLower(html);
    for (std::string_view token : kFetching) {
        for (std::size_t at = lower.find(token); at != std::string::npos;
             at = lower.find(token, at + 1)) {
            if (token == "<link") {
                // <link rel=stylesheet href=...>: the href of that tag.
                const std::size_t end = lower.find('>', at);
                const std::size_t href = lower.find("href", at);
                if (href != std::string::npos && (end == std::string::npos || href < end) &&
                    RemoteAfter(lower, href + 4)) {
                    return true;
                }
            } else if (RemoteAfter(lower, at + token.size())) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace rqwatch
