#pragma once
// The session store session.store chooses: the SQL database (default) or
// Redis (one server, or a Sentinel group), built from the [redis] keys.

#include <memory>

#include "app/ports/session_store.hpp"
#include "redis/redis_client.hpp"
#include "config/config.hpp"
#include "storage/database.hpp"

namespace rqwatch::cli {

// `cfg` must have passed LoadConfig's validation (a [redis] value it would
// refuse throws std::invalid_argument). For Redis this only logs whether a
// master answers now; nothing fails at start when it does not (the first
// login will, with "redis unavailable", until it does).
[[nodiscard]] std::unique_ptr<app::SessionStore> MakeSessionStore(
    const config::Config& cfg, std::shared_ptr<storage::Database> db);

// A client of the [redis] server or Sentinel group (also for the shared
// statistics cache); null when neither redis.url nor redis.sentinels is set.
[[nodiscard]] std::shared_ptr<redis::RedisClient> MakeRedisClient(const config::RedisConfig& r);

}  // namespace rqwatch::cli
