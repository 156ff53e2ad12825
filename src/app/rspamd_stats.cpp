#include "app/rspamd_stats.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "util/ids.hpp"
#include "util/thread_name.hpp"

namespace rqwatch::app {
namespace {

std::int64_t IntOf(const nlohmann::json& doc, const char* key) {
    const auto it = doc.find(key);
    return it != doc.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

}  // namespace

Result<RspamdNodeStats> ParseRspamdStat(std::string_view json) {
    const auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object() || !doc.contains("version") || !doc["version"].is_string()) {
        return Fail(ErrorCode::kInvalidArgument, "not the /stat answer of an Rspamd controller");
    }
    RspamdNodeStats s;
    s.ok = true;
    s.version = doc["version"].get<std::string>().substr(0, 64);
    s.uptime_s = IntOf(doc, "uptime");
    s.scanned = IntOf(doc, "scanned");
    s.learned = IntOf(doc, "learned");
    if (const auto a = doc.find("actions"); a != doc.end() && a->is_object()) {
        for (const auto& [name, count] : a->items()) {
            if (count.is_number() && s.actions.size() < 32) {
                s.actions[name.substr(0, 64)] = count.get<std::int64_t>();
            }
        }
    }
    return s;
}

RspamdStats::RspamdStats(RspamdController& controller,
                         std::map<std::string, std::string> controllers,
                         std::chrono::milliseconds interval, Clock clock)
    : controller_(controller), controllers_(std::move(controllers)), interval_(interval),
      clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)) {
    for (const auto& [name, url] : controllers_) {
        stats_[name] = RspamdNodeStats{.node = name, .error = "not asked yet"};
    }
}

RspamdStats::~RspamdStats() { Stop(); }

void RspamdStats::Start() {
    if (thread_.joinable() || controllers_.empty()) return;
    thread_ = std::thread([this] { Run(); });
}

void RspamdStats::Stop() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void RspamdStats::RefreshNow() {
    for (const auto& [name, url] : controllers_) {
        auto body = controller_.Stat(url);
        Result<RspamdNodeStats> parsed =
            body ? ParseRspamdStat(*body) : Result<RspamdNodeStats>(std::unexpected(body.error()));
        std::lock_guard lock(mu_);
        RspamdNodeStats& s = stats_[name];
        if (parsed) {
            s = std::move(*parsed);
            s.node = name;
            s.fetched_at = clock_();
        } else {
            // The last good numbers stay, marked stale.
            s.ok = false;
            s.error = parsed.error().public_msg;
            spdlog::warn("rspamd stats: {}: {} ({})", name, parsed.error().public_msg,
                         parsed.error().detail);
        }
    }
}

std::vector<RspamdNodeStats> RspamdStats::Snapshot() const {
    std::lock_guard lock(mu_);
    std::vector<RspamdNodeStats> out;
    for (const auto& [name, s] : stats_) out.push_back(s);
    return out;
}

void RspamdStats::Run() {
    util::SetThreadName("rqw-rspamd-stat");
    std::unique_lock lock(mu_);
    while (!stop_) {
        lock.unlock();
        RefreshNow();
        lock.lock();
        cv_.wait_for(lock, interval_, [this] { return stop_; });
    }
}

}  // namespace rqwatch::app
