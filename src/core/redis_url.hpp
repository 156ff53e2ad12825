#pragma once
// redis.url and redis.sentinels: where the session store's Redis is.
//
//   redis://127.0.0.1:6379
//   redis://:PASSWORD@redis.example.org:6379/2     (percent-encoded password, database 2)
//   redis://[2001:db8::5]:6379
//
// Parsed here (not in redis/) so that config/ can check the values at start,
// as it does for database.url. Only the form is checked.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace rqwatch {

struct HostPort {
    std::string host;  // a name or an address, IPv6 without brackets
    std::uint16_t port = 0;
};

struct RedisUrl {
    HostPort server;
    std::string password;   // percent-decoded; empty = no AUTH
    std::optional<int> db;  // the "/N" path, when given
};

// kInvalidArgument with a one-line reason that never contains the password.
// No user name (Redis 6 ACL users are not supported), no query, port 6379
// when absent.
[[nodiscard]] Result<RedisUrl> ParseRedisUrl(std::string_view url);

// "host:port" or "[v6addr]:port" (a Sentinel); the port is required.
[[nodiscard]] Result<HostPort> ParseHostPort(std::string_view text);

// "host:port", with brackets around an IPv6 address: for messages.
[[nodiscard]] std::string FormatHostPort(const HostPort& at);

}  // namespace rqwatch
