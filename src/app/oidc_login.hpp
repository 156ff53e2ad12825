#pragma once
// Use case: a user logs in at an OpenID Connect provider (authorization
// code flow with PKCE S256).
//
// Start makes a fresh state, nonce and PKCE code_verifier, seals them with
// the page to return to and an expiry into a value the browser keeps (an
// HttpOnly cookie; StateSealer: nobody can read or change it), and returns
// the provider's authorization URL. Finish takes the callback: the state
// must equal the sealed one (constant time), be unexpired and not used
// before (remembered per process until it expires); then the provider
// redeems the code and checks the ID token, and the user is found or
// created like a directory user in Login: provider oidc, name from the
// username claim (app::ValidUsername), address, names and admin flag
// refreshed at every login. An account of another provider (a local or
// LDAP account) with that name is never taken over. The account is bound
// at its first login to the provider's `sub` (OidcSubjectRepo): a later
// login with that name but another subject (the name reused, or changed by
// its user at the provider) is refused, as is a subject that already
// belongs to an account of another name.
//
// Failed callbacks are throttled per IP (LoginThrottle) and every callback
// is audited ("login"/"login_failed", detail "oidc..."). Blocking (HTTP to
// the provider): run Finish on a worker thread.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "app/audit_trail.hpp"
#include "app/login.hpp"
#include "app/login_throttle.hpp"
#include "app/ports/oidc_provider.hpp"
#include "app/ports/oidc_subject_repo.hpp"
#include "app/ports/state_sealer.hpp"
#include "app/ports/token_source.hpp"
#include "app/ports/user_repo.hpp"

namespace rqwatch::app {

struct OidcLoginOptions {
    std::string username_claim = "preferred_username";
    std::string email_claim = "email";
    std::string admin_claim;                       // "" = none
    std::vector<std::string> admin_values;         // of admin_claim
    std::vector<std::string> admin_users;          // ASCII case ignored
    std::int64_t pending_ttl_ms = 10 * 60 * 1000;  // start to callback
};

struct OidcStarted {
    std::string authorization_url;  // where the browser goes next
    std::string pending;            // the sealed login in progress (the cookie's value)
};

struct OidcCallback {
    std::string code;
    std::string state;
    std::string error;    // the provider's error parameter ("" when none)
    std::string pending;  // the cookie's value ("" when the browser sent none)
    std::string ip;
};

struct OidcLoggedIn {
    LoggedIn login;
    std::string return_to;  // as given to Start
};

class OidcLogin {
  public:
    using Clock = std::function<std::int64_t()>;  // ms since the epoch
    OidcLogin(OidcProvider& provider, StateSealer& sealer, TokenSource& tokens, UserRepo& users,
              OidcSubjectRepo& subjects, AuditLog& audit, LoginThrottle& throttle,
              OidcLoginOptions options, Clock clock = {});

    // kUnavailable when the provider's discovery fails.
    [[nodiscard]] Result<OidcStarted> Start(const std::string& return_to);
    // kUnauthenticated (no, expired, replayed or another browser's state; the
    // provider refused; the ID token is not valid), kPermissionDenied (the
    // provider's user cannot be an rqwatch user: name, address, a local
    // account of that name), kTooManyRequests, kUnavailable.
    [[nodiscard]] Result<OidcLoggedIn> Finish(const OidcCallback& callback);

  private:
    struct Pending {
        OidcAuthRequest request;
        std::string return_to;
        std::int64_t expires_at = 0;
    };
    Result<Pending> TakePending(const OidcCallback& callback, std::int64_t now);
    bool FirstUse(const std::string& state, std::int64_t expires_at, std::int64_t now);
    Result<User> Provision(const nlohmann::json& claims);
    // kPermissionDenied unless `subject` may log in as `existing` (or as a
    // new account when null); nullopt when the account still needs binding.
    Result<bool> CheckSubject(const User* existing, const std::string& subject);
    void Audit(const std::string& ip, const User* user, const std::string& username,
               std::string action, std::string detail);

    OidcProvider& provider_;
    StateSealer& sealer_;
    TokenSource& tokens_;
    UserRepo& users_;
    OidcSubjectRepo& subjects_;
    LoginThrottle& throttle_;
    OidcLoginOptions options_;
    Clock clock_;
    AuditTrail audit_;  // after clock_: stamped by it

    // Digests of the states already used, until they expire (bounded).
    std::mutex used_mu_;
    std::map<std::string, std::int64_t> used_;
    std::deque<std::string> used_order_;
};

}  // namespace rqwatch::app
