#pragma once
// Port: host names of IP addresses (PTR records). Implemented in geo/.

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace rqwatch::app {

class ReverseDns {
  public:
    virtual ~ReverseDns() = default;
    // The names of `ips` that are known within `wait`: address -> name, ""
    // when the address has none. Addresses still being looked up are left
    // out of the answer and keep being resolved in the background, so a
    // later call knows them. Never blocks longer than `wait`.
    [[nodiscard]] virtual std::map<std::string, std::string> Lookup(
        const std::vector<std::string>& ips, std::chrono::milliseconds wait) = 0;
};

}  // namespace rqwatch::app
