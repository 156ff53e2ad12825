#pragma once
// Public keys from a JSON Web Key Set (RFC 7517, 7518 §6): RSA (n, e; at
// least 2048 bits) and EC P-256 (x, y), as OpenSSL 3 EVP keys. Keys for
// encryption ("use": "enc"), other key types and malformed entries are
// skipped, so that one odd key does not lock everybody out.

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::auth {

struct Jwk {
    std::string kid;  // "" when the JWK has none
    std::string kty;  // "RSA" or "EC"
    std::string alg;  // "" when the JWK names none
    std::shared_ptr<EVP_PKEY> key;
};

// The signature keys of a JWKS document ({"keys": [...]}); kInvalidArgument
// when it is not one.
[[nodiscard]] Result<std::vector<Jwk>> ParseJwks(std::string_view json_text);

}  // namespace rqwatch::auth
