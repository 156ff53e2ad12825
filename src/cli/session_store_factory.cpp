#include "cli/session_store_factory.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>

#include "core/redis_url.hpp"
#include "redis/redis_client.hpp"
#include "redis/redis_session_store.hpp"
#include "storage/sql_session_store.hpp"

namespace rqwatch::cli {
namespace {

template <class T>
T ValidatedOrThrow(Result<T> r, const char* key) {
    if (!r) throw std::invalid_argument(std::string(key) + ": " + r.error().public_msg);
    return std::move(*r);
}

}  // namespace

std::shared_ptr<redis::RedisClient> MakeRedisClient(const config::RedisConfig& r) {
    if (r.url.empty() && r.sentinels.empty()) return nullptr;
    redis::ConnectOptions options{.password = r.password,
                                  .db = static_cast<int>(r.db),
                                  .timeout = std::chrono::milliseconds(r.timeout_ms)};
    if (!r.url.empty()) {
        const RedisUrl url = ValidatedOrThrow(ParseRedisUrl(r.url), "redis.url");
        if (!url.password.empty()) options.password = url.password;
        if (url.db) options.db = *url.db;
        spdlog::info("redis at {} (database {})", FormatHostPort(url.server),
                     *options.db);
        return redis::RedisClient::Standalone(url.server, std::move(options));
    }
    redis::SentinelOptions sentinels{.master_name = r.master_name, .password = r.sentinel_password};
    std::string list;
    for (const auto& s : r.sentinels) {
        sentinels.sentinels.push_back(ValidatedOrThrow(ParseHostPort(s), "redis.sentinels"));
        list += (list.empty() ? "" : ", ") + s;
    }
    spdlog::info("redis: master '{}' (database {}) through the sentinels {}",
                 r.master_name, *options.db, list);
    return redis::RedisClient::ThroughSentinels(std::move(sentinels), std::move(options));
}

std::unique_ptr<app::SessionStore> MakeSessionStore(const config::Config& cfg,
                                                    std::shared_ptr<storage::Database> db) {
    if (cfg.session.store != "redis") {
        return std::make_unique<storage::SqlSessionStore>(std::move(db));
    }
    auto client = MakeRedisClient(cfg.redis);
    if (auto ok = client->Ping(); !ok) {
        spdlog::warn("redis for sessions does not answer yet ({}); logins fail until it does",
                     ok.error().detail);
    }
    return std::make_unique<redis::RedisSessionStore>(
        std::move(client),
        redis::RedisSessionOptions{
            .key_prefix = cfg.redis.key_prefix,
            .idle_timeout_ms = cfg.session.idle_timeout_minutes * 60'000,
            .absolute_timeout_ms = cfg.session.absolute_timeout_hours * 3'600'000});
}

}  // namespace rqwatch::cli
