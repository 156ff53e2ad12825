#pragma once
// Use case: server-side login sessions. The cookie carries a random id; the
// store keeps only its digest. A session ends after `idle_timeout_ms`
// without a request or `absolute_timeout_ms` after the login, whichever
// comes first; a login always starts a new session (new id), so an id
// planted before the login is worthless after it.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app/ports/session_store.hpp"
#include "app/ports/token_source.hpp"

namespace rqwatch::app {

struct SessionOptions {
    std::int64_t idle_timeout_ms = 4 * 3600 * 1000LL;       // the old system's 14400 s
    std::int64_t absolute_timeout_ms = 24 * 3600 * 1000LL;  // re-login once a day at least
    // last_seen is written at most this often (a write per request would
    // make every page view a database write).
    std::int64_t touch_interval_ms = 60 * 1000;
};

struct IssuedSession {
    std::string id;  // the cookie value; never stored
    SessionRecord record;
};

class SessionService {
  public:
    using Clock = std::function<std::int64_t()>;  // ms since the epoch
    SessionService(SessionStore& store, TokenSource& tokens, SessionOptions options = {},
                   Clock clock = {});

    [[nodiscard]] Result<IssuedSession> Start(std::int64_t user_id, const std::string& ip,
                                              std::optional<std::int64_t> impersonator = {});
    // The live session behind a cookie value; kUnauthenticated when there is
    // none or it expired (then it is deleted). Touches last_seen.
    [[nodiscard]] Result<SessionRecord> Resolve(std::string_view id);
    [[nodiscard]] Result<void> End(std::string_view id);
    [[nodiscard]] Result<void> EndAll(std::int64_t user_id);
    // Constant-time check of the CSRF token a request sent.
    [[nodiscard]] bool CsrfMatches(const SessionRecord& session, std::string_view token);
    [[nodiscard]] Result<std::int64_t> DeleteExpired();
    [[nodiscard]] const SessionOptions& Options() const { return options_; }

  private:
    SessionStore& store_;
    TokenSource& tokens_;
    SessionOptions options_;
    Clock clock_;
};

}  // namespace rqwatch::app
