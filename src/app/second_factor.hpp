#pragma once
// Use case: an optional second factor, TOTP (RFC 6238; core/totp). A user
// enrolls on their profile (a new secret, pending), confirms it with a first
// code (from then on every password login needs a code too), and may turn
// it off again with a code or their password; an administrator resets it
// for a lost phone. Each code is accepted once (the last used time step is
// kept per user). Enrolment and removal need a person at a browser: not an
// API token, nor an administrator's "login as". Every change is audited.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/login_throttle.hpp"
#include "app/ports/password_hasher.hpp"
#include "app/ports/token_source.hpp"
#include "app/ports/totp_repo.hpp"
#include "app/ports/user_repo.hpp"

namespace rqwatch::app {

inline constexpr std::string_view kTotpRequired = "totp_required";
inline constexpr std::string_view kTotpInvalid = "totp_invalid";
inline constexpr std::int64_t kRecentLoginMs = 15 * 60 * 1000;

struct TotpEnrollment {
    std::string secret;  // base32, for typing into the app
    std::string uri;     // otpauth://totp/…, for a QR code
};

class SecondFactor {
  public:
    using Clock = std::function<std::int64_t()>;  // ms since the epoch
    SecondFactor(TotpRepo& repo, UserRepo& users, PasswordHasher& hasher, TokenSource& random,
                 LoginThrottle& throttle, AuditTrail& audit, Clock clock = {});

    // A new pending secret (any earlier pending one is replaced).
    // kConflict when TOTP is on already; kPermissionDenied for a token or a
    // "login as".
    [[nodiscard]] Result<TotpEnrollment> Enroll(const Actor& actor);
    // Turns the pending secret on. kNotFound when nothing is pending;
    // kUnauthenticated (reason totp_invalid) for a wrong code;
    // kPermissionDenied when the session's login is older than
    // kRecentLoginMs: whoever holds an old session cookie must not be able
    // to lock the person out with a second factor of their own.
    [[nodiscard]] Result<void> Confirm(const Actor& actor, std::string_view code);
    // Turns TOTP off with a current code, or the password of a local
    // account. Failures are throttled like logins (429). kNotFound when it
    // is off; kInvalidArgument without either; kUnauthenticated when wrong.
    [[nodiscard]] Result<void> Disable(const Actor& actor, const std::optional<std::string>& code,
                                       const std::optional<std::string>& password);
    // An administrator turns a user's TOTP off (lost phone). kNotFound for
    // an unknown user or one without TOTP.
    [[nodiscard]] Result<void> Reset(const Actor& admin, std::int64_t user_id);

    // For Login, once the password is right: nothing to do for a user
    // without (confirmed) TOTP; else kUnauthenticated with reason
    // totp_required (no code) or totp_invalid (wrong, malformed or used).
    // Throttling and auditing are the caller's.
    [[nodiscard]] Result<void> CheckLogin(const User& user, const std::optional<std::string>& code);

  private:
    // kUnauthenticated (totp_invalid) unless `code` is right for `secret`
    // now and its step was not used; then the step is used up.
    Result<void> UseCode(const TotpSecret& secret, std::string_view code);

    TotpRepo& repo_;
    UserRepo& users_;
    PasswordHasher& hasher_;
    TokenSource& random_;
    LoginThrottle& throttle_;
    AuditTrail& audit_;
    Clock clock_;
};

// The error of a refused code, with its machine-readable reason.
[[nodiscard]] Error TotpError(std::string_view reason);

}  // namespace rqwatch::app
