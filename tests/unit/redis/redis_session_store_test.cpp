// RedisSessionStore against real Redis servers (tests/harness/redis.sh via
// the CTest fixture redis_servers): the SessionStore contract
// (session_store_contract.hpp, shared with the SQL store) and Redis's own data
// model, on the standalone server and through the Sentinels; expiry by Redis
// itself; hostile bytes; clear errors for a wrong password or master name.
// Failovers are in redis_failover_test.cpp.

#include "redis/redis_session_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "redis_harness.hpp"
#include "session_store_contract.hpp"

namespace rqwatch::redis {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using testing::Cmd;
using testing::Connect;
using testing::NowMs;

enum class Mode { kStandalone, kSentinel };

std::string ModeName(const ::testing::TestParamInfo<Mode>& info) {
    return info.param == Mode::kStandalone ? "Standalone" : "Sentinel";
}

// A key prefix of this test's own, so that tests never see each other's keys.
std::string TestPrefix() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "." + info->name();
    for (char& c : name) {
        if (c == '/') c = '.';
    }
    return "rqwatch-test:" + name + ":" + std::to_string(NowMs()) + ":";
}

class RedisSessionStoreTest : public testing::HarnessTest<::testing::TestWithParam<Mode>> {
  protected:
    void SetUpWithHarness() override {
        if (GetParam() == Mode::kSentinel) {
            // A failover test may have run just before.
            const std::string state = testing::WaitForSettledGroup(h_);
            ASSERT_EQ(state, "") << "the sentinel group did not settle";
        }
        prefix_ = TestPrefix();
        store_ = MakeStore(Options());
    }

    [[nodiscard]] RedisSessionOptions Options(std::int64_t idle_ms = 600'000,
                                              std::int64_t absolute_ms = 3'600'000) const {
        return RedisSessionOptions{
            .key_prefix = prefix_, .idle_timeout_ms = idle_ms, .absolute_timeout_ms = absolute_ms};
    }

    [[nodiscard]] std::shared_ptr<RedisClient> Client() const {
        return GetParam() == Mode::kStandalone
                   ? RedisClient::Standalone(h_.standalone, h_.Options())
                   : RedisClient::ThroughSentinels(h_.Sentinels(), h_.Options());
    }

    [[nodiscard]] std::unique_ptr<RedisSessionStore> MakeStore(RedisSessionOptions options) const {
        return std::make_unique<RedisSessionStore>(Client(), std::move(options));
    }

    // A connection of the test's own to the server the store writes to.
    [[nodiscard]] RedisConnection Admin() const {
        if (GetParam() == Mode::kStandalone) return Connect(h_.standalone, h_.Options());
        auto c = ConnectToMaster(h_.Sentinels(), h_.Options());
        if (!c) throw std::runtime_error(c.error().detail);
        return std::move(*c);
    }

    // Sessions created "now", so that Redis does not expire them at once.
    app::SessionRecord Make(const std::string& key, std::int64_t user_id) const {
        const std::int64_t now = NowMs();
        return rqwatch::testing::MakeSession(key, user_id, now, now);
    }

    bool Exists(const std::string& key) { return rqwatch::testing::SessionExists(*store_, key); }

    rqwatch::testing::SessionStoreContract Contract() {
        return {.store = *store_, .now = NowMs(), .alice = alice_, .bob = bob_, .admin = admin_};
    }

    // Polls Find until the session is gone; how long that took.
    std::chrono::milliseconds WaitUntilGone(const std::string& key,
                                            std::chrono::milliseconds limit) {
        const auto start = std::chrono::steady_clock::now();
        while (Exists(key) && std::chrono::steady_clock::now() - start < limit) {
            std::this_thread::sleep_for(20ms);
        }
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
    }

    std::string prefix_;
    std::unique_ptr<RedisSessionStore> store_;
    const std::int64_t alice_ = 1;
    const std::int64_t bob_ = 2;
    const std::int64_t admin_ = 3;
};

TEST_P(RedisSessionStoreTest, CreatesAndFinds) {
    ASSERT_NO_FATAL_FAILURE(Contract().CreatesAndFinds(NowMs()));
    // The data model: one hash, in the user's set (and the admin's).
    const std::string key(64, 'a');
    auto admin = Admin();
    EXPECT_EQ(Cmd(admin, {"TYPE", prefix_ + "session:" + key})->str, "hash"s);
    EXPECT_EQ(Cmd(admin, {"SISMEMBER", prefix_ + "user-sessions:1", key})->integer, 1);
    EXPECT_EQ(Cmd(admin, {"SISMEMBER", prefix_ + "user-sessions:2", "as"})->integer, 1);
    EXPECT_EQ(Cmd(admin, {"SISMEMBER", prefix_ + "user-sessions:3", "as"})->integer, 1);
}

TEST_P(RedisSessionStoreTest, UnknownKeyIsNotFound) { Contract().UnknownKeyIsNotFound(); }

// Not even the same user with another token (see the next test).
TEST_P(RedisSessionStoreTest, DuplicateKeyIsConflict) {
    ASSERT_NO_FATAL_FAILURE(Contract().DuplicateKeyIsConflict());
    app::SessionRecord other_token = Make("k", alice_);
    other_token.csrf_token = "another";
    auto again = store_->Create(other_token);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(store_->Find("k")->user_id, alice_);
    EXPECT_EQ(store_->Find("k")->csrf_token, "csrf-k");
}

// The retry after a lost reply must not turn a created session into a conflict.
TEST_P(RedisSessionStoreTest, RepeatedCreateOfTheSameRecordSucceeds) {
    const app::SessionRecord s = Make("same", alice_);
    ASSERT_TRUE(store_->Create(s));
    auto again = store_->Create(s);
    EXPECT_TRUE(again) << again.error().detail;
}

TEST_P(RedisSessionStoreTest, OverLongValues) { Contract().OverLongValues(); }

TEST_P(RedisSessionStoreTest, TouchMovesLastSeenForwardOnly) {
    Contract().TouchMovesLastSeenForwardOnly();
}

TEST_P(RedisSessionStoreTest, Deletes) {
    ASSERT_NO_FATAL_FAILURE(Contract().Deletes());
    auto admin = Admin();
    EXPECT_EQ(Cmd(admin, {"SISMEMBER", prefix_ + "user-sessions:1", "k"})->integer, 0);
}

TEST_P(RedisSessionStoreTest, DeletesAllOfAUserIncludingLoginAs) {
    ASSERT_NO_FATAL_FAILURE(Contract().DeletesAllOfAUserIncludingLoginAs());
    // No member is left behind for a deleted session.
    auto admin = Admin();
    EXPECT_EQ(Cmd(admin, {"SMEMBERS", prefix_ + "user-sessions:2"})->elements, 1u);  // "bob"
    EXPECT_EQ(Cmd(admin, {"EXISTS", prefix_ + "user-sessions:3"})->integer, 0);
}

// Redis expires the sessions itself; DeleteExpired has nothing to do.
TEST_P(RedisSessionStoreTest, DeleteExpiredReturnsZero) {
    ASSERT_TRUE(store_->Create(Make("fresh", alice_)));
    auto n = store_->DeleteExpired(NowMs() + 1'000'000, NowMs() + 1'000'000);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0);
    EXPECT_TRUE(Exists("fresh"));
}

// The expiry Redis keeps is the earlier of the two timeouts, and Touch moves it.
TEST_P(RedisSessionStoreTest, ExpiryIsTheEarlierTimeout) {
    const std::int64_t t = NowMs();
    store_ = MakeStore(Options(/*idle_ms=*/600'000, /*absolute_ms=*/3'600'000));
    app::SessionRecord s = Make("k", alice_);
    s.created_at = s.last_seen = t;
    ASSERT_TRUE(store_->Create(s));
    auto admin = Admin();
    const std::string hash = prefix_ + "session:k";
    EXPECT_EQ(Cmd(admin, {"PEXPIRETIME", hash})->integer, t + 600'000);  // idle first
    ASSERT_TRUE(store_->Touch("k", t + 3'300'000));
    EXPECT_EQ(Cmd(admin, {"PEXPIRETIME", hash})->integer, t + 3'600'000);  // then absolute
    // The user's set lives as long as the session can.
    EXPECT_EQ(Cmd(admin, {"PEXPIRETIME", prefix_ + "user-sessions:1"})->integer, t + 3'600'000);
}

TEST_P(RedisSessionStoreTest, ExpiresWhenIdle) {
    store_ = MakeStore(Options(/*idle_ms=*/1'500, /*absolute_ms=*/3'600'000));
    const app::SessionRecord s = Make("idle", alice_);
    ASSERT_TRUE(store_->Create(s));
    ASSERT_TRUE(store_->Create(Make("touched", alice_)));
    std::this_thread::sleep_for(1000ms);
    ASSERT_TRUE(store_->Touch("touched", NowMs()));  // 1.5 s more for this one
    EXPECT_TRUE(Exists("idle"));
    const auto waited = WaitUntilGone("idle", 5000ms);
    EXPECT_FALSE(Exists("idle")) << "still there after " << waited.count() << " ms";
    EXPECT_GE(NowMs() - s.last_seen, 1'400);
    EXPECT_TRUE(Exists("touched"));  // past its first expiry, but touched
    WaitUntilGone("touched", 5000ms);
    EXPECT_FALSE(Exists("touched"));
}

TEST_P(RedisSessionStoreTest, ExpiresAfterTheAbsoluteTimeoutThoughTouched) {
    store_ = MakeStore(Options(/*idle_ms=*/600'000, /*absolute_ms=*/1'500));
    const app::SessionRecord s = Make("k", alice_);
    ASSERT_TRUE(store_->Create(s));
    const auto start = std::chrono::steady_clock::now();
    while (Exists("k") && std::chrono::steady_clock::now() - start < 5s) {
        ASSERT_TRUE(store_->Touch("k", NowMs()));
        std::this_thread::sleep_for(100ms);
    }
    EXPECT_FALSE(Exists("k"));
    EXPECT_GE(NowMs() - s.created_at, 1'400);
}

// Every byte reaches Redis as it is: no command text is ever formatted from
// a value (a CR LF in it would start a second command otherwise).
TEST_P(RedisSessionStoreTest, HostileValuesRoundTripUnchanged) {
    auto admin = Admin();
    // What a command formatted from the key would delete (it has no prefix).
    const std::string canary = "rqwatch-test-canary";
    (void)Cmd(admin, {"SET", canary, "alive"});
    const std::string hostile = "a b\r\nDEL " + canary + "\r\n*1\r\n$4\r\nPING\r\n\"q' \\x00"s +
                                std::string(1, '\0') + "end %s %n\n";
    ASSERT_LE(hostile.size(), RedisSessionStore::kMaxTokenBytes);
    app::SessionRecord s = Make(hostile, alice_);
    s.csrf_token = hostile;
    s.ip = hostile + "\xff\xfe";
    ASSERT_TRUE(store_->Create(s));
    auto found = store_->Find(hostile);
    ASSERT_TRUE(found) << found.error().detail;
    EXPECT_EQ(found->key, hostile);
    EXPECT_EQ(found->csrf_token, hostile);
    EXPECT_EQ(found->ip, s.ip);
    EXPECT_FALSE(Exists(hostile.substr(0, hostile.find('\0'))));  // the NUL is part of the key
    ASSERT_TRUE(store_->Touch(hostile, s.last_seen + 1));
    EXPECT_EQ(store_->Find(hostile)->last_seen, s.last_seen + 1);
    EXPECT_EQ(Cmd(admin, {"GET", canary})->str, "alive"s);
    ASSERT_TRUE(store_->Delete(hostile));
    EXPECT_FALSE(Exists(hostile));
    ASSERT_TRUE(store_->Create(s));
    ASSERT_TRUE(store_->DeleteAllOf(alice_));
    EXPECT_FALSE(Exists(hostile));
    EXPECT_EQ(Cmd(admin, {"GET", canary})->str, "alive"s);
}

// Two installations on one Redis: their prefixes keep them apart.
TEST_P(RedisSessionStoreTest, KeyPrefixSeparatesInstallations) {
    auto other = MakeStore(RedisSessionOptions{.key_prefix = prefix_ + "other:",
                                               .idle_timeout_ms = 600'000,
                                               .absolute_timeout_ms = 3'600'000});
    ASSERT_TRUE(store_->Create(Make("k", alice_)));
    EXPECT_FALSE(other->Find("k"));
    ASSERT_TRUE(other->Create(Make("k", bob_)));
    ASSERT_TRUE(other->DeleteAllOf(alice_));
    EXPECT_TRUE(Exists("k"));
    ASSERT_TRUE(store_->Delete("k"));
    EXPECT_EQ(other->Find("k")->user_id, bob_);
}

// The worker threads share one store (and its connection pool).
TEST_P(RedisSessionStoreTest, ConcurrentCallers) {
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 40; ++i) {
                const std::string key = "t" + std::to_string(t) + "-" + std::to_string(i);
                if (!store_->Create(Make(key, 10 + t))) ++failures;
                auto found = store_->Find(key);
                if (!found || found->user_id != 10 + t) ++failures;
                if (!store_->Touch(key, NowMs() + 1)) ++failures;
                if (i % 2 == 0 && !store_->Delete(key)) ++failures;
            }
            if (!store_->DeleteAllOf(10 + t)) ++failures;
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_FALSE(Exists("t0-1"));
}

INSTANTIATE_TEST_SUITE_P(Redis, RedisSessionStoreTest,
                         ::testing::Values(Mode::kStandalone, Mode::kSentinel), ModeName);

// ----------------------------------------------------------------- errors --

class RedisErrorsTest : public testing::HarnessTest<> {
  protected:
    // The error of a Find through `client`.
    static Error FindError(std::shared_ptr<RedisClient> client) {
        RedisSessionStore store(std::move(client),
                                RedisSessionOptions{.key_prefix = "rqwatch-test:errors:",
                                                    .idle_timeout_ms = 60'000,
                                                    .absolute_timeout_ms = 60'000});
        auto r = store.Find("k");
        EXPECT_FALSE(r);
        return r ? Error{} : r.error();
    }
};

TEST_F(RedisErrorsTest, WrongPasswordIsAClearError) {
    ConnectOptions wrong = h_.Options();
    wrong.password = "not-the-password";
    Error e = FindError(RedisClient::Standalone(h_.standalone, wrong));
    EXPECT_EQ(e.code, ErrorCode::kUnavailable);
    EXPECT_EQ(e.public_msg, "redis unavailable");
    EXPECT_NE(e.detail.find("redis refused the password"), std::string::npos) << e.detail;
    EXPECT_EQ(e.detail.find("not-the-password"), std::string::npos) << e.detail;

    e = FindError(RedisClient::ThroughSentinels(h_.Sentinels(), wrong));
    EXPECT_EQ(e.code, ErrorCode::kUnavailable);
    EXPECT_NE(e.detail.find("redis refused the password"), std::string::npos) << e.detail;

    SentinelOptions wrong_sentinel = h_.Sentinels();
    wrong_sentinel.password = "not-the-password";
    e = FindError(RedisClient::ThroughSentinels(wrong_sentinel, h_.Options()));
    EXPECT_EQ(e.code, ErrorCode::kUnavailable);
    EXPECT_NE(e.detail.find("sentinel "), std::string::npos) << e.detail;
    EXPECT_NE(e.detail.find("redis refused the password"), std::string::npos) << e.detail;
}

TEST_F(RedisErrorsTest, MissingPasswordIsAClearError) {
    ConnectOptions none = h_.Options();
    none.password.clear();
    const Error e = FindError(RedisClient::Standalone(h_.standalone, none));
    EXPECT_EQ(e.code, ErrorCode::kUnavailable);
    EXPECT_NE(e.detail.find("needs a password"), std::string::npos) << e.detail;

    SentinelOptions no_sentinel_password = h_.Sentinels();
    no_sentinel_password.password.clear();
    const Error s = FindError(RedisClient::ThroughSentinels(no_sentinel_password, h_.Options()));
    EXPECT_NE(s.detail.find("needs a password (redis.sentinel_password)"), std::string::npos)
        << s.detail;
}

TEST_F(RedisErrorsTest, UnknownMasterNameIsAClearError) {
    SentinelOptions sentinels = h_.Sentinels();
    sentinels.master_name = "no-such-master";
    const Error e = FindError(RedisClient::ThroughSentinels(sentinels, h_.Options()));
    EXPECT_EQ(e.code, ErrorCode::kUnavailable);
    EXPECT_NE(e.detail.find("no master 'no-such-master' found"), std::string::npos) << e.detail;
    // every Sentinel was asked
    for (const auto& s : h_.sentinels) {
        EXPECT_NE(e.detail.find("sentinel " + FormatHostPort(s) +
                                " knows no master named 'no-such-master'"),
                  std::string::npos)
            << e.detail;
    }
}

TEST_F(RedisErrorsTest, NoServerIsUnavailable) {
    // Port 1 (tcpmux): nothing listens there on a test machine.
    const Error e = FindError(RedisClient::Standalone(HostPort{"127.0.0.1", 1}, h_.Options()));
    EXPECT_EQ(e.code, ErrorCode::kUnavailable);
    EXPECT_NE(e.detail.find("127.0.0.1:1: cannot connect"), std::string::npos) << e.detail;
    EXPECT_NE(e.detail.find("looking up a session"), std::string::npos) << e.detail;
}

// A dead pooled connection (server restart, idle timeout, a proxy) costs one
// retry, not an error.
TEST_F(RedisErrorsTest, StandaloneReconnectsAfterItsConnectionsAreKilled) {
    RedisSessionStore store(
        RedisClient::Standalone(h_.standalone, h_.Options()),
        RedisSessionOptions{
            .key_prefix = TestPrefix(), .idle_timeout_ms = 60'000, .absolute_timeout_ms = 60'000});
    const std::int64_t now = NowMs();
    ASSERT_TRUE(store.Create(app::SessionRecord{
        .key = "k", .user_id = 1, .csrf_token = "c", .created_at = now, .last_seen = now}));
    auto admin = Connect(h_.standalone, h_.Options());
    auto killed = Cmd(admin, {"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
    ASSERT_GE(killed->integer, 1);
    auto found = store.Find("k");
    ASSERT_TRUE(found) << found.error().detail;
    EXPECT_EQ(found->user_id, 1);
}

}  // namespace
}  // namespace rqwatch::redis
