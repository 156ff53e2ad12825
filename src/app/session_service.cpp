#include "app/session_service.hpp"

#include "util/ids.hpp"

namespace rqwatch::app {

SessionService::SessionService(SessionStore& store, TokenSource& tokens, SessionOptions options,
                               Clock clock)
    : store_(store),
      tokens_(tokens),
      options_(options),
      clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)) {}

Result<IssuedSession> SessionService::Start(std::int64_t user_id, const std::string& ip,
                                            std::optional<std::int64_t> impersonator) {
    IssuedSession s;
    s.id = tokens_.NewToken();
    s.record.key = tokens_.Digest(s.id);
    s.record.user_id = user_id;
    s.record.impersonator_id = impersonator;
    s.record.csrf_token = tokens_.NewToken();
    s.record.created_at = s.record.last_seen = clock_();
    s.record.ip = ip;
    if (auto ok = store_.Create(s.record); !ok) return std::unexpected(std::move(ok.error()));
    return s;
}

Result<SessionRecord> SessionService::Resolve(std::string_view id) {
    // A cookie value of another shape is not worth a database round trip.
    if (id.empty() || id.size() > 128) return Fail(ErrorCode::kUnauthenticated, "not logged in");
    const std::string key = tokens_.Digest(id);
    auto found = store_.Find(key);
    if (!found) {
        if (found.error().code == ErrorCode::kNotFound) {
            return Fail(ErrorCode::kUnauthenticated, "not logged in");
        }
        return std::unexpected(std::move(found.error()));
    }
    const std::int64_t now = clock_();
    if (now - found->last_seen >= options_.idle_timeout_ms ||
        now - found->created_at >= options_.absolute_timeout_ms) {
        (void)store_.Delete(key);  // best effort: DeleteExpired catches the rest
        return Fail(ErrorCode::kUnauthenticated, "session expired, please log in again");
    }
    if (now - found->last_seen >= options_.touch_interval_ms) {
        if (auto ok = store_.Touch(key, now); !ok) return std::unexpected(std::move(ok.error()));
        found->last_seen = now;
    }
    return found;
}

Result<void> SessionService::End(std::string_view id) {
    if (id.empty() || id.size() > 128) return {};
    return store_.Delete(tokens_.Digest(id));
}

Result<void> SessionService::EndAll(std::int64_t user_id) { return store_.DeleteAllOf(user_id); }

bool SessionService::CsrfMatches(const SessionRecord& session, std::string_view token) {
    return !token.empty() && tokens_.Equal(session.csrf_token, token);
}

Result<std::int64_t> SessionService::DeleteExpired() {
    const std::int64_t now = clock_();
    return store_.DeleteExpired(now - options_.idle_timeout_ms, now - options_.absolute_timeout_ms);
}

}  // namespace rqwatch::app
