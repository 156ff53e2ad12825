#include "geo/threaded_reverse_dns.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "util/thread_name.hpp"

namespace rqwatch::geo {
namespace {

bool IsHostName(std::string_view name) {
    if (name.empty() || name.size() > 253) return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

std::optional<std::string> SystemPtrLookup(const std::string& ip) {
    sockaddr_storage addr{};
    socklen_t len = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
    if (::inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        len = sizeof *v4;
    } else if (::inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        len = sizeof *v6;
    } else {
        return std::string();  // not an address: no name
    }
    char host[NI_MAXHOST];
    const int rc = ::getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof host,
                                 nullptr, 0, NI_NAMEREQD);
    if (rc == EAI_NONAME) return std::string();
    if (rc != 0) return std::nullopt;
    std::string name(host);
    if (name.ends_with('.')) name.pop_back();
    return IsHostName(name) ? name : std::string();
}

ThreadedReverseDns::ThreadedReverseDns(ReverseDnsOptions options, PtrResolver resolver)
    : options_(options), resolver_(std::move(resolver)) {
    for (std::size_t i = 0; i < options_.threads; ++i) {
        threads_.emplace_back([this](const std::stop_token& stop) {
            util::SetThreadName("rqw-rdns");
            Work(stop);
        });
    }
}

ThreadedReverseDns::~ThreadedReverseDns() {
    for (auto& t : threads_) t.request_stop();
    work_cv_.notify_all();
    threads_.clear();  // joins; a lookup in progress finishes first
}

std::map<std::string, std::string> ThreadedReverseDns::Lookup(const std::vector<std::string>& ips,
                                                              std::chrono::milliseconds wait) {
    const auto deadline = Clock::now() + wait;
    std::map<std::string, std::string> known;
    std::unique_lock lock(mu_);
    const auto now = Clock::now();
    bool queued = false;
    for (const std::string& ip : ips) {
        auto it = cache_.find(ip);
        if (it != cache_.end() && (it->second.pending || it->second.expires > now)) continue;
        if (queue_.size() >= options_.max_queued) continue;
        TrimCache(now);
        cache_[ip] = Entry{{}, {}, true};
        queue_.push_back(ip);
        queued = true;
    }
    if (queued) work_cv_.notify_all();
    auto all_known = [&] {
        for (const std::string& ip : ips) {
            auto it = cache_.find(ip);
            if (it == cache_.end() || it->second.pending) return false;
        }
        return true;
    };
    done_cv_.wait_until(lock, deadline, all_known);
    for (const std::string& ip : ips) {
        auto it = cache_.find(ip);
        if (it != cache_.end() && !it->second.pending) known[ip] = it->second.name;
    }
    return known;
}

void ThreadedReverseDns::Work(const std::stop_token& stop) {
    std::unique_lock lock(mu_);
    while (!stop.stop_requested()) {
        if (!work_cv_.wait(lock, stop, [this] { return !queue_.empty(); })) return;
        std::string ip = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        std::optional<std::string> name = resolver_(ip);
        lock.lock();
        const auto ttl = name ? options_.ttl : options_.failure_ttl;
        cache_[ip] = Entry{name.value_or(""), Clock::now() + ttl, false};
        done_cv_.notify_all();
    }
}

void ThreadedReverseDns::TrimCache(Clock::time_point now) {
    if (cache_.size() < options_.max_cached) return;
    std::erase_if(cache_, [now](const auto& kv) {
        return !kv.second.pending && kv.second.expires <= now;
    });
    // Still full of live names: start over rather than track ages (a miss
    // costs one lookup, and addresses being resolved stay).
    if (cache_.size() >= options_.max_cached) {
        std::erase_if(cache_, [](const auto& kv) { return !kv.second.pending; });
    }
}

}  // namespace rqwatch::geo
