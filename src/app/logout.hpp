#pragma once
// Use case: a user ends this session, or all of theirs ("log out
// everywhere", after a lost laptop); both audited.

#include <string_view>

#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/session_service.hpp"

namespace rqwatch::app {

class Logout {
  public:
    Logout(SessionService& sessions, AuditTrail& audit) : sessions_(sessions), audit_(audit) {}

    [[nodiscard]] Result<void> ThisSession(const Actor& actor, std::string_view session_id);
    [[nodiscard]] Result<void> Everywhere(const Actor& actor);

  private:
    SessionService& sessions_;
    AuditTrail& audit_;
};

}  // namespace rqwatch::app
