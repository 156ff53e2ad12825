#pragma once
// The connections to "the" Redis master, shared by every worker thread, and
// what to do when the master moves.
//
// Thread safety: a small mutex-protected pool. A call takes an idle
// connection out of the pool (or opens a new one, outside the lock), runs its
// command without holding the mutex and puts the connection back, so calls
// from several threads run in parallel, each on its own connection. At most
// kMaxIdle connections are kept.
//
// Failover, reactive: a connection error, or a -READONLY, -LOADING or
// -MASTERDOWN reply (the server is no usable master any more: demoted by a
// Sentinel, restarting) drops that connection and every idle one (they lead
// to the same server), and the command is tried once more on a new
// connection: the Connector connects to the one server again (standalone) or
// asks the Sentinels who the master is now. A second failure is the error.
//
// Failover, proactive (Sentinel only): after a failover the Sentinels name
// the new master at once, but they demote the old one only some seconds
// later (about 10 s with Redis 7.0), and until then it still takes writes,
// which are lost when it becomes a replica. So at most once per
// kCheckInterval, before a command, one caller asks the Sentinels (the
// Locator) where the master is, and if that is not where the pooled
// connections lead, they are dropped as above.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "redis/redis_connection.hpp"
#include "redis/sentinel.hpp"

namespace rqwatch::redis {

// A fresh connection to the current master.
using Connector = std::function<Result<RedisConnection>()>;
// Where the master is now, without connecting to it; empty = no such check.
using Locator = std::function<Result<HostPort>()>;

class RedisClient {
  public:
    static constexpr std::size_t kMaxIdle = 4;
    static constexpr std::chrono::milliseconds kCheckInterval{1000};

    explicit RedisClient(Connector connect, Locator locate = {})
        : connect_(std::move(connect)), locate_(std::move(locate)) {}

    // One server, always at the same address.
    [[nodiscard]] static std::shared_ptr<RedisClient> Standalone(HostPort server,
                                                                 ConnectOptions options);
    // The master of a Sentinel group, found again after every failover.
    [[nodiscard]] static std::shared_ptr<RedisClient> ThroughSentinels(SentinelOptions sentinels,
                                                                       ConnectOptions options);

    // Runs one command (arguments bound as they are, see RedisConnection),
    // retrying once on a new master as described above. Returns any reply but
    // an error reply: kUnavailable ("redis unavailable") when no master could
    // be reached, kInternal for another error reply (a bug: a wrong type, a
    // script error), both with the reason and `what` in detail.
    [[nodiscard]] Result<RedisReplyPtr> Run(std::string_view what,
                                            std::span<const std::string_view> args);

    // Whether a master answers PING now (for the start-up log).
    [[nodiscard]] Result<void> Ping();

  private:
    struct Lease {
        RedisConnection conn;
        std::uint64_t generation;
    };

    [[nodiscard]] Result<Lease> Acquire();
    void Release(Lease lease);
    // The master moved or went away: forget every idle connection, and the
    // ones in use when they come back.
    void Invalidate(std::uint64_t seen_generation);
    // The proactive check, when it is due and no other thread is doing it.
    void CheckMasterIfDue();

    Connector connect_;
    Locator locate_;
    std::mutex mu_;
    // Guarded by mu_:
    std::vector<RedisConnection> idle_;  // all of generation_
    std::uint64_t generation_ = 0;
    std::optional<HostPort> master_;  // where the connections of generation_ lead
    std::chrono::steady_clock::time_point last_check_{};
    bool checking_ = false;
};

}  // namespace rqwatch::redis
