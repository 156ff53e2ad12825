#include "app/session_service.hpp"

#include <gtest/gtest.h>

#include "account_fakes.hpp"

namespace rqwatch::app {
namespace {

constexpr std::int64_t kMin = 60'000;

class SessionServiceTest : public ::testing::Test {
  protected:
    testing::FakeSessions store_;
    testing::FakeTokens tokens_;
    std::int64_t now_ = 1'000'000'000;
    SessionService sessions_{store_, tokens_,
                             SessionOptions{.idle_timeout_ms = 30 * kMin,
                                            .absolute_timeout_ms = 120 * kMin,
                                            .touch_interval_ms = kMin},
                             [this] { return now_; }};
};

TEST_F(SessionServiceTest, StoresOnlyTheDigestOfTheId) {
    auto s = sessions_.Start(7, "192.0.2.1");
    ASSERT_TRUE(s);
    EXPECT_FALSE(store_.rows.contains(s->id));
    ASSERT_TRUE(store_.rows.contains(tokens_.Digest(s->id)));
    EXPECT_NE(s->record.csrf_token, s->id);
    auto back = sessions_.Resolve(s->id);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->user_id, 7);
    EXPECT_EQ(back->ip, "192.0.2.1");
}

TEST_F(SessionServiceTest, EveryLoginGetsANewId) {
    auto a = sessions_.Start(7, "ip");
    auto b = sessions_.Start(7, "ip");
    ASSERT_TRUE(a && b);
    EXPECT_NE(a->id, b->id);
    EXPECT_NE(a->record.csrf_token, b->record.csrf_token);
}

TEST_F(SessionServiceTest, IdleAndAbsoluteTimeouts) {
    auto s = sessions_.Start(7, "ip");
    ASSERT_TRUE(s);
    // Active every 20 minutes: the idle timeout never hits, the absolute one does.
    for (int i = 1; i < 6; ++i) {
        now_ += 20 * kMin;
        EXPECT_TRUE(sessions_.Resolve(s->id)) << i;
    }
    now_ += 20 * kMin;  // 120 minutes after the login
    auto expired = sessions_.Resolve(s->id);
    ASSERT_FALSE(expired);
    EXPECT_EQ(expired.error().code, ErrorCode::kUnauthenticated);
    EXPECT_TRUE(store_.rows.empty());

    auto idle = sessions_.Start(8, "ip");
    ASSERT_TRUE(idle);
    now_ += 30 * kMin;
    EXPECT_FALSE(sessions_.Resolve(idle->id));
}

TEST_F(SessionServiceTest, LastSeenIsWrittenAtMostOncePerInterval) {
    auto s = sessions_.Start(7, "ip");
    ASSERT_TRUE(s);
    for (int i = 0; i < 10; ++i) {
        now_ += 1000;
        ASSERT_TRUE(sessions_.Resolve(s->id));
    }
    EXPECT_EQ(store_.touches, 0);
    now_ += kMin;
    ASSERT_TRUE(sessions_.Resolve(s->id));
    EXPECT_EQ(store_.touches, 1);
}

TEST_F(SessionServiceTest, UnknownMalformedAndEndedSessions) {
    EXPECT_FALSE(sessions_.Resolve(""));
    EXPECT_FALSE(sessions_.Resolve("nonsense"));
    EXPECT_FALSE(sessions_.Resolve(std::string(5000, 'a')));
    auto s = sessions_.Start(7, "ip");
    auto other = sessions_.Start(7, "ip");
    auto third = sessions_.Start(9, "ip");
    ASSERT_TRUE(s && other && third);
    ASSERT_TRUE(sessions_.End(s->id));
    EXPECT_FALSE(sessions_.Resolve(s->id));
    EXPECT_TRUE(sessions_.Resolve(other->id));
    ASSERT_TRUE(sessions_.EndAll(7));  // log out everywhere
    EXPECT_FALSE(sessions_.Resolve(other->id));
    EXPECT_TRUE(sessions_.Resolve(third->id));
}

TEST_F(SessionServiceTest, CsrfTokenMustMatch) {
    auto s = sessions_.Start(7, "ip");
    ASSERT_TRUE(s);
    EXPECT_TRUE(sessions_.CsrfMatches(s->record, s->record.csrf_token));
    EXPECT_FALSE(sessions_.CsrfMatches(s->record, ""));
    EXPECT_FALSE(sessions_.CsrfMatches(s->record, s->id));
    EXPECT_FALSE(sessions_.CsrfMatches(s->record, s->record.csrf_token + "x"));
}

TEST_F(SessionServiceTest, DeleteExpiredUsesBothTimeouts) {
    ASSERT_TRUE(sessions_.Start(1, "ip"));
    now_ += 31 * kMin;
    ASSERT_TRUE(sessions_.Start(2, "ip"));
    auto n = sessions_.DeleteExpired();
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 1);
    EXPECT_EQ(store_.rows.size(), 1u);
}

}  // namespace
}  // namespace rqwatch::app
