#pragma once
// RAII owners for what hiredis hands out: a connection (redisContext) and a
// reply tree (redisReply; freeing the root frees its elements).

#include <hiredis/hiredis.h>

#include <memory>

namespace rqwatch::redis {

struct RedisContextFree {
    // Closes the socket; also frees a context whose connect failed.
    void operator()(redisContext* c) const noexcept { redisFree(c); }
};
using RedisContextPtr = std::unique_ptr<redisContext, RedisContextFree>;

struct RedisReplyFree {
    void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using RedisReplyPtr = std::unique_ptr<redisReply, RedisReplyFree>;

}  // namespace rqwatch::redis
