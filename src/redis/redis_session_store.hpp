#pragma once
// app::SessionStore in Redis (one server or a Sentinel group, see
// RedisClient), for installations whose web nodes share sessions without a
// shared SQL database, or that want them off the database. The data model
// is in session_scripts.hpp: a hash per session that Redis expires itself
// (so it needs the two timeouts) and a set per user for DeleteAllOf.
//
// Unlike the SQL store, nothing ties a session to a users row: a deleted
// user's sessions go by DeleteAllOf (which deleting a user calls anyway).

#include <cstdint>
#include <memory>
#include <string>

#include "app/ports/session_store.hpp"
#include "redis/redis_client.hpp"

namespace rqwatch::redis {

struct RedisSessionOptions {
    std::string key_prefix = "rqwatch:";
    std::int64_t idle_timeout_ms = 0;      // session.idle_timeout_minutes
    std::int64_t absolute_timeout_ms = 0;  // session.absolute_timeout_hours
};

class RedisSessionStore final : public app::SessionStore {
  public:
    // The same size limit as the SQL store (storage/column_limits.hpp kToken):
    // session keys and CSRF tokens are never cut.
    static constexpr std::size_t kMaxTokenBytes = 128;

    RedisSessionStore(std::shared_ptr<RedisClient> client, RedisSessionOptions options)
        : client_(std::move(client)), options_(std::move(options)) {}

    // kInvalidArgument for an empty key, or a key or CSRF token longer than
    // kMaxTokenBytes; kConflict for a key in use. Values are stored as they
    // are (binary-safe, the ip included).
    [[nodiscard]] Result<void> Create(const app::SessionRecord& session) override;
    // kNotFound when absent or expired.
    [[nodiscard]] Result<app::SessionRecord> Find(const std::string& key) override;
    // Never moves last_seen backwards; moves the expiry with it. An absent
    // session is no error.
    [[nodiscard]] Result<void> Touch(const std::string& key, std::int64_t last_seen) override;
    // An absent session is no error.
    [[nodiscard]] Result<void> Delete(const std::string& key) override;
    // Also the sessions in which the user, an admin, acts as someone else.
    [[nodiscard]] Result<void> DeleteAllOf(std::int64_t user_id) override;
    // Returns 0 and does nothing: Redis expires every session hash itself
    // (PEXPIREAT at the earlier of the two timeouts), and the per-user sets
    // are pruned by Create and expire with their last session.
    [[nodiscard]] Result<std::int64_t> DeleteExpired(std::int64_t idle_before,
                                                     std::int64_t created_before) override;

  private:
    [[nodiscard]] std::string SessionKey(const std::string& key) const;
    [[nodiscard]] std::string UserSetKey(std::int64_t user_id) const;

    std::shared_ptr<RedisClient> client_;
    RedisSessionOptions options_;
};

}  // namespace rqwatch::redis
