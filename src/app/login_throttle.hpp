#pragma once
// Login throttling: after `max_failures` failed logins within `window_ms`
// from one IP address, or for one username, further attempts from that IP
// or for that name are refused (HTTP 429) until the oldest of those
// failures leaves the window, even with the right password. Nothing sleeps:
// the old system held a PHP worker for 3 s per failure, which made a
// password-guessing client a denial of service.
//
// In memory, per process: each web node throttles on its own, and a restart
// forgets. The tables are bounded: the oldest keys go first.

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace rqwatch::app {

struct ThrottleOptions {
    int max_failures_per_ip = 20;
    int max_failures_per_user = 10;
    std::int64_t window_ms = 15 * 60 * 1000;
    std::size_t max_keys = 100'000;
};

class LoginThrottle {
  public:
    explicit LoginThrottle(ThrottleOptions options = {}) : options_(options) {}

    // 0 when an attempt may go ahead, else how many ms until it may.
    [[nodiscard]] std::int64_t RetryAfterMs(const std::string& ip, const std::string& username,
                                            std::int64_t now_ms);
    void RecordFailure(const std::string& ip, const std::string& username, std::int64_t now_ms);
    // A successful login forgets the user's failures (not the IP's).
    void RecordSuccess(const std::string& username);

  private:
    struct Table {
        std::map<std::string, std::deque<std::int64_t>> failures;
        std::deque<std::string> order;  // insertion order of keys, for the bound
    };
    std::int64_t Wait(Table& table, const std::string& key, int max, std::int64_t now_ms) const;
    void Add(Table& table, const std::string& key, std::int64_t now_ms);

    ThrottleOptions options_;
    std::mutex mu_;
    Table by_ip_;
    Table by_user_;
};

}  // namespace rqwatch::app
