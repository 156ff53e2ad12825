#include "app/oidc_login.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/mail.hpp"
#include "util/ascii.hpp"
#include "util/ids.hpp"

namespace rqwatch::app {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxUsedStates = 100'000;

std::unexpected<Error> StateRefused(std::string detail) {
    return Fail(ErrorCode::kUnauthenticated, "the login could not be completed; please start again",
                std::move(detail));
}

std::string ClaimString(const json& claims, const std::string& name) {
    auto it = claims.find(name);
    return it != claims.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

OidcLogin::OidcLogin(OidcProvider& provider, StateSealer& sealer, TokenSource& tokens,
                     UserRepo& users, OidcSubjectRepo& subjects, AuditLog& audit,
                     LoginThrottle& throttle, OidcLoginOptions options, Clock clock)
    : provider_(provider),
      sealer_(sealer),
      tokens_(tokens),
      users_(users),
      subjects_(subjects),
      throttle_(throttle),
      options_(std::move(options)),
      clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)),
      audit_(audit, clock_) {}

void OidcLogin::Audit(const std::string& ip, const User* user, const std::string& username,
                      std::string action, std::string detail) {
    audit_.Record(Actor{user ? user->id : 0, user ? user->username : username, ip, {}},
                  std::move(action), user ? UserTarget(user->id) : std::string(),
                  std::move(detail));
}

Result<OidcStarted> OidcLogin::Start(const std::string& return_to) {
    Pending p{.request = {.state = tokens_.NewToken(),
                          .nonce = tokens_.NewToken(),
                          .code_verifier = tokens_.NewToken()},  // 43 characters, as PKCE wants
              .return_to = return_to,
              .expires_at = clock_() + options_.pending_ttl_ms};
    auto url = provider_.AuthorizationUrl(p.request);
    if (!url) return std::unexpected(url.error());
    const json sealed = {{"s", p.request.state},
                         {"n", p.request.nonce},
                         {"v", p.request.code_verifier},
                         {"r", p.return_to},
                         {"e", p.expires_at}};
    return OidcStarted{std::move(*url), sealer_.Seal(sealed.dump())};
}

bool OidcLogin::FirstUse(const std::string& state, std::int64_t expires_at, std::int64_t now) {
    const std::string key = tokens_.Digest(state);
    std::lock_guard lock(used_mu_);
    // Entries expire in the order they came (one TTL for all).
    while (!used_order_.empty() &&
           (used_[used_order_.front()] <= now || used_order_.size() >= kMaxUsedStates)) {
        used_.erase(used_order_.front());
        used_order_.pop_front();
    }
    if (!used_.emplace(key, expires_at).second) return false;
    used_order_.push_back(key);
    return true;
}

Result<OidcLogin::Pending> OidcLogin::TakePending(const OidcCallback& callback, std::int64_t now) {
    if (callback.pending.empty()) return StateRefused("no login state cookie");
    auto plain = sealer_.Open(callback.pending);
    if (!plain) return StateRefused("login state cookie: " + plain.error().detail);
    const json j = json::parse(*plain, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("s") || !j["s"].is_string() || !j.contains("n") ||
        !j["n"].is_string() || !j.contains("v") || !j["v"].is_string() || !j.contains("r") ||
        !j["r"].is_string() || !j.contains("e") || !j["e"].is_number_integer()) {
        return StateRefused("login state cookie: unexpected content");
    }
    Pending p{.request = {.state = j["s"].get<std::string>(),
                          .nonce = j["n"].get<std::string>(),
                          .code_verifier = j["v"].get<std::string>()},
              .return_to = j["r"].get<std::string>(),
              .expires_at = j["e"].get<std::int64_t>()};
    if (callback.state.empty() || !tokens_.Equal(callback.state, p.request.state)) {
        return StateRefused("state does not match this browser's login");
    }
    if (now >= p.expires_at) return StateRefused("login state expired");
    if (!FirstUse(p.request.state, p.expires_at, now)) return StateRefused("state used before");
    return p;
}

Result<User> OidcLogin::Provision(const json& claims) {
    const std::string username = ClaimString(claims, options_.username_claim);
    if (!ValidUsername(username)) {
        return Fail(
            ErrorCode::kPermissionDenied,
            "your user name at the identity provider cannot be used in rqwatch",
            "claim " + options_.username_claim + " is missing or not 1-128 of [A-Za-z0-9._+@-]");
    }
    // An address the provider has not verified could be anybody's: whose
    // mail a user sees follows from it.
    if (auto v = claims.find("email_verified");
        v != claims.end() && (*v == false || *v == "false")) {
        return Fail(ErrorCode::kPermissionDenied,
                    "your e-mail address is not verified at the identity provider");
    }
    const std::string email = NormalizeAddress(ClaimString(claims, options_.email_claim));
    if (email.empty()) {
        return Fail(ErrorCode::kPermissionDenied, "the identity provider sent no e-mail address",
                    "claim " + options_.email_claim + " is missing");
    }
    Result<User> existing = users_.FindByUsername(username);
    if (!existing && existing.error().code != ErrorCode::kNotFound) {
        return std::unexpected(existing.error());
    }
    // A local or LDAP account is somebody else's until an admin says otherwise.
    if (existing && existing->provider != AuthProvider::kOidc) {
        return Fail(ErrorCode::kPermissionDenied,
                    "an rqwatch account of this name exists that does not use single sign-on",
                    "existing account " + username + " has another provider");
    }
    const std::string subject = ClaimString(claims, "sub");
    auto needs_binding = CheckSubject(existing ? &*existing : nullptr, subject);
    if (!needs_binding) return std::unexpected(needs_binding.error());
    User user = existing ? *existing : User{};
    user.username = username;
    user.email = email;
    user.provider = AuthProvider::kOidc;
    user.password_hash.clear();
    const std::string given = ClaimString(claims, "given_name");
    const std::string family = ClaimString(claims, "family_name");
    user.first_name = given.empty() && family.empty() ? ClaimString(claims, "name") : given;
    user.last_name = family;
    user.is_admin = std::ranges::any_of(options_.admin_users, [&](const std::string& a) {
        return util::AsciiIEquals(a, username);
    });
    if (auto it = claims.find(options_.admin_claim);
        !options_.admin_claim.empty() && it != claims.end()) {
        const json values = it->is_array() ? *it : json::array({*it});
        for (const json& v : values) {
            if (v.is_string() && std::ranges::find(options_.admin_values, v.get<std::string>()) !=
                                     options_.admin_values.end()) {
                user.is_admin = true;
            }
        }
    }
    if (existing) {
        if (auto ok = users_.Update(user); !ok) return std::unexpected(ok.error());
    } else {
        auto id = users_.Add(user);
        if (!id) return std::unexpected(id.error());
        user.id = *id;
    }
    if (*needs_binding) {
        if (auto bound = subjects_.Bind(user.id, subject, clock_()); !bound) {
            if (bound.error().code != ErrorCode::kConflict) return std::unexpected(bound.error());
            // A concurrent first login of the same person won the race.
            return Fail(ErrorCode::kPermissionDenied,
                        "your single sign-on account is linked to another rqwatch user",
                        "subject " + subject + " bound meanwhile");
        }
    }
    return user;
}

Result<bool> OidcLogin::CheckSubject(const User* existing, const std::string& subject) {
    if (subject.empty() || subject.size() > OidcSubjectRepo::kMaxSubject) {
        return Fail(ErrorCode::kPermissionDenied,
                    "the identity provider did not say which account this is",
                    "claim sub is missing or longer than 255 bytes");
    }
    auto owner = subjects_.UserOf(subject);
    if (!owner) return std::unexpected(owner.error());
    if (existing == nullptr) {
        if (!*owner) return true;
        // The name changed at the provider: a new rqwatch account would hand
        // the old one's mail scope and history to nobody, or to the wrong person.
        return Fail(ErrorCode::kPermissionDenied,
                    "your single sign-on account is linked to another rqwatch user name; "
                    "ask an administrator",
                    "subject " + subject + " is bound to user id " + std::to_string(**owner));
    }
    auto bound = subjects_.SubjectOf(existing->id);
    if (!bound) return std::unexpected(bound.error());
    if (*bound) {
        if (**bound == subject) return false;
        return Fail(ErrorCode::kPermissionDenied,
                    "this rqwatch user name belongs to another single sign-on account",
                    "user " + existing->username + " is bound to another subject");
    }
    // An account from before subjects were kept: bound now, unless its
    // subject already belongs to another account.
    if (*owner) {
        return Fail(ErrorCode::kPermissionDenied,
                    "your single sign-on account is linked to another rqwatch user",
                    "subject " + subject + " is bound to user id " + std::to_string(**owner));
    }
    return true;
}

Result<OidcLoggedIn> OidcLogin::Finish(const OidcCallback& callback) {
    const std::int64_t now = clock_();
    if (const std::int64_t wait = throttle_.RetryAfterMs(callback.ip, "", now); wait > 0) {
        Audit(callback.ip, nullptr, "", "login_throttled", "oidc");
        Error e{ErrorCode::kTooManyRequests, "too many failed logins, try again later", {}};
        e.retry_after_s = (wait + 999) / 1000;
        return std::unexpected(std::move(e));
    }
    std::string username;  // known once the provider said who it is
    auto failed = [&](Error e) {
        // An unreachable provider is nobody's guess: not counted.
        if (e.code != ErrorCode::kUnavailable && e.code != ErrorCode::kInternal) {
            throttle_.RecordFailure(callback.ip, "", now);
        }
        spdlog::info("oidc: login failed from {}: {} ({})", callback.ip, e.public_msg, e.detail);
        Audit(callback.ip, nullptr, username, "login_failed", "oidc: " + e.public_msg);
        return std::unexpected(std::move(e));
    };
    auto pending = TakePending(callback, now);
    if (!pending) return failed(pending.error());
    if (!callback.error.empty()) {
        return failed(Error{ErrorCode::kUnauthenticated, "the identity provider did not log you in",
                            "provider error " + callback.error.substr(0, 64)});
    }
    if (callback.code.empty()) {
        return failed(Error{ErrorCode::kInvalidArgument, "the callback has no code", {}});
    }
    auto claims = provider_.Redeem(callback.code, pending->request);
    if (!claims) return failed(claims.error());
    username = ClaimString(*claims, options_.username_claim).substr(0, 128);
    auto user = Provision(*claims);
    if (!user) return failed(user.error());
    (void)users_.RecordLogin(user->id, now);
    user->last_login = now;
    auto aliases = users_.AliasesOf(user->id);
    if (!aliases) return std::unexpected(aliases.error());
    Audit(callback.ip, &*user, username, "login", "oidc");
    OidcLoggedIn out;
    out.login.addresses = UserAddresses(*user, *aliases);
    out.login.user = std::move(*user);
    out.return_to = std::move(pending->return_to);
    return out;
}

}  // namespace rqwatch::app
