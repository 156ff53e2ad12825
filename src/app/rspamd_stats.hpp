#pragma once
// What each node's Rspamd controller says about itself (GET /stat):
// version, uptime, scanned and learned messages, messages per action. A
// thread of its own asks every controller in turn and keeps the answers in
// memory, so that a request for them never waits on a controller (the old
// system polled every node on each admin page view). With a SharedCache
// (Redis), the web nodes share the answers: per node and interval one of
// them asks the controller and stores what it got, the others read that.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/rspamd_controller.hpp"
#include "app/ports/shared_cache.hpp"
#include "core/error.hpp"
#include "util/periodic_task.hpp"

namespace rqwatch::app {

struct RspamdNodeStats {
    std::string node;
    bool ok = false;              // the last request succeeded
    std::string error;            // why not, when !ok
    std::int64_t fetched_at = 0;  // unix ms of the last answer (0: none yet)
    std::string version;
    std::int64_t uptime_s = 0;
    std::int64_t scanned = 0;
    std::int64_t learned = 0;
    std::map<std::string, std::int64_t> actions;
};

// The fields above from the JSON of /stat; kInvalidArgument when it is not that.
[[nodiscard]] Result<RspamdNodeStats> ParseRspamdStat(std::string_view json);
// One node's entry as kept in the shared cache, and back (kInvalidArgument
// for anything else).
[[nodiscard]] std::string SharedStatsJson(const RspamdNodeStats& stats);
[[nodiscard]] Result<RspamdNodeStats> ParseSharedStats(std::string_view json);

class RspamdStats {
  public:
    using Clock = std::function<std::int64_t()>;
    // `controllers`: node name -> controller base URL. `shared` null: every
    // node asks every controller itself.
    RspamdStats(RspamdController& controller, std::map<std::string, std::string> controllers,
                std::chrono::milliseconds interval, Clock clock = {},
                SharedCache* shared = nullptr);
    ~RspamdStats();
    RspamdStats(const RspamdStats&) = delete;
    RspamdStats& operator=(const RspamdStats&) = delete;

    void Start();  // the thread "rqw-rspamd-stat"; the first round at once
    void Stop();
    // One round on the caller's thread. True when another node was asking a
    // controller just then (shared cache), so its answer is worth reading
    // again soon rather than an interval later.
    bool RefreshNow();
    [[nodiscard]] std::vector<RspamdNodeStats> Snapshot() const;

  private:
    enum class Shared { kRead, kAsk, kWait };
    // kRead: another node's answer from the shared cache; kAsk: this node
    // asks the controller; kWait: another node is asking it now.
    Shared FromShared(const std::string& name);
    void Store(const std::string& name, Result<RspamdNodeStats> parsed);

    RspamdController& controller_;
    std::map<std::string, std::string> controllers_;
    std::chrono::milliseconds interval_;
    Clock clock_;
    SharedCache* shared_;
    mutable std::mutex mu_;  // guards stats_
    std::map<std::string, RspamdNodeStats> stats_;
    std::unique_ptr<util::PeriodicTask> task_;  // last: stopped before the rest goes
};

}  // namespace rqwatch::app
