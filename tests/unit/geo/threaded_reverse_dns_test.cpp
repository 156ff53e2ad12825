#include "geo/threaded_reverse_dns.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <thread>

namespace rqwatch::geo {
namespace {

using namespace std::chrono_literals;

TEST(SystemPtrLookupTest, LoopbackHasANameFromTheHostsFile) {
    // /etc/hosts names 127.0.0.1 on every Debian system ("localhost").
    const auto name = SystemPtrLookup("127.0.0.1");
    ASSERT_TRUE(name.has_value());
    EXPECT_FALSE(name->empty());
    EXPECT_EQ(SystemPtrLookup("not an address").value_or("?"), "");
}

TEST(ThreadedReverseDnsTest, AnswersFromTheResolverThenFromTheCache) {
    std::atomic<int> calls = 0;
    ThreadedReverseDns dns({}, [&](const std::string& ip) -> std::optional<std::string> {
        ++calls;
        if (ip == "192.0.2.1") return "mx.example";
        return std::string();
    });
    auto first = dns.Lookup({"192.0.2.1", "192.0.2.2"}, 5s);
    EXPECT_EQ(first["192.0.2.1"], "mx.example");
    EXPECT_EQ(first["192.0.2.2"], "");
    auto again = dns.Lookup({"192.0.2.1"}, 5s);
    EXPECT_EQ(again["192.0.2.1"], "mx.example");
    EXPECT_EQ(calls.load(), 2);
}

TEST(ThreadedReverseDnsTest, ASlowResolverCostsTheCallerOnlyTheWait) {
    std::latch release(1);
    ThreadedReverseDns dns({.threads = 2}, [&](const std::string&) -> std::optional<std::string> {
        release.wait();
        return "slow.example";
    });
    const auto start = std::chrono::steady_clock::now();
    auto none = dns.Lookup({"192.0.2.9"}, 100ms);
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(none.empty());  // still resolving: left out
    EXPECT_LT(waited, 2s);
    release.count_down();
    // The lookup went on in the background; a later view gets the name.
    auto later = dns.Lookup({"192.0.2.9"}, 5s);
    EXPECT_EQ(later["192.0.2.9"], "slow.example");
}

TEST(ThreadedReverseDnsTest, FailuresAreCachedAsNoName) {
    std::atomic<int> calls = 0;
    ThreadedReverseDns dns({}, [&](const std::string&) -> std::optional<std::string> {
        ++calls;
        return std::nullopt;
    });
    EXPECT_EQ(dns.Lookup({"192.0.2.3"}, 5s)["192.0.2.3"], "");
    EXPECT_EQ(dns.Lookup({"192.0.2.3"}, 5s)["192.0.2.3"], "");
    EXPECT_EQ(calls.load(), 1);
}

TEST(ThreadedReverseDnsTest, StopsWithLookupsQueued) {
    std::latch release(1);
    {
        ThreadedReverseDns dns({.threads = 1},
                               [&](const std::string&) -> std::optional<std::string> {
                                   release.wait();
                                   return "x";
                               });
        (void)dns.Lookup({"192.0.2.1", "192.0.2.2", "192.0.2.3"}, 10ms);
        release.count_down();
    }  // the destructor joins without resolving the rest
    SUCCEED();
}

}  // namespace
}  // namespace rqwatch::geo
