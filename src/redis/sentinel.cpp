#include "redis/sentinel.hpp"

#include <fmt/format.h>

#include <charconv>

namespace rqwatch::redis {
namespace {

std::string ElementText(const redisReply& reply, std::size_t i) {
    return i < reply.elements && reply.element[i]->type == REDIS_REPLY_STRING
               ? std::string(reply.element[i]->str, reply.element[i]->len)
               : std::string();
}

// The master's address according to one Sentinel; the error is one line
// about this Sentinel.
Result<HostPort> AskSentinel(const HostPort& sentinel, const SentinelOptions& options,
                             const ConnectOptions& master) {
    auto as_sentinel = [](Error e) {
        e.detail = "sentinel " + e.detail;
        return std::unexpected(std::move(e));
    };
    auto conn = RedisConnection::Open(
        sentinel, ConnectOptions{.password = options.password, .timeout = master.timeout});
    if (!conn) return as_sentinel(std::move(conn.error()));
    auto reply = conn->Command({"SENTINEL", "get-master-addr-by-name", options.master_name});
    if (!reply) return as_sentinel(std::move(reply.error()));
    const redisReply& r = **reply;
    const std::string where = "sentinel " + FormatHostPort(sentinel);
    if (r.type == REDIS_REPLY_NIL) {
        return Fail(ErrorCode::kUnavailable, "redis unavailable",
                    fmt::format("{} knows no master named '{}'", where, options.master_name));
    }
    if (IsError(r, "NOAUTH")) {
        return Fail(ErrorCode::kUnavailable, "redis unavailable",
                    where + " needs a password (redis.sentinel_password)");
    }
    if (r.type != REDIS_REPLY_ARRAY || r.elements != 2) {
        return Fail(ErrorCode::kUnavailable, "redis unavailable",
                    fmt::format("{}: unexpected answer {}", where, ReplyText(r)));
    }
    HostPort at;
    at.host = ElementText(r, 0);
    const std::string port = ElementText(r, 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (at.host.empty() || ec != std::errc{} || end != port.data() + port.size() || value == 0 ||
        value > 65535) {
        return Fail(ErrorCode::kUnavailable, "redis unavailable",
                    fmt::format("{}: unusable master address '{}' '{}'", where, at.host, port));
    }
    at.port = static_cast<std::uint16_t>(value);
    return at;
}

// kUnavailable unless the server says (ROLE) that it is a master.
Result<void> CheckIsMaster(RedisConnection& conn, const HostPort& sentinel) {
    auto reply = conn.Command({"ROLE"});
    if (!reply) return std::unexpected(std::move(reply.error()));
    const redisReply& r = **reply;
    const std::string role = r.type == REDIS_REPLY_ARRAY ? ElementText(r, 0) : ReplyText(r);
    if (role == "master") return {};
    return Fail(ErrorCode::kUnavailable, "redis unavailable",
                fmt::format("sentinel {} names {}, which says its role is '{}'",
                            FormatHostPort(sentinel), FormatHostPort(conn.At()), role));
}

}  // namespace

Result<RedisConnection> ConnectToMaster(const SentinelOptions& options,
                                        const ConnectOptions& master) {
    std::string reasons;
    for (const auto& sentinel : options.sentinels) {
        auto fail = [&](const Error& e) { reasons += (reasons.empty() ? "" : "; ") + e.detail; };
        auto at = AskSentinel(sentinel, options, master);
        if (!at) {
            fail(at.error());
            continue;
        }
        auto conn = RedisConnection::Open(*at, master);
        if (!conn) {
            conn.error().detail = fmt::format("sentinel {} names master {}",
                                              FormatHostPort(sentinel), conn.error().detail);
            fail(conn.error());
            continue;
        }
        if (auto ok = CheckIsMaster(*conn, sentinel); !ok) {
            fail(ok.error());
            continue;
        }
        return conn;
    }
    if (options.sentinels.empty()) reasons = "no sentinels configured";
    return Fail(ErrorCode::kUnavailable, "redis unavailable",
                fmt::format("no master '{}' found: {}", options.master_name, reasons));
}

Result<HostPort> LocateMaster(const SentinelOptions& options, std::chrono::milliseconds timeout) {
    std::string reasons;
    for (const auto& sentinel : options.sentinels) {
        auto at = AskSentinel(sentinel, options, ConnectOptions{.timeout = timeout});
        if (at) return at;
        reasons += (reasons.empty() ? "" : "; ") + at.error().detail;
    }
    if (options.sentinels.empty()) reasons = "no sentinels configured";
    return Fail(ErrorCode::kUnavailable, "redis unavailable",
                fmt::format("no master '{}' found: {}", options.master_name, reasons));
}

}  // namespace rqwatch::redis
