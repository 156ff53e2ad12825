#pragma once
// Port: server-side login sessions (SQL in storage/, Redis in redis/). The
// store never sees a session id: only its hash (SessionKey in app/), so
// that a copy of the table gives no live sessions.

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace rqwatch::app {

struct SessionRecord {
    std::string key;  // hash of the cookie's session id (hex)
    std::int64_t user_id = 0;
    // "Login as": the admin who took this user's identity (and goes back to).
    std::optional<std::int64_t> impersonator_id;
    std::string csrf_token;       // random, sent back by the UI on every state change
    std::int64_t created_at = 0;  // ms; the absolute timeout counts from here
    std::int64_t last_seen = 0;   // ms; the idle timeout counts from here
    std::string ip;               // of the login, for the audit and the user's session list
};

class SessionStore {
  public:
    virtual ~SessionStore() = default;
    [[nodiscard]] virtual Result<void> Create(const SessionRecord& session) = 0;
    // kNotFound when absent.
    [[nodiscard]] virtual Result<SessionRecord> Find(const std::string& key) = 0;
    [[nodiscard]] virtual Result<void> Touch(const std::string& key, std::int64_t last_seen) = 0;
    [[nodiscard]] virtual Result<void> Delete(const std::string& key) = 0;
    // "Log out everywhere" and deleted users: every session of the user.
    [[nodiscard]] virtual Result<void> DeleteAllOf(std::int64_t user_id) = 0;
    // Sessions idle since before `idle_before` or created before
    // `created_before`; returns how many went.
    [[nodiscard]] virtual Result<std::int64_t> DeleteExpired(std::int64_t idle_before,
                                                             std::int64_t created_before) = 0;
};

}  // namespace rqwatch::app
