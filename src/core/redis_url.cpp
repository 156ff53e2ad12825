#include "core/redis_url.hpp"

#include <fmt/format.h>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>

namespace rqwatch {
namespace {

std::unexpected<Error> Invalid(std::string msg) { return Fail(ErrorCode::kInvalidArgument, msg); }

std::optional<std::uint16_t> ParsePort(std::string_view text) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value == 0 ||
        value > 65535) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(value);
}

bool PlainHost(std::string_view host) {
    if (host.empty()) return false;
    for (const char c : host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

Result<RedisUrl> ParseRedisUrl(std::string_view url) {
    if (!url.starts_with("redis://")) {
        return Invalid(url.starts_with("rediss://")
                           ? "rediss:// (TLS) is not supported; use redis:// on a trusted network"
                           : "must look like redis://[:PASSWORD@]HOST:PORT[/DB]");
    }
    const auto parsed = boost::urls::parse_uri(url);
    if (!parsed) return Invalid("not a valid URL: redis://[:PASSWORD@]HOST:PORT[/DB]");
    const boost::urls::url_view& u = *parsed;
    RedisUrl out;
    if (u.has_userinfo()) {
        if (!u.user().empty()) {
            return Invalid("user names are not supported: redis://:PASSWORD@HOST:PORT");
        }
        out.password = u.password();
    }
    out.server.host = u.host_address();
    if (u.host_type() != boost::urls::host_type::ipv4 &&
        u.host_type() != boost::urls::host_type::ipv6 && !PlainHost(out.server.host)) {
        return Invalid("has no valid host: redis://[:PASSWORD@]HOST:PORT[/DB]");
    }
    out.server.port = 6379;
    if (u.has_port()) {
        const auto port = ParsePort(u.port());
        if (!port) return Invalid("has an invalid port");
        out.server.port = *port;
    }
    if (u.has_query() || u.has_fragment()) return Invalid("takes no ?options or #fragment");
    std::string_view path = u.encoded_path();
    if (path.starts_with('/')) path.remove_prefix(1);
    if (!path.empty()) {
        int db = -1;
        const auto [end, ec] = std::from_chars(path.data(), path.data() + path.size(), db);
        if (ec != std::errc{} || end != path.data() + path.size() || db < 0) {
            return Invalid("database must be a number: redis://HOST:PORT/DB");
        }
        out.db = db;
    }
    return out;
}

Result<HostPort> ParseHostPort(std::string_view text) {
    HostPort out;
    std::string_view port_text;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return Invalid(fmt::format("\"{}\" is not HOST:PORT or [IPv6]:PORT", text));
        }
        out.host = std::string(text.substr(1, close - 1));
        port_text = text.substr(close + 2);
        if (out.host.find(':') == std::string::npos) {
            return Invalid(fmt::format("\"{}\": only IPv6 addresses go in brackets", text));
        }
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) {
            return Invalid(fmt::format("\"{}\" is not HOST:PORT or [IPv6]:PORT", text));
        }
        out.host = std::string(text.substr(0, colon));
        port_text = text.substr(colon + 1);
        if (!PlainHost(out.host)) return Invalid(fmt::format("\"{}\" has no valid host", text));
    }
    const auto port = ParsePort(port_text);
    if (!port) return Invalid(fmt::format("\"{}\" has no valid port", text));
    out.port = *port;
    return out;
}

std::string FormatHostPort(const HostPort& at) {
    return at.host.find(':') != std::string::npos ? fmt::format("[{}]:{}", at.host, at.port)
                                                  : fmt::format("{}:{}", at.host, at.port);
}

}  // namespace rqwatch
