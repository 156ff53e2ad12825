#pragma once
// Port: a small cache shared by every node (Redis, redis/redis_shared_cache),
// for values that are costly to get and the same everywhere, so that several
// web nodes fetch them once per interval between them, not once each.

#include <chrono>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace rqwatch::app {

class SharedCache {
  public:
    virtual ~SharedCache() = default;
    // The value, or nullopt when there is none (never set, or expired).
    [[nodiscard]] virtual Result<std::optional<std::string>> Get(const std::string& key) = 0;
    // Sets the value, gone after `ttl`.
    [[nodiscard]] virtual Result<void> Put(const std::string& key, const std::string& value,
                                           std::chrono::milliseconds ttl) = 0;
    // True for exactly one caller among all nodes per `ttl`: that one
    // fetches the value and Puts it, the others wait for it.
    [[nodiscard]] virtual Result<bool> Claim(const std::string& key,
                                             std::chrono::milliseconds ttl) = 0;
};

}  // namespace rqwatch::app
