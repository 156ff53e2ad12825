#pragma once
// Checks an OpenID Connect ID token (a compact JWS, RFC 7515/7519; OpenID
// Connect Core §3.1.3.7) with OpenSSL 3: the signature against the
// provider's keys, then the claims.
//
// Only asymmetric algorithms are accepted (RS256, RS384, RS512, ES256), each
// with a key of its own type: "none" and HS* are refused, so a token "signed"
// with the public key as an HMAC secret never passes (key confusion).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "auth/jwk.hpp"
#include "core/error.hpp"

namespace rqwatch::auth {

struct IdTokenCheck {
    std::string issuer;        // "iss" must be exactly this
    std::string client_id;     // in "aud"; "azp" when present (needed with several audiences)
    std::string nonce;         // "nonce" must be exactly this
    std::int64_t now_s = 0;    // seconds since the epoch
    std::int64_t skew_s = 60;  // tolerated clock difference for exp, iat, nbf
};

// Tokens larger than this are refused before any parsing.
inline constexpr std::size_t kMaxIdTokenBytes = 16 * 1024;

// The token's claims once everything holds. kNotFound when no key of `keys`
// fits the token's "kid" and algorithm (the provider may have rotated its
// keys: fetch them again, once); kUnauthenticated for everything else, with
// the reason in detail.
[[nodiscard]] Result<nlohmann::json> VerifyIdToken(std::string_view token,
                                                   const std::vector<Jwk>& keys,
                                                   const IdTokenCheck& check);

}  // namespace rqwatch::auth
