#pragma once
// One blocking connection to a Redis server or Sentinel (hiredis 0.14):
// connect and command timeouts, AUTH, SELECT, and commands whose arguments
// are sent as they are (redisCommandArgv), never formatted into command text.
// Not thread-safe: one thread at a time (RedisClient pools them).

#include <chrono>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/redis_url.hpp"
#include "redis/redis_reply.hpp"

namespace rqwatch::redis {

struct ConnectOptions {
    std::string password;                     // AUTH when not empty
    std::optional<int> db;                    // SELECT (data nodes; a Sentinel has no databases)
    std::chrono::milliseconds timeout{2000};  // connecting, and then each command
};

class RedisConnection {
  public:
    // Connects within options.timeout, then AUTH and SELECT. kUnavailable
    // with the reason in detail: refused, timed out, wrong password ("redis
    // refused the password"), a password missing ("needs a password").
    [[nodiscard]] static Result<RedisConnection> Open(const HostPort& at,
                                                      const ConnectOptions& options);

    // One command. The server's error reply (-READONLY ...) is a reply of type
    // REDIS_REPLY_ERROR, for the caller to judge; kUnavailable when the
    // connection failed (reset, timeout), after which Broken() is true and the
    // connection must be dropped.
    [[nodiscard]] Result<RedisReplyPtr> Command(std::span<const std::string_view> args);
    [[nodiscard]] Result<RedisReplyPtr> Command(std::initializer_list<std::string_view> args) {
        return Command(std::span<const std::string_view>(args.begin(), args.size()));
    }

    [[nodiscard]] bool Broken() const { return broken_; }
    [[nodiscard]] const HostPort& At() const { return at_; }

  private:
    RedisConnection(RedisContextPtr ctx, HostPort at) : ctx_(std::move(ctx)), at_(std::move(at)) {}

    RedisContextPtr ctx_;
    HostPort at_;
    bool broken_ = false;
};

// The text of a status or error reply ("READONLY You can't write ..."), or
// a short description of another reply type, for messages.
[[nodiscard]] std::string ReplyText(const redisReply& reply);

// An error reply whose code (its first word) is `code`: "READONLY", "LOADING".
[[nodiscard]] bool IsError(const redisReply& reply, std::string_view code);

}  // namespace rqwatch::redis
