#include "app/oidc_login.hpp"

#include <gtest/gtest.h>

#include <map>

#include "account_fakes.hpp"

namespace rqwatch::app {
namespace {

using nlohmann::json;

// Hands out the claims it is told to, for the request it saw last.
class FakeProvider final : public OidcProvider {
  public:
    Result<std::string> AuthorizationUrl(const OidcAuthRequest& r) override {
        if (down) return Fail(ErrorCode::kUnavailable, "provider down");
        last = r;
        return "https://idp.example/auth?state=" + r.state;
    }
    Result<json> Redeem(std::string_view code, const OidcAuthRequest& r) override {
        ++redeems;
        if (code != "good-code" || r.code_verifier != last.code_verifier || r.nonce != last.nonce) {
            return Fail(ErrorCode::kUnauthenticated, "refused");
        }
        return claims;
    }
    OidcAuthRequest last;
    json claims;
    bool down = false;
    int redeems = 0;
};

// Visible "sealing" whose tampering is still detected.
class FakeSealer final : public StateSealer {
  public:
    std::string Seal(std::string_view p) override { return "sealed:" + std::string(p); }
    Result<std::string> Open(std::string_view s) override {
        if (!s.starts_with("sealed:")) return Fail(ErrorCode::kUnauthenticated, "bad seal");
        return std::string(s.substr(7));
    }
};

class FakeSubjects final : public OidcSubjectRepo {
  public:
    Result<std::optional<std::string>> SubjectOf(std::int64_t user_id) override {
        for (const auto& [sub, id] : bound) {
            if (id == user_id) return sub;
        }
        return std::nullopt;
    }
    Result<std::optional<std::int64_t>> UserOf(const std::string& subject) override {
        auto it = bound.find(subject);
        if (it == bound.end()) return std::nullopt;
        return it->second;
    }
    Result<void> Bind(std::int64_t user_id, const std::string& subject, std::int64_t) override {
        if (bound.contains(subject) || *SubjectOf(user_id)) return Fail(ErrorCode::kConflict, "taken");
        bound[subject] = user_id;
        return {};
    }
    std::map<std::string, std::int64_t> bound;
};

class OidcLoginTest : public ::testing::Test {
  protected:
    OidcLoginTest() {
        provider_.claims = {{"sub", "s-1"},
                            {"preferred_username", "alice"},
                            {"email", "Alice@Example.org"},
                            {"email_verified", true},
                            {"name", "Alice Liddell"},
                            {"groups", json::array({"staff"})}};
    }
    // A whole round trip: start, then the callback with what the provider sent back.
    Result<OidcLoggedIn> LogIn(const std::string& return_to = "/") {
        auto started = oidc_.Start(return_to);
        EXPECT_TRUE(started);
        if (!started) return std::unexpected(started.error());
        return oidc_.Finish(OidcCallback{.code = "good-code",
                                         .state = provider_.last.state,
                                         .error = {},
                                         .pending = started->pending,
                                         .ip = "192.0.2.9"});
    }

    testing::FakeUsers users_;
    FakeSubjects subjects_;
    testing::FakeAudit audit_;
    testing::FakeTokens tokens_;
    FakeProvider provider_;
    FakeSealer sealer_;
    LoginThrottle throttle_{{.max_failures_per_ip = 8, .max_failures_per_user = 10}};
    std::int64_t now_ = 1'700'000'000'000;
    OidcLogin oidc_{provider_,
                    sealer_,
                    tokens_,
                    users_,
                    subjects_,
                    audit_,
                    throttle_,
                    OidcLoginOptions{.admin_claim = "groups", .admin_values = {"rqwatch-admins"}},
                    [this] { return now_; }};
};

TEST_F(OidcLoginTest, FirstLoginCreatesTheUser) {
    auto r = LogIn("/mails?id=3");
    ASSERT_TRUE(r) << r.error().public_msg << " " << r.error().detail;
    EXPECT_EQ(r->return_to, "/mails?id=3");
    const User& u = users_.users.at(r->login.user.id);
    EXPECT_EQ(u.username, "alice");
    EXPECT_EQ(u.email, "alice@example.org");
    EXPECT_EQ(u.first_name, "Alice Liddell");
    EXPECT_EQ(u.provider, AuthProvider::kOidc);
    EXPECT_FALSE(u.is_admin);
    EXPECT_TRUE(u.password_hash.empty());
    EXPECT_EQ(u.last_login, now_);
    EXPECT_EQ(r->login.addresses, std::vector<std::string>{"alice@example.org"});
    ASSERT_EQ(audit_.Actions(), std::vector<std::string>{"login"});
    EXPECT_EQ(audit_.entries[0].actor, "alice");
    EXPECT_EQ(audit_.entries[0].ip, "192.0.2.9");
    EXPECT_EQ(audit_.entries[0].detail, "oidc");
}

// The account is the provider's subject, not only its name: a name reused
// or changed at the provider never hands an account to another person.
TEST_F(OidcLoginTest, TheAccountIsBoundToTheSubject) {
    auto first = LogIn();
    ASSERT_TRUE(first);
    EXPECT_EQ(subjects_.bound.at("s-1"), first->login.user.id);
    provider_.claims["sub"] = "s-2";  // another person now called alice
    auto other = LogIn();
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(other.error().public_msg,
              "this rqwatch user name belongs to another single sign-on account");
    provider_.claims["sub"] = "s-1";
    provider_.claims["preferred_username"] = "alice2";  // alice renamed herself
    auto renamed = LogIn();
    ASSERT_FALSE(renamed);
    EXPECT_EQ(renamed.error().code, ErrorCode::kPermissionDenied);
    EXPECT_FALSE(users_.FindByUsername("alice2"));  // no second account
    provider_.claims.erase("sub");
    provider_.claims["preferred_username"] = "alice";
    EXPECT_EQ(LogIn().error().code, ErrorCode::kPermissionDenied);
    provider_.claims["sub"] = "s-1";
    EXPECT_TRUE(LogIn());
}

// Accounts from before subjects were kept are bound at their next login.
TEST_F(OidcLoginTest, AnUnboundAccountIsBoundAtItsNextLogin) {
    User old;
    old.username = "alice";
    old.provider = AuthProvider::kOidc;
    const std::int64_t id = *users_.Add(old);
    auto r = LogIn();
    ASSERT_TRUE(r) << r.error().public_msg;
    EXPECT_EQ(r->login.user.id, id);
    EXPECT_EQ(subjects_.bound.at("s-1"), id);
}

TEST_F(OidcLoginTest, EveryLoginRefreshesAddressNamesAndAdminFlag) {
    auto first = LogIn();
    ASSERT_TRUE(first);
    provider_.claims["groups"] = json::array({"staff", "rqwatch-admins"});
    provider_.claims["email"] = "a.liddell@example.org";
    provider_.claims["given_name"] = "Alice";
    provider_.claims["family_name"] = "Liddell";
    auto second = LogIn();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->login.user.id, first->login.user.id);
    const User& u = users_.users.at(first->login.user.id);
    EXPECT_TRUE(u.is_admin);
    EXPECT_EQ(u.email, "a.liddell@example.org");
    EXPECT_EQ(u.first_name, "Alice");
    EXPECT_EQ(u.last_name, "Liddell");
    // And taken away again when the group goes (a single string claim too).
    provider_.claims["groups"] = "staff";
    ASSERT_TRUE(LogIn());
    EXPECT_FALSE(users_.users.at(first->login.user.id).is_admin);
}

TEST_F(OidcLoginTest, AdminUsersListMakesAnAdmin) {
    OidcLogin listed{provider_,
                     sealer_,
                     tokens_,
                     users_,
                     subjects_,
                     audit_,
                     throttle_,
                     OidcLoginOptions{.admin_users = {"ALICE"}},
                     [this] { return now_; }};
    auto started = listed.Start("/");
    ASSERT_TRUE(started);
    auto r = listed.Finish({"good-code", provider_.last.state, "", started->pending, "192.0.2.9"});
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->login.user.is_admin);
}

TEST_F(OidcLoginTest, ALocalAccountOfTheSameNameIsNotTakenOver) {
    User local;
    local.username = "alice";
    local.email = "boss@example.org";
    local.is_admin = true;
    local.password_hash = "$argon2id$pw";
    const auto id = *users_.Add(local);
    auto r = LogIn();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied);
    EXPECT_EQ(users_.users.at(id).email, "boss@example.org");
    EXPECT_EQ(users_.users.at(id).provider, AuthProvider::kLocal);
    EXPECT_EQ(users_.updates, 0);
    ASSERT_EQ(audit_.Actions(), std::vector<std::string>{"login_failed"});
    EXPECT_EQ(audit_.entries[0].actor, "alice");
}

TEST_F(OidcLoginTest, RefusesNamesAndAddressesRqwatchCannotUse) {
    for (const json& name :
         {json("alice smith"), json(""), json(std::string(129, 'a')), json(7), json(nullptr)}) {
        provider_.claims["preferred_username"] = name;
        auto r = LogIn();
        ASSERT_FALSE(r) << name;
        EXPECT_EQ(r.error().code, ErrorCode::kPermissionDenied) << name;
    }
    provider_.claims["preferred_username"] = "alice";
    provider_.claims["email_verified"] = false;
    auto unverified = LogIn();
    ASSERT_FALSE(unverified);
    EXPECT_EQ(unverified.error().code, ErrorCode::kPermissionDenied);
    provider_.claims.erase("email_verified");
    provider_.claims.erase("email");
    EXPECT_FALSE(LogIn());
    EXPECT_TRUE(users_.users.empty());
}

TEST_F(OidcLoginTest, TheStateMustBeThisBrowsersUnusedAndFresh) {
    auto started = oidc_.Start("/");
    ASSERT_TRUE(started);
    const std::string state = provider_.last.state;
    auto finish = [&](std::string st, std::string pending) {
        return oidc_.Finish({"good-code", std::move(st), "", std::move(pending), "192.0.2.9"});
    };
    EXPECT_FALSE(finish(state, ""));                     // no cookie (another browser)
    EXPECT_FALSE(finish("token999", started->pending));  // another state
    EXPECT_FALSE(finish(state, "forged:" + started->pending));
    EXPECT_EQ(provider_.redeems, 0);
    // Mismatches above did not use the state up; now it works once.
    ASSERT_TRUE(finish(state, started->pending));
    auto replay = finish(state, started->pending);
    ASSERT_FALSE(replay);
    EXPECT_EQ(replay.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(provider_.redeems, 1);
    // Too late.
    auto late = oidc_.Start("/");
    ASSERT_TRUE(late);
    now_ += 10 * 60 * 1000;
    EXPECT_FALSE(finish(provider_.last.state, late->pending));
}

TEST_F(OidcLoginTest, AProviderErrorOrARefusedCodeFailsAndIsAudited) {
    auto started = oidc_.Start("/");
    ASSERT_TRUE(started);
    auto r =
        oidc_.Finish({"", provider_.last.state, "access_denied", started->pending, "192.0.2.9"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
    started = oidc_.Start("/");
    r = oidc_.Finish({"bad-code", provider_.last.state, "", started->pending, "192.0.2.9"});
    ASSERT_FALSE(r);
    EXPECT_EQ(audit_.Actions(), (std::vector<std::string>{"login_failed", "login_failed"}));
    EXPECT_EQ(audit_.entries[1].ip, "192.0.2.9");
    EXPECT_TRUE(audit_.entries[1].detail.starts_with("oidc: ")) << audit_.entries[1].detail;
}

TEST_F(OidcLoginTest, FailedCallbacksAreThrottledPerIp) {
    for (int i = 0; i < 8; ++i) {
        EXPECT_FALSE(oidc_.Finish({"good-code", "x", "", "", "192.0.2.66"}));
    }
    auto started = oidc_.Start("/");
    auto r = oidc_.Finish({"good-code", provider_.last.state, "", started->pending, "192.0.2.66"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kTooManyRequests);
    EXPECT_GT(r.error().retry_after_s, 0);
    EXPECT_EQ(audit_.Actions().back(), "login_throttled");
    // Another address is not held up.
    EXPECT_TRUE(LogIn());
}

TEST_F(OidcLoginTest, StartFailsWhenTheProviderIsDown) {
    provider_.down = true;
    auto r = oidc_.Start("/");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace rqwatch::app
