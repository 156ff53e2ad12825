#include "redis/redis_connection.hpp"

#include <fmt/format.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace rqwatch::redis {
namespace {

timeval ToTimeval(std::chrono::milliseconds ms) {
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
    return tv;
}

std::unexpected<Error> Unavailable(const HostPort& at, std::string detail) {
    return Fail(ErrorCode::kUnavailable, "redis unavailable",
                fmt::format("{}: {}", FormatHostPort(at), detail));
}

}  // namespace

std::string ReplyText(const redisReply& reply) {
    switch (reply.type) {
        case REDIS_REPLY_STATUS:
        case REDIS_REPLY_ERROR:
        case REDIS_REPLY_STRING:
            return std::string(reply.str, reply.len);
        case REDIS_REPLY_INTEGER:
            return std::to_string(reply.integer);
        case REDIS_REPLY_NIL:
            return "(nil)";
        case REDIS_REPLY_ARRAY:
            return fmt::format("(array of {})", reply.elements);
        default:
            return fmt::format("(reply type {})", reply.type);
    }
}

bool IsError(const redisReply& reply, std::string_view code) {
    if (reply.type != REDIS_REPLY_ERROR) return false;
    const std::string_view text(reply.str, reply.len);
    return text.starts_with(code) && (text.size() == code.size() || text[code.size()] == ' ');
}

Result<RedisConnection> RedisConnection::Open(const HostPort& at, const ConnectOptions& options) {
    const timeval tv = ToTimeval(options.timeout);
    RedisContextPtr ctx(redisConnectWithTimeout(at.host.c_str(), at.port, tv));
    if (!ctx) return Unavailable(at, "out of memory");
    if (ctx->err != 0) return Unavailable(at, fmt::format("cannot connect: {}", ctx->errstr));
    // The connect timeout does not cover commands: without this a stopped
    // server would block a worker thread for good.
    if (redisSetTimeout(ctx.get(), tv) != REDIS_OK) {
        return Unavailable(at, fmt::format("cannot set the timeout: {}", ctx->errstr));
    }
    (void)redisEnableKeepAlive(ctx.get());  // finds a dead peer of an idle pooled connection
    RedisConnection conn(std::move(ctx), at);

    if (!options.password.empty()) {
        auto reply = conn.Command({"AUTH", options.password});
        if (!reply) return std::unexpected(std::move(reply.error()));
        if ((*reply)->type == REDIS_REPLY_ERROR) {
            const std::string text = ReplyText(**reply);
            // WRONGPASS since Redis 6, "ERR invalid password" before.
            if (IsError(**reply, "WRONGPASS") ||
                text.find("invalid password") != std::string::npos) {
                return Unavailable(at, fmt::format("redis refused the password ({})", text));
            }
            return Unavailable(at, fmt::format("AUTH failed: {}", text));
        }
    }
    if (options.db) {
        // Also proves that we are logged in (a server with a password
        // answers NOAUTH before anything else).
        auto reply = conn.Command({"SELECT", std::to_string(*options.db)});
        if (!reply) return std::unexpected(std::move(reply.error()));
        if (IsError(**reply, "NOAUTH")) {
            return Unavailable(at, "redis needs a password (redis.password), none was given");
        }
        if ((*reply)->type == REDIS_REPLY_ERROR) {
            return Unavailable(
                at, fmt::format("SELECT {} failed: {}", *options.db, ReplyText(**reply)));
        }
    }
    return conn;
}

Result<RedisReplyPtr> RedisConnection::Command(std::span<const std::string_view> args) {
    if (broken_) return Unavailable(at_, "connection already failed");
    std::vector<const char*> argv;
    std::vector<std::size_t> argvlen;
    argv.reserve(args.size());
    argvlen.reserve(args.size());
    for (const auto& a : args) {
        argv.push_back(a.data());
        argvlen.push_back(a.size());
    }
    RedisReplyPtr reply(static_cast<redisReply*>(
        redisCommandArgv(ctx_.get(), static_cast<int>(argv.size()), argv.data(), argvlen.data())));
    if (!reply) {
        // hiredis cannot use the context after an I/O or protocol error.
        broken_ = true;
        std::string reason = ctx_->errstr[0] == '\0' ? "I/O error" : ctx_->errstr;
        // The socket timeout (SO_RCVTIMEO) shows as EAGAIN.
        if (ctx_->err == REDIS_ERR_IO && reason == std::strerror(EAGAIN)) {
            reason = "no answer within the timeout";
        }
        return Unavailable(at_, fmt::format("{} failed: {}", args.empty() ? "" : args[0], reason));
    }
    return reply;
}

}  // namespace rqwatch::redis
