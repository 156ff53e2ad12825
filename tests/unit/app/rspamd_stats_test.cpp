// The /stat answer of a controller into the numbers rqwatch shows, and the
// cache that keeps the last good ones when a controller stops answering.

#include "app/rspamd_stats.hpp"

#include <gtest/gtest.h>

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
    Result<LearnResult> Learn(const std::string&, bool, const std::string&) override {
        return LearnResult::kLearned;
    }
    Result<void> Fuzzy(const std::string&, const FuzzyRequest&, const std::string&) override {
        return {};
    }
    Result<std::string> Stat(const std::string& url) override {
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

}  // namespace
}  // namespace rqwatch::app
