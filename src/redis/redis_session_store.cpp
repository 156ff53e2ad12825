#include "redis/redis_session_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <vector>

#include "redis/session_scripts.hpp"

namespace rqwatch::redis {
namespace {

bool StorableKey(const std::string& key) {
    return !key.empty() && key.size() <= RedisSessionStore::kMaxTokenBytes;
}

std::optional<std::int64_t> ParseInt(const redisReply& r) {
    if (r.type != REDIS_REPLY_STRING) return std::nullopt;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(r.str, r.str + r.len, v);
    if (ec != std::errc{} || end != r.str + r.len) return std::nullopt;
    return v;
}

std::unexpected<Error> Malformed(const std::string& what) {
    return Fail(ErrorCode::kInternal, "malformed session in redis", what);
}

}  // namespace

std::string RedisSessionStore::SessionKey(const std::string& key) const {
    return options_.key_prefix + "session:" + key;
}

std::string RedisSessionStore::UserSetKey(std::int64_t user_id) const {
    return options_.key_prefix + "user-sessions:" + std::to_string(user_id);
}

Result<void> RedisSessionStore::Create(const app::SessionRecord& session) {
    if (!StorableKey(session.key)) {
        return Fail(ErrorCode::kInvalidArgument, "session key is empty or too long");
    }
    if (session.csrf_token.size() > kMaxTokenBytes) {
        return Fail(ErrorCode::kInvalidArgument, "CSRF token is too long");
    }
    const std::int64_t absolute = session.created_at + options_.absolute_timeout_ms;
    const std::int64_t expires_at =
        std::min(absolute, session.last_seen + options_.idle_timeout_ms);
    const std::string hash = SessionKey(session.key);
    const std::string user_set = UserSetKey(session.user_id);
    const std::string impersonator_set =
        session.impersonator_id ? UserSetKey(*session.impersonator_id) : std::string();
    const std::string user_id = std::to_string(session.user_id);
    const std::string impersonator_id =
        session.impersonator_id ? std::to_string(*session.impersonator_id) : std::string();
    const std::string created_at = std::to_string(session.created_at);
    const std::string last_seen = std::to_string(session.last_seen);
    const std::string expires = std::to_string(expires_at);
    const std::string deadline = std::to_string(absolute);
    const std::string session_prefix = options_.key_prefix + "session:";

    std::vector<std::string_view> args = {"EVAL", scripts::kCreate,
                                          session.impersonator_id ? "3" : "2", hash, user_set};
    if (session.impersonator_id) args.push_back(impersonator_set);
    args.insert(args.end(), {session.key, user_id, impersonator_id, session.csrf_token, created_at,
                             last_seen, session.ip, expires, deadline, session_prefix});
    auto reply = client_->Run("creating a session", args);
    if (!reply) return std::unexpected(std::move(reply.error()));
    if ((*reply)->type != REDIS_REPLY_INTEGER) {
        return Fail(ErrorCode::kInternal, "redis command failed",
                    "creating a session: unexpected reply " + ReplyText(**reply));
    }
    if ((*reply)->integer == 0) return Fail(ErrorCode::kConflict, "session key in use");
    return {};
}

Result<app::SessionRecord> RedisSessionStore::Find(const std::string& key) {
    if (!StorableKey(key)) return Fail(ErrorCode::kNotFound, "no such session");
    const std::string hash = SessionKey(key);
    const std::array<std::string_view, 8> args = {
        "HMGET", hash, "user_id", "impersonator_id", "csrf_token", "created_at", "last_seen", "ip"};
    auto reply = client_->Run("looking up a session", args);
    if (!reply) return std::unexpected(std::move(reply.error()));
    const redisReply& r = **reply;
    if (r.type != REDIS_REPLY_ARRAY || r.elements != 6) {
        return Fail(ErrorCode::kInternal, "redis command failed",
                    "looking up a session: unexpected reply " + ReplyText(r));
    }
    // HMGET of a missing (or expired) key: every field nil.
    if (r.element[0]->type == REDIS_REPLY_NIL) return Fail(ErrorCode::kNotFound, "no such session");
    app::SessionRecord s;
    s.key = key;
    const auto user_id = ParseInt(*r.element[0]);
    const auto created_at = ParseInt(*r.element[3]);
    const auto last_seen = ParseInt(*r.element[4]);
    if (!user_id || !created_at || !last_seen || r.element[2]->type != REDIS_REPLY_STRING ||
        r.element[5]->type != REDIS_REPLY_STRING) {
        return Malformed(hash);
    }
    s.user_id = *user_id;
    s.created_at = *created_at;
    s.last_seen = *last_seen;
    if (r.element[1]->type != REDIS_REPLY_NIL) {
        const auto impersonator = ParseInt(*r.element[1]);
        if (!impersonator) return Malformed(hash);
        s.impersonator_id = *impersonator;
    }
    s.csrf_token.assign(r.element[2]->str, r.element[2]->len);
    s.ip.assign(r.element[5]->str, r.element[5]->len);
    return s;
}

Result<void> RedisSessionStore::Touch(const std::string& key, std::int64_t last_seen) {
    if (!StorableKey(key)) return {};
    const std::string hash = SessionKey(key);
    const std::string seen = std::to_string(last_seen);
    const std::string idle = std::to_string(options_.idle_timeout_ms);
    const std::string absolute = std::to_string(options_.absolute_timeout_ms);
    const std::array<std::string_view, 7> args = {"EVAL", scripts::kTouch, "1", hash, seen,
                                                  idle,   absolute};
    auto reply = client_->Run("touching a session", args);
    if (!reply) return std::unexpected(std::move(reply.error()));
    return {};
}

Result<void> RedisSessionStore::Delete(const std::string& key) {
    if (!StorableKey(key)) return {};
    const std::string hash = SessionKey(key);
    const std::string sets = options_.key_prefix + "user-sessions:";
    const std::array<std::string_view, 6> args = {"EVAL", scripts::kDelete, "1", hash, key, sets};
    auto reply = client_->Run("deleting a session", args);
    if (!reply) return std::unexpected(std::move(reply.error()));
    return {};
}

Result<void> RedisSessionStore::DeleteAllOf(std::int64_t user_id) {
    const std::string user_set = UserSetKey(user_id);
    const std::string sessions = options_.key_prefix + "session:";
    const std::string sets = options_.key_prefix + "user-sessions:";
    const std::array<std::string_view, 6> args = {
        "EVAL", scripts::kDeleteAllOf, "1", user_set, sessions, sets};
    auto reply = client_->Run("deleting a user's sessions", args);
    if (!reply) return std::unexpected(std::move(reply.error()));
    return {};
}

Result<std::int64_t> RedisSessionStore::DeleteExpired(std::int64_t /*idle_before*/,
                                                      std::int64_t /*created_before*/) {
    return 0;
}

}  // namespace rqwatch::redis
