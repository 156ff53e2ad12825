#include "core/redis_url.hpp"

#include <gtest/gtest.h>

namespace rqwatch {
namespace {

TEST(RedisUrlTest, Parses) {
    auto u = ParseRedisUrl("redis://127.0.0.1:6380");
    ASSERT_TRUE(u) << u.error().public_msg;
    EXPECT_EQ(u->server.host, "127.0.0.1");
    EXPECT_EQ(u->server.port, 6380);
    EXPECT_EQ(u->password, "");
    EXPECT_FALSE(u->db);

    u = ParseRedisUrl("redis://:p%40ss%3Aw%2Frd@redis.example.org/15");
    ASSERT_TRUE(u) << u.error().public_msg;
    EXPECT_EQ(u->server.host, "redis.example.org");
    EXPECT_EQ(u->server.port, 6379);  // the default
    EXPECT_EQ(u->password, "p@ss:w/rd");
    EXPECT_EQ(u->db, 15);

    u = ParseRedisUrl("redis://[2001:db8::5]:7000/");
    ASSERT_TRUE(u) << u.error().public_msg;
    EXPECT_EQ(u->server.host, "2001:db8::5");
    EXPECT_EQ(u->server.port, 7000);
    EXPECT_FALSE(u->db);
    EXPECT_EQ(FormatHostPort(u->server), "[2001:db8::5]:7000");
}

TEST(RedisUrlTest, RefusesWithoutShowingThePassword) {
    for (const char* bad :
         {"", "redis:/h", "redis://", "http://:secret@h", "rediss://:secret@h",
          "redis://user:secret@h", "redis://:secret@h:0", "redis://:secret@h:65536",
          "redis://:secret@h/-1", "redis://:secret@h/1/2", "redis://:secret@h?db=1",
          "redis://:secret@h#x", "redis://:secret@bad host"}) {
        auto u = ParseRedisUrl(bad);
        EXPECT_FALSE(u) << bad;
        if (!u) {
            EXPECT_EQ(u.error().code, ErrorCode::kInvalidArgument);
            EXPECT_EQ(u.error().public_msg.find("secret"), std::string::npos)
                << u.error().public_msg;
        }
    }
}

TEST(RedisUrlTest, HostPort) {
    auto a = ParseHostPort("sentinel-1.example:26379");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->host, "sentinel-1.example");
    EXPECT_EQ(a->port, 26379);
    a = ParseHostPort("[::1]:26379");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->host, "::1");
    EXPECT_EQ(FormatHostPort(*a), "[::1]:26379");
    for (const char* bad : {"", "h", "h:", ":1", "h:x", "h:0", "h:65536", "::1:26379", "[::1]",
                            "[h]:1", "h h:1", "[::1]26379"}) {
        EXPECT_FALSE(ParseHostPort(bad)) << bad;
    }
}

}  // namespace
}  // namespace rqwatch
