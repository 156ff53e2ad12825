#pragma once
// app::OidcProvider over HTTP: discovery, the key set (JWKS), the token
// endpoint (client_secret_basic), and the ID token check (jwt_verify).
//
// The discovery document and the keys are fetched at the first need and
// kept; a failed fetch is tried again at the next login. The keys are
// fetched again, once per login, when a token names a key we do not hold
// (the provider rotated its keys). Thread-safe: the worker threads share
// one client.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/oidc_provider.hpp"
#include "auth/jwk.hpp"
#include "auth/oidc_settings.hpp"

namespace rqwatch::auth {

class OidcClient final : public app::OidcProvider {
  public:
    using Clock = std::function<std::int64_t()>;  // seconds since the epoch
    explicit OidcClient(OidcSettings settings, Clock clock = {});

    [[nodiscard]] Result<std::string> AuthorizationUrl(
        const app::OidcAuthRequest& request) override;
    [[nodiscard]] Result<nlohmann::json> Redeem(std::string_view code,
                                                const app::OidcAuthRequest& request) override;

    // Fetches the discovery document and the keys now (at start, so that a
    // misconfiguration shows in the log before the first user tries).
    [[nodiscard]] Result<void> Warm();

  private:
    struct Endpoints {
        std::string authorization;
        std::string token;
        std::string jwks;
    };
    Result<Endpoints> Discover();
    Result<std::vector<Jwk>> Keys(bool refresh);
    Result<std::string> FetchIdToken(const Endpoints& endpoints, std::string_view code,
                                     const app::OidcAuthRequest& request);

    OidcSettings settings_;
    Clock clock_;
    std::mutex mu_;  // guards the two caches
    std::optional<Endpoints> endpoints_;
    std::optional<std::vector<Jwk>> keys_;
};

// The PKCE S256 code_challenge of a code_verifier (RFC 7636 §4.2).
[[nodiscard]] std::string PkceChallenge(std::string_view code_verifier);

}  // namespace rqwatch::auth
