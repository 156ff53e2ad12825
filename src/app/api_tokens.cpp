#include "app/api_tokens.hpp"

#include <fmt/format.h>

#include "core/utf8.hpp"
#include "util/ids.hpp"

namespace rqwatch::app {
namespace {

constexpr std::int64_t kDayMs = 24 * 3600 * 1000LL;
// Characters of the random part shown in lists: enough to tell tokens
// apart, far too few (36 bits of 256) to help guess one.
constexpr std::size_t kShownChars = 6;
// Longer Bearer values are no token of ours; no digest is computed.
constexpr std::size_t kMaxSecret = 256;

Result<void> CheckName(const std::string& name) {
    if (name.empty() || name.size() > kMaxTokenName || !IsValidUtf8(name)) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("name must be 1-{} bytes of UTF-8 text", kMaxTokenName));
    }
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F) {
            return Fail(ErrorCode::kInvalidArgument, "name must not hold control characters");
        }
    }
    return {};
}

Error Unauthenticated(std::string msg) {
    return Error{ErrorCode::kUnauthenticated, std::move(msg), {}};
}

}  // namespace

std::string ApiTokenTarget(std::int64_t id) { return "api_token:" + std::to_string(id); }

ApiTokens::ApiTokens(ApiTokenRepo& repo, UserRepo& users, TokenSource& tokens, AuditTrail& audit,
                     ApiTokenOptions options, Clock clock)
    : repo_(repo),
      users_(users),
      tokens_(tokens),
      audit_(audit),
      options_(options),
      clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)) {}

Result<CreatedApiToken> ApiTokens::Create(const Actor& actor, const std::string& name,
                                          std::optional<std::int64_t> expires_in_days) {
    // A token would outlive an audited "login as", or the revocation of
    // the token that made it.
    if (auto ok = RequireThePerson(actor, "creating an API token"); !ok) {
        return std::unexpected(ok.error());
    }
    if (auto ok = CheckName(name); !ok) return std::unexpected(ok.error());
    if (expires_in_days &&
        (*expires_in_days < 1 || *expires_in_days > options_.max_lifetime_days)) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("expires_in_days must be 1-{}", options_.max_lifetime_days));
    }
    CreatedApiToken out;
    out.secret = std::string(kApiTokenPrefix) + tokens_.NewToken();
    ApiToken& t = out.token;
    t.user_id = actor.id;
    t.name = name;
    t.prefix = out.secret.substr(0, kApiTokenPrefix.size() + kShownChars);
    t.digest = tokens_.Digest(out.secret);
    t.created_at = clock_();
    if (expires_in_days) t.expires_at = t.created_at + *expires_in_days * kDayMs;
    auto id = repo_.Add(t, options_.max_per_user);
    if (!id) return std::unexpected(id.error());
    t.id = *id;
    audit_.Record(actor, "api_token.create", ApiTokenTarget(t.id),
                  fmt::format("name \"{}\"{}", t.name,
                              expires_in_days ? fmt::format(", {} days", *expires_in_days) : ""));
    return out;
}

Result<std::vector<ApiToken>> ApiTokens::List(std::int64_t user_id) {
    if (auto user = users_.FindById(user_id); !user) return std::unexpected(user.error());
    return repo_.ListOf(user_id);
}

Result<void> ApiTokens::Revoke(const Actor& actor, std::int64_t owner_id, std::int64_t token_id) {
    auto token = repo_.Find(owner_id, token_id);
    if (!token) return std::unexpected(token.error());
    if (auto ok = repo_.Delete(owner_id, token_id); !ok) return ok;
    audit_.Record(actor, "api_token.revoke", ApiTokenTarget(token_id),
                  fmt::format("name \"{}\" of {}", token->name, UserTarget(owner_id)));
    return {};
}

Result<TokenHolder> ApiTokens::Authenticate(std::string_view secret) {
    if (!secret.starts_with(kApiTokenPrefix) || secret.size() > kMaxSecret) {
        return std::unexpected(Unauthenticated("unknown API token"));
    }
    const std::string digest = tokens_.Digest(secret);
    auto token = repo_.FindByDigest(digest);
    if (!token) {
        if (token.error().code == ErrorCode::kNotFound) {
            return std::unexpected(Unauthenticated("unknown or revoked API token"));
        }
        return std::unexpected(token.error());
    }
    // The lookup compared digests in the database; compare again here in
    // constant time, so that no engine's collation or timing decides.
    if (!tokens_.Equal(token->digest, digest)) {
        return std::unexpected(Unauthenticated("unknown or revoked API token"));
    }
    const std::int64_t now = clock_();
    if (token->expires_at && *token->expires_at <= now) {
        return std::unexpected(Unauthenticated("this API token has expired"));
    }
    auto user = users_.FindById(token->user_id);
    if (!user) {
        if (user.error().code == ErrorCode::kNotFound) {
            return std::unexpected(Unauthenticated("unknown or revoked API token"));
        }
        return std::unexpected(user.error());
    }
    if (!token->last_used_at || now - *token->last_used_at >= options_.touch_interval_ms) {
        // Best effort: a failed write must not fail the request.
        (void)repo_.Touch(token->id, now, now - options_.touch_interval_ms);
        token->last_used_at = now;
    }
    return TokenHolder{std::move(*user), std::move(*token)};
}

}  // namespace rqwatch::app
