#include "app/login_throttle.hpp"

#include <algorithm>

namespace rqwatch::app {

std::int64_t LoginThrottle::Wait(Table& table, const std::string& key, int max,
                                 std::int64_t now_ms) const {
    auto it = table.failures.find(key);
    if (it == table.failures.end()) return 0;
    auto& times = it->second;
    while (!times.empty() && times.front() <= now_ms - options_.window_ms) times.pop_front();
    if (static_cast<int>(times.size()) < max) return 0;
    // Allowed again when enough of the failures have left the window.
    const std::int64_t oldest_that_counts = times[times.size() - static_cast<std::size_t>(max)];
    return std::max<std::int64_t>(1, oldest_that_counts + options_.window_ms - now_ms);
}

void LoginThrottle::Add(Table& table, const std::string& key, std::int64_t now_ms) {
    auto [it, inserted] = table.failures.try_emplace(key);
    if (inserted) {
        table.order.push_back(key);
        while (table.order.size() > options_.max_keys) {
            table.failures.erase(table.order.front());
            table.order.pop_front();
        }
    }
    auto found = table.failures.find(key);
    if (found == table.failures.end()) return;  // evicted at once (max_keys == 0)
    auto& times = found->second;
    times.push_back(now_ms);
    // Only the newest `max` matter; keep memory per key bounded.
    const auto keep = static_cast<std::size_t>(
        std::max(options_.max_failures_per_ip, options_.max_failures_per_user));
    while (times.size() > keep) times.pop_front();
}

std::int64_t LoginThrottle::RetryAfterMs(const std::string& ip, const std::string& username,
                                         std::int64_t now_ms) {
    std::lock_guard lock(mu_);
    return std::max(Wait(by_ip_, ip, options_.max_failures_per_ip, now_ms),
                    Wait(by_user_, username, options_.max_failures_per_user, now_ms));
}

void LoginThrottle::RecordFailure(const std::string& ip, const std::string& username,
                                  std::int64_t now_ms) {
    std::lock_guard lock(mu_);
    Add(by_ip_, ip, now_ms);
    if (!username.empty()) Add(by_user_, username, now_ms);
}

void LoginThrottle::RecordSuccess(const std::string& username) {
    std::lock_guard lock(mu_);
    by_user_.failures.erase(username);
    // Its key stays in `order` until it ages out; erasing a missing key later is harmless.
}

}  // namespace rqwatch::app
