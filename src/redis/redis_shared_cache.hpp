#pragma once
// app::SharedCache in Redis: plain string keys under the configured prefix
// (redis.key_prefix + "cache:"), expiry by Redis itself (PX), a claim is a
// SET NX of a key of its own.

#include <memory>

#include "app/ports/shared_cache.hpp"
#include "redis/redis_client.hpp"

namespace rqwatch::redis {

class RedisSharedCache final : public app::SharedCache {
  public:
    RedisSharedCache(std::shared_ptr<RedisClient> client, std::string key_prefix)
        : client_(std::move(client)), prefix_(std::move(key_prefix) + "cache:") {}

    [[nodiscard]] Result<std::optional<std::string>> Get(const std::string& key) override;
    [[nodiscard]] Result<void> Put(const std::string& key, const std::string& value,
                                   std::chrono::milliseconds ttl) override;
    [[nodiscard]] Result<bool> Claim(const std::string& key,
                                     std::chrono::milliseconds ttl) override;

  private:
    std::shared_ptr<RedisClient> client_;
    std::string prefix_;
};

}  // namespace rqwatch::redis
