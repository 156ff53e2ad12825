#include "auth/oidc_settings.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <cctype>
#include <optional>

namespace rqwatch::auth {
namespace {

struct UrlShape {
    std::string scheme;
    std::string host;
    bool query = false;
    bool fragment = false;
};

std::optional<UrlShape> ShapeOf(const std::string& text) {
    auto parsed = boost::urls::parse_absolute_uri(text);
    if (!parsed || !parsed->has_authority() || parsed->host_address().empty()) return std::nullopt;
    UrlShape s{std::string(parsed->scheme()), std::string(parsed->host_address()),
               parsed->has_query(), parsed->has_fragment()};
    std::ranges::transform(s.scheme, s.scheme.begin(),
                           [](unsigned char c) { return std::tolower(c); });
    std::ranges::transform(s.host, s.host.begin(), [](unsigned char c) { return std::tolower(c); });
    if (s.scheme != "http" && s.scheme != "https") return std::nullopt;
    return s;
}

bool LoopbackHost(const std::string& host) {
    return host == "127.0.0.1" || host == "::1" || host == "localhost";
}

// "" when `url` may be used as `what`, else the problem.
std::string UrlProblem(const OidcSettings& s, const std::string& url, bool allow_query) {
    const auto shape = ShapeOf(url);
    if (!shape) return "\"" + url + "\" is not an absolute http:// or https:// URL with a host";
    if (shape->fragment || (shape->query && !allow_query)) {
        return "\"" + url + "\" must not have a " + (shape->fragment ? "fragment" : "query");
    }
    if (shape->scheme == "http" && s.require_https && !LoopbackHost(shape->host)) {
        return "\"" + url +
               "\" is plain http on a host that is not loopback (use https, or set "
               "auth.oidc.require_https = false)";
    }
    return {};
}

}  // namespace

bool IsLoopbackUrl(const std::string& url) {
    const auto shape = ShapeOf(url);
    return shape && LoopbackHost(shape->host);
}

std::string EndpointProblem(const OidcSettings& settings, const std::string& url) {
    return UrlProblem(settings, url, /*allow_query=*/true);
}

std::vector<std::string> CheckOidcSettings(const OidcSettings& s) {
    std::vector<std::string> out;
    if (s.issuer.empty()) return out;  // off
    if (auto p = UrlProblem(s, s.issuer, /*allow_query=*/false); !p.empty()) {
        out.push_back("issuer: " + p);
    }
    if (s.client_id.empty()) out.push_back("client_id: needed with auth.oidc.issuer");
    if (s.client_secret.empty()) {
        out.push_back(
            "client_secret: needed with auth.oidc.issuer (or client_secret_file / "
            "client_secret_env)");
    }
    if (s.redirect_uri.empty()) {
        out.push_back(
            "redirect_uri: needed with auth.oidc.issuer: the public URL of "
            "/api/v1/session/oidc/callback");
    } else if (auto p = UrlProblem(s, s.redirect_uri, /*allow_query=*/false); !p.empty()) {
        out.push_back("redirect_uri: " + p);
    }
    if (std::ranges::find(s.scopes, "openid") == s.scopes.end()) {
        out.push_back("scopes: must contain \"openid\"");
    }
    if (s.username_claim.empty()) out.push_back("username_claim: must not be empty");
    if (s.email_claim.empty()) out.push_back("email_claim: must not be empty");
    if (s.admin_claim.empty() != s.admin_values.empty()) {
        out.push_back("admin_claim: set both admin_claim and admin_values, or neither");
    }
    if (!s.state_key.empty() && s.state_key.size() < 32) {
        out.push_back("state_key: must be at least 32 characters (e.g. openssl rand -base64 32)");
    }
    return out;
}

}  // namespace rqwatch::auth
