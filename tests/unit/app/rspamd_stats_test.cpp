// The /stat answer of a controller into the numbers rqwatch shows, the
// cache that keeps the last good ones when a controller stops answering, and
// the cache shared between web nodes (one asks per interval).

#include "app/rspamd_stats.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <tuple>

namespace rqwatch::app {
namespace {

// Cut from a real rspamd 3.4 answer (tests/harness, controller /stat).
constexpr std::string_view kStat =
    R"({"version":"3.4","config_id":"cnuw","uptime":7,"read_only":false,"scanned":3,)"
    R"("learned":2,"actions":{"reject":1,"soft reject":0,"rewrite subject":0,"add header":0,)"
    R"("greylist":0,"no action":2},"scan_times":[null],"spam_count":1,"ham_count":2})";

TEST(RspamdStatsTest, ParsesTheStatAnswer) {
    auto s = ParseRspamdStat(kStat);
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->ok);
    EXPECT_EQ(s->version, "3.4");
    EXPECT_EQ(s->uptime_s, 7);
    EXPECT_EQ(s->scanned, 3);
    EXPECT_EQ(s->learned, 2);
    EXPECT_EQ(s->actions.at("reject"), 1);
    EXPECT_EQ(s->actions.at("no action"), 2);
    EXPECT_EQ(s->actions.size(), 6u);
}

TEST(RspamdStatsTest, RefusesWhatIsNotAStatAnswer) {
    for (std::string_view bad : {"", "[]", "{", R"({"error":"Unauthorized"})", R"({"version":3})"}) {
        EXPECT_EQ(ParseRspamdStat(bad).error().code, ErrorCode::kInvalidArgument) << bad;
    }
    // Odd field types count as zero rather than failing the whole answer.
    auto s = ParseRspamdStat(R"({"version":"3.4","scanned":"x","actions":{"reject":"y"}})");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->scanned, 0);
    EXPECT_TRUE(s->actions.empty());
}

class Controller final : public RspamdController {
  public:
    bool up = true;
    int asked = 0;
    Result<LearnResult> Learn(const std::string&, bool, const std::string&) override {
        return LearnResult::kLearned;
    }
    Result<void> Fuzzy(const std::string&, const FuzzyRequest&, const std::string&) override {
        return {};
    }
    Result<std::string> Stat(const std::string& url) override {
        ++asked;
        if (!up) return Fail(ErrorCode::kUnavailable, "the server cannot be reached");
        EXPECT_EQ(url, "http://mx1:11334");
        return std::string(kStat);
    }
};

TEST(RspamdStatsTest, KeepsTheLastNumbersWhenAControllerFails) {
    Controller c;
    RspamdStats stats(c, {{"mx1", "http://mx1:11334"}}, std::chrono::hours(1), [] { return 42; });
    auto snap = stats.Snapshot();
    ASSERT_EQ(snap.size(), 1u);
    EXPECT_FALSE(snap[0].ok);  // not asked yet
    stats.RefreshNow();
    snap = stats.Snapshot();
    EXPECT_TRUE(snap[0].ok);
    EXPECT_EQ(snap[0].node, "mx1");
    EXPECT_EQ(snap[0].fetched_at, 42);
    c.up = false;
    stats.RefreshNow();
    snap = stats.Snapshot();
    EXPECT_FALSE(snap[0].ok);
    EXPECT_EQ(snap[0].error, "the server cannot be reached");
    EXPECT_EQ(snap[0].learned, 2);
    EXPECT_EQ(snap[0].fetched_at, 42);
}

// The shared cache as Redis keeps it, without expiry (the tests say when a
// value has expired by erasing it).
class Shared final : public SharedCache {
  public:
    std::map<std::string, std::string> values;
    bool down = false;
    Result<std::optional<std::string>> Get(const std::string& key) override {
        if (down) return Fail(ErrorCode::kUnavailable, "redis unavailable");
        auto it = values.find(key);
        return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    Result<void> Put(const std::string& key, const std::string& value,
                     std::chrono::milliseconds ttl) override {
        EXPECT_EQ(ttl, std::chrono::hours(1));
        values[key] = value;
        return {};
    }
    Result<bool> Claim(const std::string& key, std::chrono::milliseconds) override {
        if (down) return Fail(ErrorCode::kUnavailable, "redis unavailable");
        return values.emplace(key, "1").second;
    }
};

TEST(RspamdStatsTest, WebNodesSharingACacheAskEachControllerOncePerInterval) {
    Controller c;
    Shared shared;
    const std::map<std::string, std::string> controllers{{"mx1", "http://mx1:11334"}};
    RspamdStats one(c, controllers, std::chrono::hours(1), [] { return 42; }, &shared);
    RspamdStats two(c, controllers, std::chrono::hours(1), [] { return 43; }, &shared);
    EXPECT_FALSE(one.RefreshNow());
    EXPECT_FALSE(two.RefreshNow());
    EXPECT_FALSE(one.RefreshNow());
    EXPECT_EQ(c.asked, 1);
    auto snap = two.Snapshot();
    ASSERT_EQ(snap.size(), 1u);
    EXPECT_TRUE(snap[0].ok);
    EXPECT_EQ(snap[0].fetched_at, 42);  // when one fetched it
    EXPECT_EQ(snap[0].node, "mx1");
    EXPECT_EQ(snap[0].learned, 2);
    EXPECT_EQ(snap[0].actions.at("reject"), 1);
    // The value expired but the claim did not: nobody asks yet, the
    // numbers stay.
    shared.values.erase("rspamd-stat:mx1");
    EXPECT_TRUE(two.RefreshNow()) << "another node is asking: read again soon";
    EXPECT_EQ(c.asked, 1);
    EXPECT_TRUE(two.Snapshot()[0].ok);
    // Both expired: the next node to look asks, and shares a failure too.
    shared.values.clear();
    c.up = false;
    two.RefreshNow();
    one.RefreshNow();
    EXPECT_EQ(c.asked, 2);
    EXPECT_FALSE(one.Snapshot()[0].ok);
    EXPECT_EQ(one.Snapshot()[0].error, "the server cannot be reached");
    EXPECT_EQ(one.Snapshot()[0].learned, 2);  // two's last good numbers
    // A cache that fails: each node asks for itself.
    shared.down = true;
    c.up = true;
    one.RefreshNow();
    two.RefreshNow();
    EXPECT_EQ(c.asked, 4);
    EXPECT_TRUE(one.Snapshot()[0].ok);
}

TEST(RspamdStatsTest, SharedValuesRoundTripAndHostileOnesAreRefused) {
    RspamdNodeStats s{.node = "mx1", .ok = false, .error = "down", .fetched_at = 9,
                      .version = "3.4", .uptime_s = 5, .scanned = 6, .learned = 7,
                      .actions = {{"reject", 3}}};
    auto back = ParseSharedStats(SharedStatsJson(s));
    ASSERT_TRUE(back);
    EXPECT_EQ((std::tuple{back->ok, back->error, back->fetched_at, back->version, back->uptime_s,
                          back->scanned, back->learned, back->actions}),
              (std::tuple{s.ok, s.error, s.fetched_at, s.version, s.uptime_s, s.scanned,
                          s.learned, s.actions}));
    for (std::string_view bad : {"", "null", "[]", R"({"version":"3.4"})",
                                 R"({"version":"3.4","ok":"yes","error":""})",
                                 R"({"version":"3.4","ok":true,"error":1})"}) {
        EXPECT_FALSE(ParseSharedStats(bad)) << bad;
    }
}

}  // namespace
}  // namespace rqwatch::app
