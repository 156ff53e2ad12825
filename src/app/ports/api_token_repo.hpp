#pragma once
// Port: personal API tokens (SQL in storage/). The store keeps a digest of
// each secret, never the secret: a copy of the table gives no working token.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::app {

struct ApiToken {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string name;             // the owner's label, unique per owner
    std::string prefix;           // the secret's first characters, to recognise it ("rqw_Ab12Cd")
    std::string digest;           // TokenSource::Digest of the secret (hex)
    std::int64_t created_at = 0;  // ms since the epoch, UTC
    std::optional<std::int64_t> last_used_at;
    std::optional<std::int64_t> expires_at;  // none: valid until revoked
};

class ApiTokenRepo {
  public:
    virtual ~ApiTokenRepo() = default;
    // Returns the new id. kNotFound for an unknown user; kConflict when the
    // user has a token of that name, or `max_per_user` tokens already
    // (counted in the same transaction as the insert).
    [[nodiscard]] virtual Result<std::int64_t> Add(const ApiToken& token, int max_per_user) = 0;
    // A user's tokens, newest first.
    [[nodiscard]] virtual Result<std::vector<ApiToken>> ListOf(std::int64_t user_id) = 0;
    // kNotFound when absent.
    [[nodiscard]] virtual Result<ApiToken> FindByDigest(const std::string& digest) = 0;
    // kNotFound unless token `id` exists and belongs to `user_id`.
    [[nodiscard]] virtual Result<ApiToken> Find(std::int64_t user_id, std::int64_t id) = 0;
    [[nodiscard]] virtual Result<void> Delete(std::int64_t user_id, std::int64_t id) = 0;
    // Sets last_used_at = `at` unless it is later than `unless_after` already
    // (so concurrent requests write it once).
    [[nodiscard]] virtual Result<void> Touch(std::int64_t id, std::int64_t at,
                                             std::int64_t unless_after) = 0;
};

}  // namespace rqwatch::app
