#pragma once
// Use case: personal API tokens, for scripts. A user creates named tokens
// for themself (the secret is shown once; the store keeps its digest), lists
// and revokes them; a token acts with its owner's current rights and mail
// scope, needs no CSRF token (it is no ambient credential) and no TOTP code
// (it was created from a session that had one). A token cannot create
// tokens, and a "login as" session cannot either: a token would outlive the
// audited impersonation. Creation and revocation are audited. "Log out
// everywhere" and a new password leave tokens alone (scripts keep working);
// deleting the user deletes them.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/ports/api_token_repo.hpp"
#include "app/ports/token_source.hpp"
#include "app/ports/user_repo.hpp"

namespace rqwatch::app {

// Every secret starts with this, so that secret scanners and people
// recognise one (and a Bearer value that lacks it costs no query).
inline constexpr std::string_view kApiTokenPrefix = "rqw_";
inline constexpr std::size_t kMaxTokenName = 100;

struct ApiTokenOptions {
    int max_per_user = 20;
    std::int64_t max_lifetime_days = 3650;
    // last_used_at is written at most this often per token.
    std::int64_t touch_interval_ms = 60 * 1000;
};

struct CreatedApiToken {
    ApiToken token;
    std::string secret;  // shown once, never stored
};

struct TokenHolder {
    User user;
    ApiToken token;
};

class ApiTokens {
  public:
    using Clock = std::function<std::int64_t()>;  // ms since the epoch
    ApiTokens(ApiTokenRepo& repo, UserRepo& users, TokenSource& tokens, AuditTrail& audit,
              ApiTokenOptions options = {}, Clock clock = {});

    // A token of the actor's own. kInvalidArgument (name, lifetime),
    // kPermissionDenied (from a token or a "login as"), kConflict (the
    // name is taken or the user has max_per_user tokens).
    [[nodiscard]] Result<CreatedApiToken> Create(const Actor& actor, const std::string& name,
                                                 std::optional<std::int64_t> expires_in_days);
    // kNotFound for an unknown user.
    [[nodiscard]] Result<std::vector<ApiToken>> List(std::int64_t user_id);
    // Token `token_id` of user `owner_id` (the actor's own, or any user's
    // for an administrator's route); kNotFound otherwise.
    [[nodiscard]] Result<void> Revoke(const Actor& actor, std::int64_t owner_id,
                                      std::int64_t token_id);
    // The owner of a Bearer secret; kUnauthenticated for an unknown,
    // revoked or expired token or a deleted owner.
    [[nodiscard]] Result<TokenHolder> Authenticate(std::string_view secret);

    [[nodiscard]] const ApiTokenOptions& Options() const { return options_; }

  private:
    ApiTokenRepo& repo_;
    UserRepo& users_;
    TokenSource& tokens_;
    AuditTrail& audit_;
    ApiTokenOptions options_;
    Clock clock_;
};

// "api_token:7", the audit target of a token.
[[nodiscard]] std::string ApiTokenTarget(std::int64_t id);

}  // namespace rqwatch::app
