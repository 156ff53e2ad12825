// RedisSessionStore through the Sentinels while the master changes: a
// Sentinel-driven failover (the old master is demoted and its clients
// killed) and a master that stops answering (SIGSTOP: connections hang until
// the command timeout, and the Sentinels fail over after
// down-after-milliseconds). The same store object must carry on, finding the
// sessions created before (they were replicated) and creating new ones on
// the new master, within a bounded wait.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "redis/redis_session_store.hpp"
#include "redis_harness.hpp"

namespace rqwatch::redis {
namespace {

using namespace std::chrono_literals;
using testing::Cmd;
using testing::MasterPerSentinel;
using testing::NowMs;

bool Same(const HostPort& a, const HostPort& b) { return a.host == b.host && a.port == b.port; }

class RedisFailoverTest : public testing::HarnessTest<> {
  protected:
    void SetUpWithHarness() override {
        const std::string state = testing::WaitForSettledGroup(h_);
        ASSERT_EQ(state, "") << "the sentinel group did not settle";
        auto master = MasterPerSentinel(h_, 0);
        ASSERT_TRUE(master);
        old_master_ = *master;
        prefix_ = "rqwatch-test:failover:" + std::to_string(NowMs()) + ":";
        // A short command timeout, as a stopped master makes every call wait for it.
        store_ = std::make_unique<RedisSessionStore>(
            RedisClient::ThroughSentinels(h_.Sentinels(), h_.Options(500ms)),
            RedisSessionOptions{.key_prefix = prefix_,
                                .idle_timeout_ms = 600'000,
                                .absolute_timeout_ms = 3'600'000});
    }

    app::SessionRecord Make(const std::string& key) const {
        const std::int64_t now = NowMs();
        return {.key = key,
                .user_id = 7,
                .csrf_token = "csrf-" + key,
                .created_at = now,
                .last_seen = now,
                .ip = "192.0.2.7"};
    }

    // Sessions on the old master, replicated, and connections to it in the
    // store's pool (several, from concurrent calls).
    void CreateSessionsBeforeTheFailover() {
        std::vector<std::thread> threads;
        for (int t = 0; t < 3; ++t) {
            threads.emplace_back([this, t] {
                for (int i = 0; i < 4; ++i) {
                    const std::string key = "before-" + std::to_string(t * 4 + i);
                    auto r = store_->Create(Make(key));
                    EXPECT_TRUE(r) << r.error().detail;
                }
            });
        }
        for (auto& th : threads) th.join();
        ASSERT_TRUE(testing::ReplicateAll(h_, old_master_)) << "the replica did not catch up";
    }

    // Within `limit`, with the same store: every session from before is
    // found, and a new one is created on a master other than the old one
    // (checked on that master itself). Empty = done; else the last problem.
    std::string CarryOnAfterFailover(std::chrono::seconds limit) {
        const auto start = std::chrono::steady_clock::now();
        std::string problem = "no attempt";
        int round = 0;
        for (; std::chrono::steady_clock::now() < start + limit; ++round) {
            problem = TryOnce(round);
            if (problem.empty()) break;
            std::this_thread::sleep_for(100ms);
        }
        std::cout << (problem.empty() ? "carried on" : "gave up") << " after "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - start)
                         .count()
                  << " ms and " << round << " failed rounds\n";
        return problem;
    }

    std::string TryOnce(int round) {
        for (int i = 0; i < 12; ++i) {
            const std::string key = "before-" + std::to_string(i);
            auto found = store_->Find(key);
            if (!found) return "Find(" + key + "): " + found.error().detail;
            if (found->csrf_token != "csrf-" + key) return "Find(" + key + "): wrong record";
        }
        const std::string key = "after-" + std::to_string(round);
        if (auto r = store_->Create(Make(key)); !r) return "Create: " + r.error().detail;
        if (!store_->Find(key)) return "the new session is not found";
        // Where did it go? The master now, per the Sentinels, must hold it.
        auto now_master = MasterPerSentinel(h_, 0);
        if (!now_master || Same(*now_master, old_master_)) return "no failover (yet)";
        auto conn = RedisConnection::Open(*now_master, h_.Options(1000ms));
        if (!conn) return "new master unreachable";
        auto role = conn->Command({"ROLE"});
        if (!role || testing::Text(*(*role)->element[0]) != "master")
            return "new master not master";
        auto has = conn->Command({"EXISTS", prefix_ + "session:" + key});
        if (!has || (*has)->integer != 1) return "the new session is not on the new master";
        return "";
    }

    std::string prefix_;
    HostPort old_master_;
    std::unique_ptr<RedisSessionStore> store_;
};

// SENTINEL FAILOVER: the Sentinels promote the replica and name it at once,
// but demote the old master (which then answers -READONLY to writes, and
// kills its clients) only ~10 s later; until then the old master still takes
// writes, which would be lost. The store must notice the new master well
// before: within 5 s of the Sentinels naming it.
TEST_F(RedisFailoverTest, CarriesOnThroughASentinelFailover) {
    CreateSessionsBeforeTheFailover();
    auto sentinel = testing::ConnectSentinel(h_, 1);
    std::string answer;
    for (int i = 0; i < 100; ++i) {  // -INPROG / -NOGOODSLAVE right after an earlier failover
        answer = redis::ReplyText(*Cmd(sentinel, {"SENTINEL", "FAILOVER", h_.master_name}));
        if (answer == "OK") break;
        std::this_thread::sleep_for(200ms);
    }
    ASSERT_EQ(answer, "OK");
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    for (auto at = MasterPerSentinel(h_, 0); !at || Same(*at, old_master_);
         at = MasterPerSentinel(h_, 0)) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the sentinels did not switch";
        std::this_thread::sleep_for(50ms);
    }
    const std::string problem = CarryOnAfterFailover(5s);
    EXPECT_EQ(problem, "");
    auto now_master = MasterPerSentinel(h_, 0);
    ASSERT_TRUE(now_master);
    EXPECT_FALSE(Same(*now_master, old_master_));
    EXPECT_EQ(testing::WaitForSettledGroup(h_), "");
}

// The master stops answering (SIGSTOP; its sockets stay open, so only the
// timeouts tell): the Sentinels see it down and promote the replica.
TEST_F(RedisFailoverTest, CarriesOnWhenTheMasterStopsAnswering) {
    const int pid = h_.PidOfPort(old_master_.port);
    ASSERT_GT(pid, 0) << "no pid for " << FormatHostPort(old_master_);
    CreateSessionsBeforeTheFailover();
    struct Resume {
        int pid;
        ~Resume() { ::kill(pid, SIGCONT); }
    } resume{pid};
    ASSERT_EQ(::kill(pid, SIGSTOP), 0);
    const std::string problem = CarryOnAfterFailover(45s);
    EXPECT_EQ(problem, "");
    ::kill(pid, SIGCONT);
    // The old master comes back and is turned into a replica of the new one.
    EXPECT_EQ(testing::WaitForSettledGroup(h_), "");
}

}  // namespace
}  // namespace rqwatch::redis
