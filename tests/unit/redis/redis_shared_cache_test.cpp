// RedisSharedCache against the real standalone Redis of the CTest fixture
// redis_servers: values under the prefix, expiry by Redis, one claim per
// interval, hostile bytes kept as they are, a Redis that is gone.

#include "redis/redis_shared_cache.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "redis_harness.hpp"

namespace rqwatch::redis {
namespace {

using namespace std::chrono_literals;
using testing::Cmd;
using testing::Connect;
using testing::NowMs;

class RedisSharedCacheTest : public testing::HarnessTest<> {
  protected:
    void SetUpWithHarness() override {
        prefix_ = "rqwatch-test:shared-cache:" + std::to_string(NowMs()) + ":";
        cache_ = std::make_unique<RedisSharedCache>(
            RedisClient::Standalone(h_.standalone, h_.Options()), prefix_);
    }
    std::string prefix_;
    std::unique_ptr<RedisSharedCache> cache_;
};

TEST_F(RedisSharedCacheTest, PutGetExpireUnderThePrefix) {
    auto none = cache_->Get("rspamd-stat:mx1");
    ASSERT_TRUE(none) << none.error().detail;
    EXPECT_FALSE(*none);
    const std::string hostile("{\"a\":\"\0\r\n\xff\"}", 13);
    ASSERT_TRUE(cache_->Put("rspamd-stat:mx1", hostile, 300ms));
    auto got = cache_->Get("rspamd-stat:mx1");
    ASSERT_TRUE(got && *got);
    EXPECT_EQ(**got, hostile);
    // Under the prefix, with Redis's own expiry.
    auto direct = Connect(h_.standalone, h_.Options());
    auto ttl = Cmd(direct, {"PTTL", prefix_ + "cache:rspamd-stat:mx1"});
    EXPECT_GT(ttl->integer, 0);
    EXPECT_LE(ttl->integer, 300);
    std::this_thread::sleep_for(400ms);
    EXPECT_FALSE(*cache_->Get("rspamd-stat:mx1"));
}

TEST_F(RedisSharedCacheTest, OneClaimPerInterval) {
    RedisSharedCache other(RedisClient::Standalone(h_.standalone, h_.Options()), prefix_);
    EXPECT_TRUE(*cache_->Claim("claim:mx1", 300ms));
    EXPECT_FALSE(*other.Claim("claim:mx1", 300ms));
    EXPECT_FALSE(*cache_->Claim("claim:mx1", 300ms));
    EXPECT_TRUE(*other.Claim("claim:mx2", 300ms));  // each key its own
    std::this_thread::sleep_for(400ms);
    EXPECT_TRUE(*other.Claim("claim:mx1", 300ms));
}

TEST_F(RedisSharedCacheTest, ARedisThatIsGoneIsUnavailable) {
    HostPort nowhere = h_.standalone;
    nowhere.port = 1;  // nothing listens there
    RedisSharedCache gone(RedisClient::Standalone(nowhere, h_.Options(200ms)), prefix_);
    EXPECT_EQ(gone.Get("x").error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(gone.Put("x", "y", 1s).error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(gone.Claim("x", 1s).error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace rqwatch::redis
