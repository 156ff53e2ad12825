#pragma once
// Port: the audit log of logins and state changes (SQL in storage/).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::app {

struct AuditEntry {
    std::int64_t id = 0;
    std::int64_t at = 0;  // ms since the epoch, UTC
    std::string actor;    // username ("" for an anonymous failed login)
    std::optional<std::int64_t> actor_id;
    std::string on_behalf_of;  // the admin behind a "login as", else ""
    std::string ip;
    std::string action;  // "login", "login_failed", "logout", "user.add", "mail.delete", …
    std::string target;  // what it acted on: "user:7", "mail:123", …
    std::string detail;  // short free text (never a password or token)
};

struct AuditQuery {
    std::string contains;  // substring of actor, action, target, detail or ip; empty = all
    std::optional<std::int64_t> since;  // at >= since
    int limit = 50;                     // 1..1000
    std::optional<std::int64_t> before_id;
};

class AuditLog {
  public:
    virtual ~AuditLog() = default;
    [[nodiscard]] virtual Result<void> Record(const AuditEntry& entry) = 0;
    // Newest first.
    [[nodiscard]] virtual Result<std::vector<AuditEntry>> Search(const AuditQuery& query) = 0;
};

}  // namespace rqwatch::app
