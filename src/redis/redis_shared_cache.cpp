#include "redis/redis_shared_cache.hpp"

#include <array>
#include <string_view>

namespace rqwatch::redis {

Result<std::optional<std::string>> RedisSharedCache::Get(const std::string& key) {
    const std::string k = prefix_ + key;
    const std::array<std::string_view, 2> args = {"GET", k};
    auto reply = client_->Run("reading the shared cache", args);
    if (!reply) return std::unexpected(std::move(reply.error()));
    const redisReply& r = **reply;
    if (r.type == REDIS_REPLY_NIL) return std::nullopt;
    if (r.type != REDIS_REPLY_STRING) {
        return Fail(ErrorCode::kInternal, "redis command failed",
                    "reading the shared cache: unexpected reply " + ReplyText(r));
    }
    return std::string(r.str, r.len);
}

Result<void> RedisSharedCache::Put(const std::string& key, const std::string& value,
                                   std::chrono::milliseconds ttl) {
    const std::string k = prefix_ + key, ms = std::to_string(ttl.count());
    const std::array<std::string_view, 5> args = {"SET", k, value, "PX", ms};
    auto reply = client_->Run("writing the shared cache", args);
    if (!reply) return std::unexpected(std::move(reply.error()));
    return {};
}

Result<bool> RedisSharedCache::Claim(const std::string& key, std::chrono::milliseconds ttl) {
    const std::string k = prefix_ + key, ms = std::to_string(ttl.count());
    const std::array<std::string_view, 6> args = {"SET", k, "1", "NX", "PX", ms};
    auto reply = client_->Run("claiming a shared cache refresh", args);
    if (!reply) return std::unexpected(std::move(reply.error()));
    // +OK when set, nil when another node holds the claim.
    return (*reply)->type == REDIS_REPLY_STATUS;
}

}  // namespace rqwatch::redis
