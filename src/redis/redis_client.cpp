#include "redis/redis_client.hpp"

#include <fmt/format.h>

namespace rqwatch::redis {
namespace {

// The reply of a server that cannot take our commands any more, though
// another (a new master, the same one after loading) soon will.
bool MasterGone(const redisReply& reply) {
    return IsError(reply, "READONLY") || IsError(reply, "LOADING") || IsError(reply, "MASTERDOWN");
}

Error WithContext(Error e, std::string_view what) {
    e.detail = fmt::format("{}: {}", what, e.detail);
    return e;
}

bool SameAddress(const HostPort& a, const HostPort& b) {
    return a.port == b.port && a.host == b.host;
}

}  // namespace

std::shared_ptr<RedisClient> RedisClient::Standalone(HostPort server, ConnectOptions options) {
    return std::make_shared<RedisClient>(
        [server = std::move(server), options = std::move(options)] {
            return RedisConnection::Open(server, options);
        });
}

std::shared_ptr<RedisClient> RedisClient::ThroughSentinels(SentinelOptions sentinels,
                                                           ConnectOptions options) {
    const auto timeout = options.timeout;
    return std::make_shared<RedisClient>(
        [sentinels, options = std::move(options)] { return ConnectToMaster(sentinels, options); },
        [sentinels, timeout] { return LocateMaster(sentinels, timeout); });
}

void RedisClient::CheckMasterIfDue() {
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(mu_);
        const auto now = std::chrono::steady_clock::now();
        if (!locate_ || checking_ || !master_ || now - last_check_ < kCheckInterval) return;
        checking_ = true;
        last_check_ = now;
        generation = generation_;
    }
    // Asking a Sentinel takes a round trip or more: not under the lock.
    const auto at = locate_();
    bool moved = false;
    {
        std::lock_guard lock(mu_);
        checking_ = false;
        moved = at && generation == generation_ && master_ && !SameAddress(*at, *master_);
    }
    // An unreachable Sentinel proves nothing: the commands themselves will tell.
    if (moved) Invalidate(generation);
}

Result<RedisClient::Lease> RedisClient::Acquire() {
    CheckMasterIfDue();
    std::uint64_t generation = 0;
    {
        std::lock_guard lock(mu_);
        if (!idle_.empty()) {
            Lease lease{std::move(idle_.back()), generation_};
            idle_.pop_back();
            return lease;
        }
        generation = generation_;
    }
    // Connecting (maybe through several Sentinels) takes time: not under the lock.
    auto conn = connect_();
    if (!conn) return std::unexpected(std::move(conn.error()));
    {
        std::lock_guard lock(mu_);
        if (generation == generation_ && !master_) master_ = conn->At();
    }
    return Lease{std::move(*conn), generation};
}

void RedisClient::Release(Lease lease) {
    std::lock_guard lock(mu_);
    // A connection opened before the last Invalidate may lead to the old
    // master; one to another address than its generation's is a stray from
    // a racing discovery.
    if (lease.generation != generation_ || lease.conn.Broken() || idle_.size() >= kMaxIdle ||
        (master_ && !SameAddress(lease.conn.At(), *master_))) {
        return;
    }
    idle_.push_back(std::move(lease.conn));
}

void RedisClient::Invalidate(std::uint64_t seen_generation) {
    std::vector<RedisConnection> dropped;
    {
        std::lock_guard lock(mu_);
        // Another thread already did it for the same failure.
        if (seen_generation != generation_) return;
        ++generation_;
        master_.reset();
        dropped.swap(idle_);
    }
    // closed here, outside the lock
}

Result<RedisReplyPtr> RedisClient::Run(std::string_view what,
                                       std::span<const std::string_view> args) {
    for (int attempt = 1;; ++attempt) {
        auto lease = Acquire();
        if (!lease) return std::unexpected(WithContext(std::move(lease.error()), what));
        auto reply = lease->conn.Command(args);
        if (reply && !MasterGone(**reply)) {
            const bool error_reply = (*reply)->type == REDIS_REPLY_ERROR;
            const std::string text = error_reply ? ReplyText(**reply) : std::string();
            const std::string at = FormatHostPort(lease->conn.At());
            Release(std::move(*lease));
            if (error_reply) {
                return Fail(ErrorCode::kInternal, "redis command failed",
                            fmt::format("{}: {}: {}", what, at, text));
            }
            return reply;
        }
        Error error =
            reply
                ? Error{ErrorCode::kUnavailable, "redis unavailable",
                        fmt::format("{}: {}", FormatHostPort(lease->conn.At()), ReplyText(**reply))}
                : std::move(reply.error());
        Invalidate(lease->generation);
        if (attempt == 2) return std::unexpected(WithContext(std::move(error), what));
    }
}

Result<void> RedisClient::Ping() {
    static constexpr std::string_view kPing[] = {"PING"};
    auto reply = Run("PING", kPing);
    if (!reply) return std::unexpected(std::move(reply.error()));
    return {};
}

}  // namespace rqwatch::redis
