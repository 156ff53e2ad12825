#pragma once
// Use case: "login as" (reference §E). An administrator's browser becomes a
// user's, to see exactly what the user sees, and can go back. The browser's
// session ends and a new one starts for the user that remembers the admin
// (SessionRecord::impersonator_id); going back ends that one and starts a
// new admin session, so no session id ever changes rights. Both steps are
// audited, and every change made meanwhile names the admin (on_behalf_of).
// Administrators cannot be impersonated: nothing to see that their own
// login does not show, and a second admin's rights must not be borrowed.

#include <cstdint>
#include <string_view>

#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/ports/user_repo.hpp"
#include "app/session_service.hpp"

namespace rqwatch::app {

class Impersonation {
  public:
    Impersonation(UserRepo& users, SessionService& sessions, AuditTrail& audit)
        : users_(users), sessions_(sessions), audit_(audit) {}

    // kNotFound (target), kConflict (oneself, an admin).
    [[nodiscard]] Result<IssuedSession> Begin(const Actor& admin, std::string_view session_id,
                                              std::int64_t target_id);
    // kConflict when `current` is not a "login as"; kUnauthenticated (and
    // the session ends) when its admin is gone or no longer an admin.
    [[nodiscard]] Result<IssuedSession> Return(const Actor& actor, const SessionRecord& current,
                                               std::string_view session_id);

  private:
    UserRepo& users_;
    SessionService& sessions_;
    AuditTrail& audit_;
};

}  // namespace rqwatch::app
