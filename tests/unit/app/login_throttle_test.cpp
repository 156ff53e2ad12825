#include "app/login_throttle.hpp"

#include <gtest/gtest.h>

namespace rqwatch::app {
namespace {

constexpr std::int64_t kMin = 60'000;

TEST(LoginThrottleTest, RefusesAfterTheLimitUntilTheWindowMoves) {
    LoginThrottle t(
        {.max_failures_per_ip = 100, .max_failures_per_user = 3, .window_ms = 10 * kMin});
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(t.RetryAfterMs("10.0.0.1", "alice", i * kMin), 0) << i;
        t.RecordFailure("10.0.0.1", "alice", i * kMin);
    }
    // Three failures at 0, 1 and 2 minutes: the first leaves at 10 minutes.
    EXPECT_EQ(t.RetryAfterMs("10.0.0.1", "alice", 3 * kMin), 7 * kMin);
    EXPECT_EQ(t.RetryAfterMs("10.9.9.9", "alice", 3 * kMin), 7 * kMin);  // any IP
    EXPECT_EQ(t.RetryAfterMs("10.0.0.1", "bob", 3 * kMin), 0);           // other names
    EXPECT_EQ(t.RetryAfterMs("10.0.0.1", "alice", 10 * kMin), 0);
}

TEST(LoginThrottleTest, OneIpGuessingManyNamesIsRefused) {
    LoginThrottle t({.max_failures_per_ip = 5, .max_failures_per_user = 100, .window_ms = kMin});
    for (int i = 0; i < 5; ++i) t.RecordFailure("192.0.2.7", "user" + std::to_string(i), 1000);
    EXPECT_GT(t.RetryAfterMs("192.0.2.7", "someone-new", 2000), 0);
    EXPECT_EQ(t.RetryAfterMs("192.0.2.8", "someone-new", 2000), 0);
}

TEST(LoginThrottleTest, SuccessForgetsTheNameButNotTheIp) {
    LoginThrottle t({.max_failures_per_ip = 4, .max_failures_per_user = 2, .window_ms = kMin});
    t.RecordFailure("ip", "alice", 0);
    t.RecordFailure("ip", "alice", 1);
    EXPECT_GT(t.RetryAfterMs("other-ip", "alice", 2), 0);
    t.RecordSuccess("alice");
    EXPECT_EQ(t.RetryAfterMs("other-ip", "alice", 3), 0);
    t.RecordFailure("ip", "x", 4);
    t.RecordFailure("ip", "y", 5);
    EXPECT_GT(t.RetryAfterMs("ip", "alice", 6), 0);
}

TEST(LoginThrottleTest, MemoryStaysBounded) {
    LoginThrottle t(
        {.max_failures_per_ip = 2, .max_failures_per_user = 2, .window_ms = kMin, .max_keys = 3});
    t.RecordFailure("first", "", 0);
    t.RecordFailure("first", "", 1);
    EXPECT_GT(t.RetryAfterMs("first", "", 2), 0);
    for (int i = 0; i < 1000; ++i) t.RecordFailure("ip" + std::to_string(i), "", i);
    // The oldest keys were dropped, the newest are still counted.
    t.RecordFailure("ip999", "", 1000);
    EXPECT_GT(t.RetryAfterMs("ip999", "", 1001), 0);
    EXPECT_EQ(t.RetryAfterMs("first", "", 1001), 0);
}

}  // namespace
}  // namespace rqwatch::app
