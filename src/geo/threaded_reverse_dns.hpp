#pragma once
// app::ReverseDns on the system resolver (getnameinfo), which blocks for as
// long as DNS takes: lookups run on a few threads of their own, with a
// cache, so that neither I/O threads nor workers wait for a slow DNS server
// longer than the caller allows (reference §9.17: the old system resolved
// every relay synchronously on the detail page).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/ports/reverse_dns.hpp"

namespace rqwatch::geo {

// One PTR lookup: the name, "" when the address has none, nullopt when the
// lookup failed (timeout, server failure), which is retried sooner.
using PtrResolver = std::function<std::optional<std::string>(const std::string& ip)>;

// getnameinfo(NI_NAMEREQD); names that are not plain host names (a PTR
// record is whatever its owner wrote) count as none.
[[nodiscard]] std::optional<std::string> SystemPtrLookup(const std::string& ip);

struct ReverseDnsOptions {
    std::size_t threads = 4;
    std::size_t max_cached = 10000;
    std::size_t max_queued = 1000;  // beyond this, new addresses wait for a later view
    std::chrono::seconds ttl{3600};
    std::chrono::seconds failure_ttl{300};
};

class ThreadedReverseDns final : public app::ReverseDns {
  public:
    explicit ThreadedReverseDns(ReverseDnsOptions options = {},
                                PtrResolver resolver = SystemPtrLookup);
    ~ThreadedReverseDns() override;
    ThreadedReverseDns(const ThreadedReverseDns&) = delete;
    ThreadedReverseDns& operator=(const ThreadedReverseDns&) = delete;

    std::map<std::string, std::string> Lookup(const std::vector<std::string>& ips,
                                              std::chrono::milliseconds wait) override;

  private:
    using Clock = std::chrono::steady_clock;
    struct Entry {
        std::string name;
        Clock::time_point expires{};
        bool pending = false;
    };

    void Work(const std::stop_token& stop);
    void TrimCache(Clock::time_point now);  // mu_ held

    ReverseDnsOptions options_;
    PtrResolver resolver_;
    std::mutex mu_;
    std::condition_variable_any work_cv_;
    std::condition_variable done_cv_;
    std::deque<std::string> queue_;
    std::unordered_map<std::string, Entry> cache_;
    std::vector<std::jthread> threads_;  // last: stopped and joined first
};

}  // namespace rqwatch::geo
