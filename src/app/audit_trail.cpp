#include "app/audit_trail.hpp"

#include <spdlog/spdlog.h>

#include "util/ids.hpp"

namespace rqwatch::app {

std::string UserTarget(std::int64_t id) { return "user:" + std::to_string(id); }

AuditTrail::AuditTrail(AuditLog& log, Clock clock)
    : log_(log), clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)) {}

void AuditTrail::Record(const Actor& actor, std::string action, std::string target,
                        std::string detail) {
    AuditEntry e;
    e.at = clock_();
    e.actor = actor.username;
    if (actor.id != 0) e.actor_id = actor.id;
    e.on_behalf_of = actor.on_behalf_of;
    e.ip = actor.ip;
    e.action = std::move(action);
    e.target = std::move(target);
    e.detail = std::move(detail);
    // The audit log has no column for the credential; a token's name goes
    // into the detail, so that a script's changes can be told from its owner's.
    if (!actor.via_token.empty()) {
        e.detail += (e.detail.empty() ? "" : "; ") + ("via token \"" + actor.via_token + "\"");
    }
    if (auto ok = log_.Record(e); !ok) {
        spdlog::error("audit: cannot record {} {} by {}: {}", e.action, e.target, e.actor,
                      ok.error().detail);
    }
}

}  // namespace rqwatch::app
