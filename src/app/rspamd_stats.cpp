#include "app/rspamd_stats.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "util/ids.hpp"

namespace rqwatch::app {
namespace {

constexpr std::chrono::milliseconds kWaitForShared{1000};

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

std::string SharedStatsJson(const RspamdNodeStats& s) {
    return nlohmann::json{
        {"ok", s.ok},           {"error", s.error},     {"fetched_at", s.fetched_at},
        {"version", s.version}, {"uptime", s.uptime_s}, {"scanned", s.scanned},
        {"learned", s.learned}, {"actions", s.actions}}
        .dump();
}

Result<RspamdNodeStats> ParseSharedStats(std::string_view json) {
    auto s = ParseRspamdStat(json);  // the same fields as /stat, and three more
    const auto doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
    if (!s || !doc.contains("ok") || !doc["ok"].is_boolean() || !doc.contains("error") ||
        !doc["error"].is_string()) {
        return Fail(ErrorCode::kInvalidArgument, "not rqwatch's cached Rspamd statistics");
    }
    s->ok = doc["ok"].get<bool>();
    s->error = doc["error"].get<std::string>().substr(0, 512);
    s->fetched_at = IntOf(doc, "fetched_at");
    return s;
}

RspamdStats::RspamdStats(RspamdController& controller,
                         std::map<std::string, std::string> controllers,
                         std::chrono::milliseconds interval, Clock clock, SharedCache* shared)
    : controller_(controller),
      controllers_(std::move(controllers)),
      interval_(interval),
      clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)),
      shared_(shared) {
    for (const auto& [name, url] : controllers_) {
        stats_[name] = RspamdNodeStats{.node = name, .error = "not asked yet"};
    }
}

RspamdStats::~RspamdStats() { Stop(); }

void RspamdStats::Start() {
    if (task_ || controllers_.empty()) return;
    task_ = std::make_unique<util::PeriodicTask>("rqw-rspamd-stat", [this] {
        // Another node is asking a controller: read its answer in a second.
        return RefreshNow() ? std::min<std::chrono::milliseconds>(interval_, kWaitForShared)
                            : interval_;
    });
}

void RspamdStats::Stop() { task_.reset(); }

bool RspamdStats::RefreshNow() {
    bool waiting = false;
    for (const auto& [name, url] : controllers_) {
        const Shared shared = FromShared(name);
        waiting = waiting || shared == Shared::kWait;
        if (shared != Shared::kAsk) continue;
        auto body = controller_.Stat(url);
        Store(name, body ? ParseRspamdStat(*body)
                         : Result<RspamdNodeStats>(std::unexpected(body.error())));
        if (shared_ != nullptr) {
            std::string json;
            {
                std::lock_guard lock(mu_);
                json = SharedStatsJson(stats_[name]);
            }
            if (auto put = shared_->Put("rspamd-stat:" + name, json, interval_); !put) {
                spdlog::warn("rspamd stats: {}: not shared: {}", name, put.error().detail);
            }
        }
    }
    return waiting;
}

RspamdStats::Shared RspamdStats::FromShared(const std::string& name) {
    if (shared_ == nullptr) return Shared::kAsk;
    // A cache that fails is no reason to show nothing: ask the controller.
    auto cached = shared_->Get("rspamd-stat:" + name);
    if (cached && *cached) {
        if (auto s = ParseSharedStats(**cached)) {
            s->node = name;
            std::lock_guard lock(mu_);
            stats_[name] = std::move(*s);
            return Shared::kRead;
        }
    }
    // No fresh answer: one node claims the round (for the interval, so the
    // controller is asked at most once per interval); the others keep
    // their numbers and read the new ones shortly.
    auto claimed = shared_->Claim("rspamd-stat-claim:" + name, interval_);
    if (!cached || !claimed) {
        spdlog::warn("rspamd stats: {}: shared cache: {}", name,
                     (!cached ? cached.error() : claimed.error()).detail);
        return Shared::kAsk;
    }
    return *claimed ? Shared::kAsk : Shared::kWait;
}

void RspamdStats::Store(const std::string& name, Result<RspamdNodeStats> parsed) {
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

std::vector<RspamdNodeStats> RspamdStats::Snapshot() const {
    std::lock_guard lock(mu_);
    std::vector<RspamdNodeStats> out;
    for (const auto& [name, s] : stats_) out.push_back(s);
    return out;
}

}  // namespace rqwatch::app
