#include "app/second_factor.hpp"

#include <gtest/gtest.h>

#include "account_fakes.hpp"
#include "app/login.hpp"
#include "core/totp.hpp"

namespace rqwatch::app {
namespace {

class SecondFactorTest : public ::testing::Test {
  protected:
    void SetUp() override {
        User alice;
        alice.username = "alice";
        alice.email = "alice@example.org";
        alice.password_hash = "$argon2id$right";
        alice_ = Actor{*users_.Add(alice), "alice", "192.0.2.1", {}, {}};
        User admin;
        admin.username = "admin";
        admin.is_admin = true;
        admin_ = Actor{*users_.Add(admin), "admin", "192.0.2.9", {}, {}};
    }

    // The code the user's app shows now (or `steps` steps later).
    std::string AppCode(int steps = 0) {
        auto key = totp::Base32Decode(repo_.rows.at(alice_.id).secret);
        return totp::Hotp(*key, static_cast<std::uint64_t>(totp::StepOf(now_ / 1000) + steps));
    }
    void TurnOn() {
        auto e = second_factor_.Enroll(alice_);
        ASSERT_TRUE(e) << e.error().public_msg;
        ASSERT_TRUE(second_factor_.Confirm(alice_, AppCode()));
        now_ += 30'000;  // the confirming code is used up
    }
    Result<LoggedIn> LogIn(std::optional<std::string> code, const std::string& pw = "right") {
        return login_.Run(LoginAttempt{"alice", pw, "192.0.2.1", std::move(code)});
    }

    testing::FakeUsers users_;
    testing::FakeTotp repo_;
    testing::FakeHasher hasher_;
    testing::FakeTokens random_;
    testing::FakeAudit audit_;
    LoginThrottle throttle_{{.max_failures_per_ip = 20, .max_failures_per_user = 3}};
    std::int64_t now_ = 1'700'000'010'000;
    AuditTrail trail_{audit_, [this] { return now_; }};
    SecondFactor second_factor_{
        repo_, users_, hasher_, random_, throttle_, trail_, [this] { return now_; }};
    Login login_{users_,         hasher_, audit_, throttle_, nullptr, [this] { return now_; },
                 &second_factor_};
    Actor alice_;
    Actor admin_;
};

TEST_F(SecondFactorTest, EnrolmentIsPendingUntilConfirmed) {
    auto e = second_factor_.Enroll(alice_);
    ASSERT_TRUE(e) << e.error().public_msg;
    // 20 random bytes (FakeTokens: 1, 2, …, 20) in base32.
    std::string bytes;
    for (char c = 1; c <= 20; ++c) bytes.push_back(c);
    EXPECT_EQ(e->secret, totp::Base32Encode(bytes));
    EXPECT_EQ(e->uri, "otpauth://totp/rqwatch:alice?secret=" + e->secret +
                          "&issuer=rqwatch&algorithm=SHA1&digits=6&period=30");
    EXPECT_FALSE(repo_.rows.at(alice_.id).confirmed_at);
    EXPECT_TRUE(LogIn(std::nullopt));  // pending: not asked for yet

    auto wrong = second_factor_.Confirm(alice_, "000000" == AppCode() ? "111111" : "000000");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().reason, kTotpInvalid);
    ASSERT_TRUE(second_factor_.Confirm(alice_, AppCode()));
    EXPECT_TRUE(repo_.rows.at(alice_.id).confirmed_at);
    auto again = second_factor_.Confirm(alice_, AppCode());
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(audit_.Actions(), (std::vector<std::string>{"totp.enroll", "login", "totp.confirm"}));
}

TEST_F(SecondFactorTest, ANewEnrolmentReplacesAPendingOneButNotAnActiveOne) {
    ASSERT_TRUE(second_factor_.Enroll(alice_));
    const std::string first = repo_.rows.at(alice_.id).secret;
    ASSERT_TRUE(second_factor_.Enroll(alice_));
    EXPECT_NE(repo_.rows.at(alice_.id).secret, first);
    ASSERT_NO_FATAL_FAILURE(TurnOn());
    auto e = second_factor_.Enroll(alice_);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, ErrorCode::kConflict);
}

TEST_F(SecondFactorTest, LoginNeedsACodeOnceOn) {
    ASSERT_NO_FATAL_FAILURE(TurnOn());
    auto none = LogIn(std::nullopt);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(none.error().reason, kTotpRequired);
    // The password is still checked first: a wrong one says nothing of TOTP.
    auto wrong_pw = LogIn(AppCode(), "wrong");
    ASSERT_FALSE(wrong_pw);
    EXPECT_EQ(wrong_pw.error().reason, "");
    auto ok = LogIn(AppCode());
    ASSERT_TRUE(ok) << ok.error().public_msg;
    EXPECT_EQ(ok->user.id, alice_.id);
}

TEST_F(SecondFactorTest, ACodeIsAcceptedOnce) {
    ASSERT_NO_FATAL_FAILURE(TurnOn());
    const std::string code = AppCode();
    ASSERT_TRUE(LogIn(code));
    auto replay = LogIn(code);
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().reason, kTotpInvalid);
    // The next step's code (the app a little ahead) still works, once.
    ASSERT_TRUE(LogIn(AppCode(1)));
    EXPECT_FALSE(LogIn(AppCode()));  // older than the one used
    now_ += 60'000;
    EXPECT_TRUE(LogIn(AppCode()));
}

TEST_F(SecondFactorTest, AWrongCodeIsAThrottledAuditedFailure) {
    ASSERT_NO_FATAL_FAILURE(TurnOn());
    for (const char* bad : {"12345", "abcdef", "999999x"}) {
        auto r = LogIn(bad);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().reason, kTotpInvalid) << bad;
    }
    EXPECT_EQ(audit_.entries.back().action, "login_failed");
    EXPECT_EQ(audit_.entries.back().detail, "wrong TOTP code");
    EXPECT_EQ(audit_.entries.back().actor, "alice");
    auto throttled = LogIn(AppCode());
    ASSERT_FALSE(throttled);
    EXPECT_EQ(throttled.error().code, ErrorCode::kTooManyRequests);
}

TEST_F(SecondFactorTest, TurningOffNeedsACodeOrThePassword) {
    ASSERT_NO_FATAL_FAILURE(TurnOn());
    auto neither = second_factor_.Disable(alice_, std::nullopt, std::nullopt);
    EXPECT_EQ(neither.error().code, ErrorCode::kInvalidArgument);
    auto wrong = second_factor_.Disable(alice_, std::nullopt, std::string("wrong"));
    EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(audit_.Actions().back(), "totp.disable_failed");
    ASSERT_TRUE(second_factor_.Disable(alice_, std::nullopt, std::string("right")));
    EXPECT_FALSE(repo_.rows.contains(alice_.id));
    EXPECT_EQ(audit_.Actions().back(), "totp.disable");
    EXPECT_TRUE(LogIn(std::nullopt));
    auto off = second_factor_.Disable(alice_, std::string("123456"), std::nullopt);
    EXPECT_EQ(off.error().code, ErrorCode::kNotFound);

    ASSERT_NO_FATAL_FAILURE(TurnOn());
    ASSERT_TRUE(second_factor_.Disable(alice_, AppCode(), std::nullopt));
    EXPECT_FALSE(repo_.rows.contains(alice_.id));
}

TEST_F(SecondFactorTest, WrongCodesToTurnOffAreThrottled) {
    ASSERT_NO_FATAL_FAILURE(TurnOn());
    for (int i = 0; i < 3; ++i) {
        const std::string bad = AppCode() == "000000" ? "111111" : "000000";
        EXPECT_EQ(second_factor_.Disable(alice_, bad, std::nullopt).error().code,
                  ErrorCode::kUnauthenticated);
    }
    auto r = second_factor_.Disable(alice_, AppCode(), std::nullopt);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kTooManyRequests);
    EXPECT_TRUE(repo_.rows.contains(alice_.id));
}

TEST_F(SecondFactorTest, NotWithATokenNorDuringLoginAs) {
    Actor script = alice_;
    script.via_token = "backup";
    Actor impersonated = alice_;
    impersonated.on_behalf_of = "admin";
    for (const Actor& a : {script, impersonated}) {
        EXPECT_EQ(second_factor_.Enroll(a).error().code, ErrorCode::kPermissionDenied);
        EXPECT_EQ(second_factor_.Confirm(a, "123456").error().code, ErrorCode::kPermissionDenied);
        EXPECT_EQ(second_factor_.Disable(a, std::nullopt, std::string("right")).error().code,
                  ErrorCode::kPermissionDenied);
    }
    EXPECT_TRUE(repo_.rows.empty());
}

// A session cookie stolen a while ago cannot lock its owner out.
TEST_F(SecondFactorTest, TurningOnNeedsARecentLogin) {
    Actor old_session = alice_;
    old_session.logged_in_at = now_ - kRecentLoginMs - 1;
    ASSERT_TRUE(second_factor_.Enroll(old_session));
    auto refused = second_factor_.Confirm(old_session, AppCode());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
    EXPECT_NE(refused.error().public_msg.find("log in again"), std::string::npos);
    EXPECT_FALSE(repo_.rows.at(alice_.id).confirmed_at);
    Actor fresh = alice_;
    fresh.logged_in_at = now_ - kRecentLoginMs + 1000;
    EXPECT_TRUE(second_factor_.Confirm(fresh, AppCode()));
}

TEST_F(SecondFactorTest, AdministratorResetsALostPhone) {
    ASSERT_NO_FATAL_FAILURE(TurnOn());
    ASSERT_TRUE(second_factor_.Reset(admin_, alice_.id));
    EXPECT_TRUE(LogIn(std::nullopt));
    EXPECT_EQ(audit_.entries.back().action, "login");
    const AuditEntry& reset = audit_.entries[audit_.entries.size() - 2];
    EXPECT_EQ(reset.action, "totp.reset");
    EXPECT_EQ(reset.actor, "admin");
    EXPECT_EQ(reset.target, UserTarget(alice_.id));
    EXPECT_EQ(second_factor_.Reset(admin_, alice_.id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(second_factor_.Reset(admin_, 999).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace rqwatch::app
