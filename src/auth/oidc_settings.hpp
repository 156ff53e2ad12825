#pragma once
// What OidcClient and app::OidcLogin need to know about the OpenID provider
// and the mapping of its claims. A plain struct (header only, so that
// config/ can hold it: it fills it from the [auth.oidc] keys);
// CheckOidcSettings says what is wrong with it (all problems at once, for
// the start-up check).

#include <cstdint>
#include <string>
#include <vector>

namespace rqwatch::auth {

struct OidcSettings {
    // The issuer identifier, e.g. "https://sso.example.org/realms/mail".
    // Discovery is ISSUER/.well-known/openid-configuration, whose "issuer"
    // must be this string exactly. Empty = OpenID Connect login is off.
    std::string issuer;
    std::string client_id;
    std::string client_secret;  // secret; sent as client_secret_basic
    // The public URL of rqwatch's callback, registered at the provider
    // exactly so: https://HOST/api/v1/session/oidc/callback.
    std::string redirect_uri;
    std::vector<std::string> scopes = {"openid", "email", "profile"};
    // The claim whose (string) value is the rqwatch user name.
    std::string username_claim = "preferred_username";
    // The claim with the user's address; a login whose email_verified claim
    // is present and false is refused.
    std::string email_claim = "email";
    // A claim (a string or an array of strings) and the values of it that
    // make a user an administrator, e.g. "groups" and ["rqwatch-admins"].
    std::string admin_claim;
    std::vector<std::string> admin_values;
    // User names (ASCII case ignored) that are administrators.
    std::vector<std::string> admin_users;
    // Plain http:// is refused for the issuer and its endpoints unless they
    // are on loopback (127.0.0.1, ::1, localhost); false allows it anywhere.
    bool require_https = true;
    // PEM file of the CA(s) of the provider's certificate; empty: the system's.
    std::string ca_file;
    // Limit for each request to the provider (discovery, JWKS, token).
    std::int64_t timeout_ms = 10000;
    // Tolerated difference between the provider's clock and ours (exp, iat).
    std::int64_t clock_skew_seconds = 60;
    // Key of the cookie that carries a login in progress (state, nonce,
    // PKCE verifier) from the start to the callback; at least 32
    // characters. Empty = a random key per process: then the callback must
    // reach the node that started the login (set the same key on every web
    // node behind a load balancer).
    std::string state_key;
};

// Everything wrong with `settings`, one "field: problem" line each (empty =
// usable). Only the form is checked; whether the provider agrees shows at
// the first login.
[[nodiscard]] std::vector<std::string> CheckOidcSettings(const OidcSettings& settings);

// True for http(s) URLs whose host is 127.0.0.1, ::1 or localhost.
[[nodiscard]] bool IsLoopbackUrl(const std::string& url);

// "" when `url` (an endpoint named by the discovery document) may be used
// under `settings` (absolute http(s), https unless loopback or
// require_https is off), else the problem.
[[nodiscard]] std::string EndpointProblem(const OidcSettings& settings, const std::string& url);

}  // namespace rqwatch::auth
