#pragma once
// Use case: a user edits their own profile: names, the notification
// opt-out and schedule (frequency, hour, time zone), and (local accounts) the password. A directory user's names
// come from the directory. Changing the password needs the current one
// (a borrowed, unlocked browser must not be enough to take the account
// over), is throttled like a login, and ends every other session of the
// user: the browser that changed it gets a new session.
// Hashing is blocking (~0.1 s): call from a worker thread.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "app/account_rules.hpp"
#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/login_throttle.hpp"
#include "app/ports/password_hasher.hpp"
#include "app/ports/user_repo.hpp"
#include "app/session_service.hpp"

namespace rqwatch::app {

struct ProfileChanges {
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    std::optional<bool> notifications_disabled;
    NotifyPreferences notify;
};

class Profile {
  public:
    using Clock = std::function<std::int64_t()>;
    Profile(UserRepo& users, PasswordHasher& hasher, SessionService& sessions,
            LoginThrottle& throttle, AuditTrail& audit, Clock clock = {});

    // The user's own account (kNotFound once it is gone).
    [[nodiscard]] Result<User> Get(const Actor& actor);
    // kConflict for a directory user's names, kInvalidArgument.
    [[nodiscard]] Result<User> Update(const Actor& actor, const ProfileChanges& changes);
    // kUnauthenticated for a wrong current password, kTooManyRequests,
    // kConflict for a directory user, kInvalidArgument for a weak new one.
    [[nodiscard]] Result<IssuedSession> ChangePassword(const Actor& actor,
                                                       const std::string& current,
                                                       const std::string& next);

  private:
    UserRepo& users_;
    PasswordHasher& hasher_;
    SessionService& sessions_;
    LoginThrottle& throttle_;
    AuditTrail& audit_;
    Clock clock_;
};

}  // namespace rqwatch::app
