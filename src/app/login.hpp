#pragma once
// Use case: a user proves who they are with a name and a password.
//
// A local account (provider local) is checked against its own hash
// (argon2id, or a bcrypt/yescrypt hash taken over from the old system,
// which is replaced by argon2id at the first successful login). Any other
// name goes to the directory (LDAP) when one is configured; a directory
// user gets an account at the first login, and every login refreshes their
// address, names, admin flag and aliases from the directory.
//
// Throttled per IP and per name (LoginThrottle) before any password is
// checked; every attempt is audited. A user with TOTP on (SecondFactor)
// also needs a current code, whichever checked the password; a wrong code
// counts as a failed login. An unknown name costs the same hash
// as a known one, so that response times do not tell which names exist.
// Blocking (argon2id ~0.1 s, LDAP): run it on a worker thread.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/login_throttle.hpp"
#include "app/audit_trail.hpp"
#include "app/ports/audit_log.hpp"
#include "app/ports/directory.hpp"
#include "app/ports/password_hasher.hpp"
#include "app/ports/user_repo.hpp"
#include "app/second_factor.hpp"

namespace rqwatch::app {

struct LoginAttempt {
    std::string username;
    std::string password;
    std::string ip;
    std::optional<std::string> totp;  // the one-time code, for users with TOTP on
};

struct LoggedIn {
    User user;
    std::vector<std::string> addresses;  // email first, then the aliases: the user's scope
};

class Login {
  public:
    using Clock = std::function<std::int64_t()>;
    // `directory` may be null (local accounts only); `second_factor` too
    // (no TOTP checks).
    Login(UserRepo& users, PasswordHasher& hasher, AuditLog& audit, LoginThrottle& throttle,
          Directory* directory, Clock clock = {}, SecondFactor* second_factor = nullptr);

    // kUnauthenticated ("wrong username or password", the same for every
    // cause; after the right password of a TOTP user, with reason
    // totp_required or totp_invalid), kTooManyRequests with retry_after_s,
    // kInvalidArgument for a malformed name, kUnavailable when the database
    // or directory is down.
    [[nodiscard]] Result<LoggedIn> Run(const LoginAttempt& attempt);

  private:
    Result<User> CheckLocal(const LoginAttempt& attempt, Result<User>& found);
    Result<User> CheckDirectory(const LoginAttempt& attempt, Result<User>& found);
    void Audit(const LoginAttempt& attempt, const User* user, std::string action,
               std::string detail);

    UserRepo& users_;
    PasswordHasher& hasher_;
    LoginThrottle& throttle_;
    Directory* directory_;
    SecondFactor* second_factor_;
    Clock clock_;
    AuditTrail audit_;  // after clock_: stamped by it
    std::string dummy_hash_;  // verified for unknown names (equal timing)
};

// The addresses whose mail a user sees: the email, then the aliases
// (lower case, without duplicates or empties).
[[nodiscard]] std::vector<std::string> UserAddresses(const User& user,
                                                     const std::vector<Alias>& aliases);

// 1-128 characters of [A-Za-z0-9._+@-] (names from the old system and
// e-mail-like LDAP logins).
[[nodiscard]] bool ValidUsername(std::string_view name);

}  // namespace rqwatch::app
