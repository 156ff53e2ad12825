#pragma once
// Who is asking, for every API request but ingest: a personal API token
// (`Authorization: Bearer rqw_…`), the browser UI's session cookie, or HTTP
// Basic, in that order. A state change (POST, PUT, PATCH, DELETE) made
// with a session cookie must carry the session's CSRF token in
// X-CSRF-Token; token and Basic requests carry no ambient credentials (no
// other site can make a browser add an Authorization header) and need none.
// Basic is refused for users with TOTP on: a password alone is not enough
// for them, and their scripts use API tokens.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/api_tokens.hpp"
#include "app/ports/user_repo.hpp"
#include "app/session_service.hpp"
#include "core/mail_scope.hpp"
#include "http/admin_auth.hpp"
#include "http/types.hpp"

namespace rqwatch::http {

inline constexpr std::string_view kSessionCookie = "rqwatch_session";

struct Principal {
    User user;
    std::vector<std::string> addresses;         // email + aliases: whose mail a user sees
    std::optional<app::SessionRecord> session;  // set when authenticated by cookie
    // The admin behind a "login as" session (user is the one impersonated).
    std::optional<User> impersonator;
    // Set when authenticated by an API token.
    std::optional<app::ApiToken> token;

    // The scope of mail queries (core/mail_scope.hpp): none for admins (all
    // mail); the addresses, plus a domain admin's domains, for everybody else.
    [[nodiscard]] std::optional<std::vector<std::string>> MailScope() const {
        if (user.is_admin) return std::nullopt;
        std::vector<std::string> scope = addresses;
        for (const std::string& d : user.admin_domains) scope.push_back(DomainScopeEntry(d));
        return scope;
    }
};

struct CookieOptions {
    bool secure = true;
    std::int64_t max_age_s = 0;  // 0: a browser-session cookie
};

class RequestAuth {
  public:
    RequestAuth(app::SessionService& sessions, BasicAuthenticator& basic, app::UserRepo& users,
                app::ApiTokens& tokens, CookieOptions cookie);

    // kUnauthenticated without valid credentials; kPermissionDenied for a
    // cookie-authenticated state change without the right CSRF token, or
    // when `need_admin` and the user is not an admin.
    [[nodiscard]] Result<Principal> Check(const Request& request, bool need_admin = false);

    // The session cookie value a request sent ("" when none).
    [[nodiscard]] static std::string SessionId(const Request& request);
    // Set-Cookie values: a new session, and the deletion of the cookie.
    [[nodiscard]] std::string SetCookie(const std::string& session_id) const;
    [[nodiscard]] std::string ClearCookie() const;

    // The principal of a live session record (its user, their addresses,
    // the admin behind a "login as"); kUnauthenticated when the user is gone.
    [[nodiscard]] Result<Principal> ForRecord(const app::SessionRecord& session);

    // The addresses of a user (email + aliases).
    [[nodiscard]] Result<std::vector<std::string>> AddressesOf(const User& user);

  private:
    Result<Principal> FromSession(const Request& request, const std::string& id);
    Result<Principal> FromToken(std::string_view secret);

    app::SessionService& sessions_;
    BasicAuthenticator& basic_;
    app::UserRepo& users_;
    app::ApiTokens& tokens_;
    CookieOptions cookie_;
};

// The actor of a state change, for the use cases and the audit log.
[[nodiscard]] app::Actor ActorOf(const Principal& principal, const Request& request);

// The value of cookie `name` a request sent ("" when none).
[[nodiscard]] std::string CookieOf(const Request& request, std::string_view name);

// True for methods that change state (everything but GET, HEAD, OPTIONS).
[[nodiscard]] bool ChangesState(bhttp::verb method);

}  // namespace rqwatch::http
