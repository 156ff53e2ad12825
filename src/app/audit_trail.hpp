#pragma once
// Writes one audit entry per state change, stamped with the time. Best
// effort: the change has happened when this runs, and an audit outage must
// not make it look failed; the outage itself goes to the log. A change made
// with an API token says so in the detail ("via token \"NAME\"").

#include <cstdint>
#include <functional>
#include <string>

#include "app/actor.hpp"
#include "app/ports/audit_log.hpp"

namespace rqwatch::app {

class AuditTrail {
  public:
    using Clock = std::function<std::int64_t()>;
    explicit AuditTrail(AuditLog& log, Clock clock = {});

    void Record(const Actor& actor, std::string action, std::string target,
                std::string detail = {});

  private:
    AuditLog& log_;
    Clock clock_;
};

// "user:7", the audit target of an account.
[[nodiscard]] std::string UserTarget(std::int64_t id);

}  // namespace rqwatch::app
