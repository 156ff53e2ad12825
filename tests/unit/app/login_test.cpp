#include "app/login.hpp"

#include <gtest/gtest.h>

#include "account_fakes.hpp"

namespace rqwatch::app {
namespace {

class LoginTest : public ::testing::Test {
  protected:
    void SetUp() override {
        User alice;
        alice.username = "alice";
        alice.email = "Alice@Example.com";
        alice.password_hash = "$argon2id$right";
        alice_id_ = *users_.Add(alice);
        ASSERT_TRUE(users_.AddAlias(alice_id_, "info@example.com"));
        ASSERT_TRUE(users_.AddAlias(alice_id_, "alice@example.com"));  // duplicate of the email
    }
    Result<LoggedIn> Try(const std::string& name, const std::string& pw,
                         const std::string& ip = "192.0.2.1") {
        return login_.Run(LoginAttempt{name, pw, ip});
    }

    testing::FakeUsers users_;
    testing::FakeAudit audit_;
    testing::FakeHasher hasher_;
    testing::FakeDirectory directory_;
    LoginThrottle throttle_{{.max_failures_per_ip = 20, .max_failures_per_user = 5}};
    std::int64_t now_ = 1'700'000'000'000;
    Login login_{users_, hasher_, audit_, throttle_, nullptr, [this] { return now_; }};
    std::int64_t alice_id_ = 0;
};

TEST_F(LoginTest, LocalUserWithTheRightPassword) {
    auto r = Try("alice", "right");
    ASSERT_TRUE(r) << r.error().public_msg;
    EXPECT_EQ(r->user.id, alice_id_);
    EXPECT_EQ(r->addresses, (std::vector<std::string>{"alice@example.com", "info@example.com"}));
    EXPECT_EQ(users_.users[alice_id_].last_login, now_);
    EXPECT_EQ(audit_.Actions(), (std::vector<std::string>{"login"}));
    EXPECT_EQ(audit_.entries[0].ip, "192.0.2.1");
}

TEST_F(LoginTest, WrongPasswordAndUnknownUserLookTheSame) {
    auto wrong = Try("alice", "wrong");
    auto unknown = Try("mallory", "wrong");
    ASSERT_FALSE(wrong);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(unknown.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(wrong.error().public_msg, unknown.error().public_msg);
    // The unknown name paid for a hash verification too.
    EXPECT_EQ(hasher_.verifications, 2);
    EXPECT_EQ(audit_.Actions(), (std::vector<std::string>{"login_failed", "login_failed"}));
}

TEST_F(LoginTest, ThrottledAfterRepeatedFailuresEvenWithTheRightPassword) {
    for (int i = 0; i < 5; ++i) ASSERT_FALSE(Try("alice", "guess" + std::to_string(i)));
    auto r = Try("alice", "right", "198.51.100.9");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kTooManyRequests);
    EXPECT_GT(r.error().retry_after_s, 0);
    EXPECT_EQ(audit_.Actions().back(), "login_throttled");
    now_ += 16 * 60 * 1000;  // the window has moved on
    EXPECT_TRUE(Try("alice", "right"));
}

TEST_F(LoginTest, MalformedInput) {
    EXPECT_EQ(Try("", "x").error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(Try("a b", "x").error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(Try("alice' OR 1=1 --", "x").error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(Try(std::string(129, 'a'), "x").error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(Try("alice", "").error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(Try("alice", std::string(5000, 'p')).error().code, ErrorCode::kUnauthenticated);
    EXPECT_TRUE(ValidUsername("first.last+tag@example-mail.org"));
}

TEST_F(LoginTest, LegacyHashIsReplacedByArgon2id) {
    users_.users[alice_id_].password_hash = "$2y$old-secret";
    ASSERT_TRUE(Try("alice", "old-secret"));
    EXPECT_EQ(users_.users[alice_id_].password_hash, "$argon2id$old-secret");
    EXPECT_TRUE(Try("alice", "old-secret"));
}

class DirectoryLoginTest : public LoginTest {
  protected:
    void SetUp() override {
        LoginTest::SetUp();
        DirectoryUser bob{"bob", "Bob B", "bob@example.org", {"b@example.org"}, true};
        directory_.people["bob"] = {"bobpw", bob};
        directory_.people["alice"] = {"ldap-alice", DirectoryUser{"alice", "", "a@x", {}, false}};
    }
    Login ldap_login_{users_, hasher_, audit_, throttle_, &directory_, [this] { return now_; }};
};

TEST_F(DirectoryLoginTest, FirstLoginCreatesTheUserAndLaterLoginsRefreshIt) {
    auto r = ldap_login_.Run({"bob", "bobpw", "ip"});
    ASSERT_TRUE(r) << r.error().public_msg;
    EXPECT_EQ(r->user.provider, AuthProvider::kLdap);
    EXPECT_TRUE(r->user.is_admin);
    EXPECT_TRUE(r->user.password_hash.empty());
    EXPECT_EQ(r->addresses, (std::vector<std::string>{"bob@example.org", "b@example.org"}));
    directory_.people["bob"].second.admin = false;
    directory_.people["bob"].second.aliases = {"new@example.org"};
    auto again = ldap_login_.Run({"bob", "bobpw", "ip"});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->user.id, r->user.id);
    EXPECT_FALSE(again->user.is_admin);
    EXPECT_EQ(again->addresses, (std::vector<std::string>{"bob@example.org", "new@example.org"}));
    EXPECT_EQ(users_.users.size(), 2u);
}

TEST_F(DirectoryLoginTest, LocalAccountsAreNotTakenOverByTheDirectory) {
    // alice is local: her directory password does not work, her own does.
    EXPECT_FALSE(ldap_login_.Run({"alice", "ldap-alice", "ip"}));
    EXPECT_TRUE(ldap_login_.Run({"alice", "right", "ip"}));
    EXPECT_EQ(directory_.calls, 0);
}

TEST_F(DirectoryLoginTest, DirectoryDownIsUnavailableNotAFailedLogin) {
    directory_.down = true;
    auto r = ldap_login_.Run({"bob", "bobpw", "ip"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    EXPECT_TRUE(audit_.entries.empty());
    EXPECT_EQ(throttle_.RetryAfterMs("ip", "bob", now_), 0);
}

TEST_F(DirectoryLoginTest, WrongDirectoryPasswordFails) {
    auto r = ldap_login_.Run({"bob", "nope", "ip"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(users_.users.size(), 1u);  // nobody created
}

}  // namespace
}  // namespace rqwatch::app
