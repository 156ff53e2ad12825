#include "app/second_factor.hpp"

#include "app/account_rules.hpp"
#include "core/totp.hpp"
#include "util/ids.hpp"

namespace rqwatch::app {
namespace {

// 160 bits, the key size RFC 4226 recommends (and SHA-1's output size).
constexpr std::size_t kSecretBytes = 20;
constexpr std::string_view kIssuer = "rqwatch";
constexpr std::string_view kWhat = "setting up a second factor";

}  // namespace

Error TotpError(std::string_view reason) {
    Error e{ErrorCode::kUnauthenticated,
            reason == kTotpRequired ? "enter the code of your authenticator app (\"totp\")"
                                    : "wrong or already used authenticator code",
            {}};
    e.reason = std::string(reason);
    return e;
}

SecondFactor::SecondFactor(TotpRepo& repo, UserRepo& users, PasswordHasher& hasher,
                           TokenSource& random, LoginThrottle& throttle, AuditTrail& audit,
                           Clock clock)
    : repo_(repo),
      users_(users),
      hasher_(hasher),
      random_(random),
      throttle_(throttle),
      audit_(audit),
      clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)) {}

Result<void> SecondFactor::UseCode(const TotpSecret& secret, std::string_view code) {
    auto key = totp::Base32Decode(secret.secret);
    if (!key) return Fail(ErrorCode::kInternal, "stored TOTP secret is not base32");
    const auto step = totp::MatchStep(*key, code, clock_() / 1000, secret.last_step);
    if (!step) return std::unexpected(TotpError(kTotpInvalid));
    // The check above read last_step; the conditional write makes sure
    // that of two requests with the same code only one gets through.
    auto used = repo_.UseStep(secret.user_id, *step);
    if (!used) return std::unexpected(used.error());
    if (!*used) return std::unexpected(TotpError(kTotpInvalid));
    return {};
}

Result<TotpEnrollment> SecondFactor::Enroll(const Actor& actor) {
    if (auto ok = RequireThePerson(actor, kWhat); !ok) return std::unexpected(ok.error());
    auto user = users_.FindById(actor.id);
    if (!user) return std::unexpected(user.error());
    TotpSecret pending;
    pending.user_id = actor.id;
    pending.secret = totp::Base32Encode(random_.RandomBytes(kSecretBytes));
    pending.created_at = clock_();
    if (auto ok = repo_.SetPending(pending); !ok) {
        if (ok.error().code == ErrorCode::kConflict) {
            return Fail(ErrorCode::kConflict, "TOTP is on already; turn it off first");
        }
        return std::unexpected(ok.error());
    }
    audit_.Record(actor, "totp.enroll", UserTarget(actor.id));
    return TotpEnrollment{pending.secret,
                          totp::OtpauthUri(kIssuer, user->username, pending.secret)};
}

Result<void> SecondFactor::Confirm(const Actor& actor, std::string_view code) {
    if (auto ok = RequireThePerson(actor, kWhat); !ok) return ok;
    if (actor.logged_in_at && clock_() - *actor.logged_in_at > kRecentLoginMs) {
        return Fail(ErrorCode::kPermissionDenied,
                    "log in again to turn on the second factor (the login must be less than "
                    "15 minutes old)");
    }
    auto found = repo_.Find(actor.id);
    if (!found || found->confirmed_at) {
        if (found || found.error().code == ErrorCode::kNotFound) {
            return Fail(ErrorCode::kNotFound, "no TOTP enrolment is waiting for a code");
        }
        return std::unexpected(found.error());
    }
    auto key = totp::Base32Decode(found->secret);
    if (!key) return Fail(ErrorCode::kInternal, "stored TOTP secret is not base32");
    const std::int64_t now = clock_();
    const auto step = totp::MatchStep(*key, code, now / 1000, found->last_step);
    if (!step) return std::unexpected(TotpError(kTotpInvalid));
    if (auto ok = repo_.Confirm(actor.id, now, *step); !ok) return ok;
    audit_.Record(actor, "totp.confirm", UserTarget(actor.id));
    return {};
}

Result<void> SecondFactor::Disable(const Actor& actor, const std::optional<std::string>& code,
                                   const std::optional<std::string>& password) {
    if (auto ok = RequireThePerson(actor, kWhat); !ok) return ok;
    if (!code && !password) {
        return Fail(ErrorCode::kInvalidArgument,
                    "send a current \"code\" or your \"password\" to turn TOTP off");
    }
    auto user = users_.FindById(actor.id);
    if (!user) return std::unexpected(user.error());
    auto found = repo_.Find(actor.id);
    if (!found) return std::unexpected(found.error());
    const std::int64_t now = clock_();
    if (const std::int64_t wait = throttle_.RetryAfterMs(actor.ip, user->username, now); wait > 0) {
        Error e{
            ErrorCode::kTooManyRequests, "too many wrong codes or passwords, try again later", {}};
        e.retry_after_s = (wait + 999) / 1000;
        return std::unexpected(std::move(e));
    }
    Result<void> proof;
    if (code) {
        // A pending secret can go without proof of the app: it never guarded a login.
        proof = found->confirmed_at ? UseCode(*found, *code) : Result<void>{};
    } else if (user->provider != AuthProvider::kLocal) {
        return Fail(ErrorCode::kInvalidArgument,
                    "your password is checked by the directory; send a current \"code\"");
    } else if (password->size() > kMaxPasswordLength ||
               !hasher_.Verify(*password, user->password_hash)) {
        proof = Fail(ErrorCode::kUnauthenticated, "the password is wrong");
    }
    if (!proof) {
        if (proof.error().code == ErrorCode::kUnauthenticated) {
            throttle_.RecordFailure(actor.ip, user->username, now);
            audit_.Record(actor, "totp.disable_failed", UserTarget(actor.id));
        }
        return proof;
    }
    auto deleted = repo_.Delete(actor.id);
    if (!deleted) return std::unexpected(deleted.error());
    audit_.Record(actor, "totp.disable", UserTarget(actor.id));
    return {};
}

Result<void> SecondFactor::Reset(const Actor& admin, std::int64_t user_id) {
    if (auto user = users_.FindById(user_id); !user) return std::unexpected(user.error());
    auto deleted = repo_.Delete(user_id);
    if (!deleted) return std::unexpected(deleted.error());
    if (!*deleted) return Fail(ErrorCode::kNotFound, "this user has no TOTP");
    audit_.Record(admin, "totp.reset", UserTarget(user_id));
    return {};
}

Result<void> SecondFactor::CheckLogin(const User& user, const std::optional<std::string>& code) {
    auto found = repo_.Find(user.id);
    if (!found) {
        if (found.error().code == ErrorCode::kNotFound) return {};
        return std::unexpected(found.error());
    }
    if (!found->confirmed_at) return {};  // pending: not on yet
    if (!code) return std::unexpected(TotpError(kTotpRequired));
    return UseCode(*found, *code);
}

}  // namespace rqwatch::app
