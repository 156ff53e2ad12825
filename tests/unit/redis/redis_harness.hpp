#pragma once
// The Redis servers tests/harness/redis.sh started (CTest does it; fixture
// redis_servers): a standalone server, and a master + replica watched by
// three Sentinels. Without RQWATCH_TEST_REDIS_DIR (running the binary by
// hand) the tests are skipped with a message; with it, a missing file fails them.
//
// The helpers talk to the servers directly (RedisConnection), to check what
// the store wrote and to steer failovers.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/redis_url.hpp"
#include "redis/redis_client.hpp"
#include "redis/redis_connection.hpp"
#include "redis/sentinel.hpp"

namespace rqwatch::redis::testing {

using namespace std::chrono_literals;

inline std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string FirstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

inline std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The string of a reply element, "" for anything else.
inline std::string Text(const redisReply& r) {
    return r.type == REDIS_REPLY_STRING || r.type == REDIS_REPLY_STATUS ? std::string(r.str, r.len)
                                                                        : std::string();
}

// The value after `name` in a flat key/value array (SENTINEL MASTER, one
// entry of SENTINEL REPLICAS).
inline std::string Field(const redisReply& flat, std::string_view name) {
    if (flat.type != REDIS_REPLY_ARRAY) return {};
    for (std::size_t i = 0; i + 1 < flat.elements; i += 2) {
        if (Text(*flat.element[i]) == name) return Text(*flat.element[i + 1]);
    }
    return {};
}

struct Harness {
    std::string dir;
    std::string url;  // the standalone server
    HostPort standalone;
    std::vector<HostPort> sentinels;
    std::string master_name;
    std::string password;
    std::string sentinel_password;

    // nullopt (and a skip) without RQWATCH_TEST_REDIS_DIR; ADD_FAILURE when
    // the directory lacks a file.
    static std::optional<Harness> Load() {
        const char* d = std::getenv("RQWATCH_TEST_REDIS_DIR");
        if (d == nullptr || *d == '\0') return std::nullopt;
        Harness h;
        h.dir = d;
        h.url = FirstLine(h.dir + "/redis.url");
        h.master_name = FirstLine(h.dir + "/master_name");
        h.password = ReadFile(h.dir + "/password");
        h.sentinel_password = ReadFile(h.dir + "/sentinel_password");
        std::istringstream lines(ReadFile(h.dir + "/sentinels"));
        for (std::string line; std::getline(lines, line);) {
            if (auto at = ParseHostPort(line)) h.sentinels.push_back(*at);
        }
        auto parsed = ParseRedisUrl(h.url);
        if (!parsed || h.master_name.empty() || h.password.empty() || h.sentinels.size() != 3) {
            ADD_FAILURE() << "incomplete redis harness in " << h.dir;
            return std::nullopt;
        }
        h.standalone = parsed->server;
        return h;
    }

    [[nodiscard]] ConnectOptions Options(std::chrono::milliseconds timeout = 2000ms) const {
        return ConnectOptions{.password = password, .db = 0, .timeout = timeout};
    }
    [[nodiscard]] SentinelOptions Sentinels() const {
        return SentinelOptions{
            .sentinels = sentinels, .master_name = master_name, .password = sentinel_password};
    }

    // The PID of the data node listening on `port` (DIR/NODE/port, DIR/NODE/pid).
    [[nodiscard]] int PidOfPort(std::uint16_t port) const {
        for (const char* node : {"standalone", "master", "replica"}) {
            const std::string d = dir + "/" + node;
            if (FirstLine(d + "/port") == std::to_string(port)) {
                return std::atoi(FirstLine(d + "/pid").c_str());
            }
        }
        return 0;
    }
};

// Base of the fixtures: h_ from Harness::Load(), then the fixture's own
// SetUpWithHarness(). Without RQWATCH_TEST_REDIS_DIR the test is skipped;
// with an incomplete harness it has failed.
template <class Base = ::testing::Test>
class HarnessTest : public Base {
  protected:
    void SetUp() override {
        auto h = Harness::Load();
        if (!h) {
            if (!::testing::Test::HasFailure()) {
                GTEST_SKIP() << "RQWATCH_TEST_REDIS_DIR is not set (run through ctest, which "
                                "starts the redis servers)";
            }
            return;
        }
        h_ = *h;
        SetUpWithHarness();
    }
    virtual void SetUpWithHarness() {}

    Harness h_;
};

// A connection of the test's own (not the store's).
inline RedisConnection Connect(const HostPort& at, const ConnectOptions& options) {
    auto c = RedisConnection::Open(at, options);
    if (!c)
        throw std::runtime_error("test connection to " + FormatHostPort(at) + ": " +
                                 c.error().detail);
    return std::move(*c);
}

inline RedisReplyPtr Cmd(RedisConnection& c, std::initializer_list<std::string_view> args) {
    auto r = c.Command(args);
    if (!r) throw std::runtime_error("test command: " + r.error().detail);
    return std::move(*r);
}

inline RedisConnection ConnectSentinel(const Harness& h, std::size_t i) {
    return Connect(h.sentinels.at(i),
                   ConnectOptions{.password = h.sentinel_password, .timeout = 1000ms});
}

// The master according to Sentinel i; nullopt when it cannot say.
inline std::optional<HostPort> MasterPerSentinel(const Harness& h, std::size_t i) {
    auto c = RedisConnection::Open(
        h.sentinels.at(i), ConnectOptions{.password = h.sentinel_password, .timeout = 1000ms});
    if (!c) return std::nullopt;
    auto r = c->Command({"SENTINEL", "get-master-addr-by-name", h.master_name});
    if (!r || (*r)->type != REDIS_REPLY_ARRAY || (*r)->elements != 2) return std::nullopt;
    HostPort at;
    at.host = Text(*(*r)->element[0]);
    at.port = static_cast<std::uint16_t>(std::atoi(Text(*(*r)->element[1]).c_str()));
    return at;
}

// The Sentinel group is settled: every Sentinel names the same master, sees
// it as a plain master (no failover going on) with a replica in sync, and the
// master says so itself. Empty string = yes, else what is missing.
inline std::string GroupState(const Harness& h) {
    std::optional<HostPort> master;
    for (std::size_t i = 0; i < h.sentinels.size(); ++i) {
        auto at = MasterPerSentinel(h, i);
        if (!at) return "sentinel " + std::to_string(i) + " names no master";
        if (master && (at->host != master->host || at->port != master->port)) {
            return "the sentinels disagree on the master";
        }
        master = at;
        auto c = RedisConnection::Open(
            h.sentinels[i], ConnectOptions{.password = h.sentinel_password, .timeout = 1000ms});
        if (!c) return "sentinel unreachable";
        auto m = c->Command({"SENTINEL", "MASTER", h.master_name});
        if (!m || Field(**m, "flags") != "master") return "master flags not plain";
        auto replicas = c->Command({"SENTINEL", "REPLICAS", h.master_name});
        if (!replicas || (*replicas)->type != REDIS_REPLY_ARRAY) return "no replica list";
        bool good = false;
        for (std::size_t k = 0; k < (*replicas)->elements; ++k) {
            const redisReply& r = *(*replicas)->element[k];
            good =
                good || (Field(r, "flags") == "slave" && Field(r, "master-link-status") == "ok" &&
                         Field(r, "master-port") == std::to_string(master->port));
        }
        if (!good) return "no replica in sync according to sentinel " + std::to_string(i);
    }
    auto c = RedisConnection::Open(*master, h.Options(1000ms));
    if (!c) return "master unreachable";
    auto role = c->Command({"ROLE"});
    if (!role || (*role)->type != REDIS_REPLY_ARRAY || (*role)->elements < 3 ||
        Text(*(*role)->element[0]) != "master" || (*role)->element[2]->elements == 0) {
        return "the master has no connected replica";
    }
    return {};
}

// Waits (up to `limit`) until GroupState is good; returns its last word.
inline std::string WaitForSettledGroup(const Harness& h, std::chrono::seconds limit = 60s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    std::string state;
    while ((state = GroupState(h)) != "" && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(200ms);
    }
    return state;
}

// Every write the master took so far is on a replica too (WAIT counts the
// replication offset of this client's last write, hence the SET).
inline bool ReplicateAll(const Harness& h, const HostPort& master) {
    auto c = Connect(master, h.Options());
    (void)Cmd(c, {"SET", "rqwatch-test:wait-marker", std::to_string(NowMs())});
    auto r = Cmd(c, {"WAIT", "1", "5000"});
    return r->type == REDIS_REPLY_INTEGER && r->integer >= 1;
}

}  // namespace rqwatch::redis::testing
