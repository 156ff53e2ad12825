#pragma once
// Port: an OpenID Connect provider for the authorization code flow with
// PKCE (auth/oidc_client over libcurl and OpenSSL).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace rqwatch::app {

// What one login attempt sends, generated fresh per attempt and kept by
// rqwatch (never by the provider) until the callback.
struct OidcAuthRequest {
    std::string state;          // ties the callback to this browser's start
    std::string nonce;          // ties the ID token to this attempt
    std::string code_verifier;  // PKCE: only its S256 challenge goes out at first
};

class OidcProvider {
  public:
    virtual ~OidcProvider() = default;
    // The URL to send the browser to: the authorization endpoint with
    // response_type=code, client_id, redirect_uri, scope, state, nonce and
    // the S256 code_challenge of request.code_verifier. kUnavailable when
    // the provider's discovery document cannot be had.
    [[nodiscard]] virtual Result<std::string> AuthorizationUrl(const OidcAuthRequest& request) = 0;
    // Redeems `code` at the token endpoint (with the code_verifier) and
    // checks the ID token (signature, iss, aud, azp, exp, iat, nonce):
    // its claims. kUnauthenticated when the provider refuses the code or the
    // token is not valid; kUnavailable when the provider cannot be reached.
    // Blocking: call it from a worker thread, never an I/O thread.
    [[nodiscard]] virtual Result<nlohmann::json> Redeem(std::string_view code,
                                                        const OidcAuthRequest& request) = 0;
};

}  // namespace rqwatch::app
