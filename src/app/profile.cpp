#include "app/profile.hpp"

#include "app/account_rules.hpp"
#include "util/ids.hpp"

namespace rqwatch::app {

Profile::Profile(UserRepo& users, PasswordHasher& hasher, SessionService& sessions,
                 LoginThrottle& throttle, AuditTrail& audit, Clock clock)
    : users_(users),
      hasher_(hasher),
      sessions_(sessions),
      throttle_(throttle),
      audit_(audit),
      clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)) {}

Result<User> Profile::Get(const Actor& actor) { return users_.FindById(actor.id); }

Result<User> Profile::Update(const Actor& actor, const ProfileChanges& changes) {
    auto found = users_.FindById(actor.id);
    if (!found) return std::unexpected(found.error());
    User u = std::move(*found);
    if (u.provider != AuthProvider::kLocal && (changes.first_name || changes.last_name)) {
        return Fail(ErrorCode::kConflict, "your names come from the directory at every login");
    }
    if (changes.first_name) {
        if (auto ok = CheckPersonName(*changes.first_name, "first_name"); !ok) {
            return std::unexpected(ok.error());
        }
        u.first_name = *changes.first_name;
    }
    if (changes.last_name) {
        if (auto ok = CheckPersonName(*changes.last_name, "last_name"); !ok) {
            return std::unexpected(ok.error());
        }
        u.last_name = *changes.last_name;
    }
    if (auto ok = ApplyNotifyPreferences(changes.notify, u); !ok) {
        return std::unexpected(ok.error());
    }
    if (changes.notifications_disabled) u.notifications_disabled = *changes.notifications_disabled;
    if (auto ok = users_.Update(u); !ok) return std::unexpected(ok.error());
    std::string what = changes.notifications_disabled
                           ? (*changes.notifications_disabled ? "notifications off" : "notifications on")
                           : "";
    if (changes.notify.Any()) what += what.empty() ? "notification schedule" : ", notification schedule";
    audit_.Record(actor, "profile.update", UserTarget(u.id), what);
    return u;
}

Result<IssuedSession> Profile::ChangePassword(const Actor& actor, const std::string& current,
                                              const std::string& next) {
    auto found = users_.FindById(actor.id);
    if (!found) return std::unexpected(found.error());
    User u = std::move(*found);
    if (u.provider != AuthProvider::kLocal) {
        return Fail(ErrorCode::kConflict, "your password is checked by the directory; change it there");
    }
    const std::int64_t now = clock_();
    if (const std::int64_t wait = throttle_.RetryAfterMs(actor.ip, u.username, now); wait > 0) {
        Error e{ErrorCode::kTooManyRequests, "too many wrong passwords, try again later", {}};
        e.retry_after_s = (wait + 999) / 1000;
        return std::unexpected(std::move(e));
    }
    if (current.size() > kMaxPasswordLength || !hasher_.Verify(current, u.password_hash)) {
        throttle_.RecordFailure(actor.ip, u.username, now);
        audit_.Record(actor, "password.change_failed", UserTarget(u.id));
        return Fail(ErrorCode::kUnauthenticated, "the current password is wrong");
    }
    if (auto ok = CheckNewPassword(next); !ok) return std::unexpected(ok.error());
    auto hash = hasher_.Hash(next);
    if (!hash) return std::unexpected(hash.error());
    u.password_hash = std::move(*hash);
    if (auto ok = users_.Update(u); !ok) return std::unexpected(ok.error());
    throttle_.RecordSuccess(u.username);
    (void)sessions_.EndAll(u.id);
    audit_.Record(actor, "password.change", UserTarget(u.id));
    return sessions_.Start(u.id, actor.ip);
}

}  // namespace rqwatch::app
