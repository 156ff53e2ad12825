#pragma once
// Finding the current master through Redis Sentinel: ask each Sentinel in
// turn for the master's address (SENTINEL get-master-addr-by-name), connect
// to it and check that it says it is the master (ROLE): a Sentinel may still
// name a master that was just demoted, or one it has not yet seen fail.

#include <chrono>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/redis_url.hpp"
#include "redis/redis_connection.hpp"

namespace rqwatch::redis {

struct SentinelOptions {
    std::vector<HostPort> sentinels;  // asked in this order
    std::string master_name;
    std::string password;  // of the Sentinels; empty = none
};

// A connection to the master (AUTH and SELECT done with `master`), or
// kUnavailable whose detail says, per Sentinel, why it did not lead to one
// ("knows no master named 'x'", "names 127.0.0.1:6380, which is a replica",
// the connection error). The Sentinels get master.timeout too.
[[nodiscard]] Result<RedisConnection> ConnectToMaster(const SentinelOptions& sentinels,
                                                      const ConnectOptions& master);

// Where the first Sentinel that answers says the master is (without
// connecting to it), each Sentinel within `timeout`. kUnavailable as above.
[[nodiscard]] Result<HostPort> LocateMaster(const SentinelOptions& sentinels,
                                            std::chrono::milliseconds timeout);

}  // namespace rqwatch::redis
