// UserAdmin, AliasAdmin and Profile: the rules that depend on who asks and
// where an account comes from, and that every change is audited.

#include <gtest/gtest.h>

#include "account_fakes.hpp"
#include "app/account_rules.hpp"
#include "app/alias_admin.hpp"
#include "app/impersonation.hpp"
#include "app/profile.hpp"
#include "app/user_admin.hpp"

namespace rqwatch::app {
namespace {

class AccountAdminTest : public ::testing::Test {
  protected:
    void SetUp() override {
        User admin;
        admin.username = "root";
        admin.email = "root@example.org";
        admin.is_admin = true;
        admin.password_hash = "$argon2id$old-password";
        admin_id_ = *users_.Add(admin);
        User ldap;
        ldap.username = "dirk";
        ldap.email = "dirk@example.org";
        ldap.provider = AuthProvider::kLdap;
        ldap_id_ = *users_.Add(ldap);
        ldap_alias_ = *users_.AddAlias(ldap_id_, "d@example.org");
    }
    Actor Root() const { return Actor{admin_id_, "root", "192.0.2.1", {}}; }
    NewUser Alice() const {
        NewUser n;
        n.username = "alice";
        n.email = " <Alice@Example.ORG> ";
        n.password = "correct horse";
        return n;
    }

    testing::FakeUsers users_;
    testing::FakeAudit audit_log_;
    testing::FakeHasher hasher_;
    testing::FakeSessions store_;
    testing::FakeTokens tokens_;
    std::int64_t now_ = 1'000'000;
    SessionService sessions_{store_, tokens_, SessionOptions{}, [this] { return now_; }};
    AuditTrail audit_{audit_log_, [this] { return now_; }};
    LoginThrottle throttle_{ThrottleOptions{.max_failures_per_ip = 100,
                                            .max_failures_per_user = 3,
                                            .window_ms = 60'000}};
    UserAdmin admin_{users_, hasher_, sessions_, audit_, [this] { return now_; }};
    AliasAdmin aliases_{users_, audit_};
    Profile profile_{users_, hasher_, sessions_, throttle_, audit_, [this] { return now_; }};
    Impersonation login_as_{users_, sessions_, audit_};
    std::int64_t admin_id_ = 0, ldap_id_ = 0, ldap_alias_ = 0;
};

TEST_F(AccountAdminTest, AddNormalisesHashesAndAudits) {
    auto added = admin_.Add(Root(), Alice());
    ASSERT_TRUE(added) << added.error().public_msg;
    EXPECT_EQ(added->user.email, "alice@example.org");
    EXPECT_EQ(added->user.password_hash, "$argon2id$correct horse");
    EXPECT_EQ(added->user.created_at, now_);
    ASSERT_EQ(audit_log_.Actions(), std::vector<std::string>{"user.add"});
    EXPECT_EQ(audit_log_.entries[0].actor, "root");
    EXPECT_EQ(audit_log_.entries[0].ip, "192.0.2.1");
    EXPECT_EQ(audit_log_.entries[0].target, UserTarget(added->user.id));
    EXPECT_EQ(audit_log_.entries[0].detail.find("correct"), std::string::npos);
}

TEST_F(AccountAdminTest, AddRejectsBadFieldsAndStoresNothing) {
    const std::size_t before = users_.users.size();
    auto check = [&](NewUser n, std::string_view what) {
        auto r = admin_.Add(Root(), n);
        ASSERT_FALSE(r) << what;
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << what;
    };
    NewUser n = Alice();
    n.username = "a b";
    check(n, "space in name");
    n = Alice();
    n.username = std::string(129, 'a');
    check(n, "long name");
    n = Alice();
    n.email = "not-an-address";
    check(n, "address");
    n = Alice();
    n.email = "a@b@c.org";
    check(n, "two @");
    n = Alice();
    n.email = "alice@example.org\r\nBcc: x@evil.example";
    check(n, "header injection");
    n = Alice();
    n.password = "short";
    check(n, "short password");
    n = Alice();
    n.password = std::string(kMaxPasswordLength + 1, 'x');
    check(n, "huge password");
    n = Alice();
    n.first_name = "A\x01";
    check(n, "control character");
    n = Alice();
    n.last_name = "\xff\xfe";
    check(n, "invalid UTF-8");
    n = Alice();
    n.admin_domains = {"example.org", "bad domain"};
    check(n, "domain");
    EXPECT_EQ(users_.users.size(), before);
    EXPECT_TRUE(audit_log_.entries.empty());
}

TEST_F(AccountAdminTest, UpdateChangesOnlyTheGivenFields) {
    auto added = admin_.Add(Root(), Alice());
    ASSERT_TRUE(added);
    UserChanges c;
    c.first_name = "Alice";
    c.admin_domains = std::vector<std::string>{"Example.ORG", "example.org", "b.example"};
    auto d = admin_.Update(Root(), added->user.id, c);
    ASSERT_TRUE(d) << d.error().public_msg;
    EXPECT_EQ(d->user.first_name, "Alice");
    EXPECT_EQ(d->user.email, "alice@example.org");
    EXPECT_EQ(d->user.admin_domains, (std::vector<std::string>{"example.org", "b.example"}));
    EXPECT_EQ(d->user.password_hash, "$argon2id$correct horse");
    EXPECT_EQ(audit_log_.entries.back().action, "user.update");
    EXPECT_EQ(audit_log_.entries.back().detail, "first_name, admin_domains");
}

TEST_F(AccountAdminTest, NewPasswordOrLostAdminRightsEndTheSessions) {
    auto added = admin_.Add(Root(), Alice());
    ASSERT_TRUE(added);
    const std::int64_t id = added->user.id;
    ASSERT_TRUE(sessions_.Start(id, "ip"));
    UserChanges names;
    names.last_name = "Liddell";
    ASSERT_TRUE(admin_.Update(Root(), id, names));
    EXPECT_EQ(store_.rows.size(), 1u);  // a name does not log anybody out
    UserChanges pw;
    pw.password = "another secret";
    ASSERT_TRUE(admin_.Update(Root(), id, pw));
    EXPECT_TRUE(store_.rows.empty());
    EXPECT_EQ(audit_log_.entries.back().detail, "password");

    UserChanges promote;
    promote.is_admin = true;
    ASSERT_TRUE(admin_.Update(Root(), id, promote));
    ASSERT_TRUE(sessions_.Start(id, "ip"));
    UserChanges demote;
    demote.is_admin = false;
    ASSERT_TRUE(admin_.Update(Root(), id, demote));
    EXPECT_TRUE(store_.rows.empty());
}

TEST_F(AccountAdminTest, NobodyDeletesOrDemotesThemselves) {
    auto gone = admin_.Remove(Root(), admin_id_);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, ErrorCode::kConflict);
    UserChanges demote;
    demote.is_admin = false;
    auto r = admin_.Update(Root(), admin_id_, demote);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_TRUE(users_.users.at(admin_id_).is_admin);
    EXPECT_TRUE(audit_log_.entries.empty());
}

TEST_F(AccountAdminTest, RemoveAuditsAndUnknownIsNotFound) {
    auto added = admin_.Add(Root(), Alice());
    ASSERT_TRUE(added);
    ASSERT_TRUE(admin_.Remove(Root(), added->user.id));
    EXPECT_EQ(audit_log_.entries.back().action, "user.delete");
    EXPECT_EQ(audit_log_.entries.back().detail, "alice");
    auto again = admin_.Remove(Root(), added->user.id);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_F(AccountAdminTest, DirectoryUsersKeepTheirDirectoryFields) {
    for (auto change : {+[](UserChanges& c) { c.email = "x@example.org"; },
                        +[](UserChanges& c) { c.password = "a new password"; },
                        +[](UserChanges& c) { c.is_admin = true; },
                        +[](UserChanges& c) { c.first_name = "D"; }}) {
        UserChanges c;
        change(c);
        auto r = admin_.Update(Root(), ldap_id_, c);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    }
    UserChanges ours;
    ours.notifications_disabled = true;
    ours.admin_domains = std::vector<std::string>{"example.org"};
    EXPECT_TRUE(admin_.Update(Root(), ldap_id_, ours));
    // Their aliases come from the directory too.
    auto add = aliases_.Add(Root(), ldap_id_, "x@example.org");
    ASSERT_FALSE(add);
    EXPECT_EQ(add.error().code, ErrorCode::kConflict);
    EXPECT_FALSE(aliases_.Remove(Root(), ldap_alias_));
    EXPECT_EQ(users_.aliases.size(), 1u);
}

TEST_F(AccountAdminTest, AliasesAreNormalisedAndAudited) {
    auto added = admin_.Add(Root(), Alice());
    ASSERT_TRUE(added);
    auto a = aliases_.Add(Root(), added->user.id, "Postmaster@Example.org");
    ASSERT_TRUE(a) << a.error().public_msg;
    EXPECT_EQ(a->alias, "postmaster@example.org");
    auto u = aliases_.Update(Root(), a->id, "abuse@example.org");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->alias, "abuse@example.org");
    EXPECT_EQ(audit_log_.entries.back().detail,
              "postmaster@example.org -> abuse@example.org for user:" +
                  std::to_string(added->user.id));
    ASSERT_TRUE(aliases_.Remove(Root(), a->id));
    EXPECT_EQ(audit_log_.Actions(),
              (std::vector<std::string>{"user.add", "alias.add", "alias.update", "alias.delete"}));
    auto bad = aliases_.Add(Root(), added->user.id, "no address");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
    auto nobody = aliases_.Add(Root(), 999, "x@example.org");
    ASSERT_FALSE(nobody);
    EXPECT_EQ(nobody.error().code, ErrorCode::kNotFound);
}

TEST_F(AccountAdminTest, ProfileEditsOwnNamesAndOptOut) {
    ProfileChanges c;
    c.first_name = "Rosa";
    c.notifications_disabled = true;
    auto u = profile_.Update(Root(), c);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->first_name, "Rosa");
    EXPECT_TRUE(users_.users.at(admin_id_).notifications_disabled);
    EXPECT_EQ(audit_log_.entries.back().action, "profile.update");
    ProfileChanges names;
    names.last_name = "X";
    auto dir = profile_.Update(Actor{ldap_id_, "dirk", "ip", {}}, names);
    ASSERT_FALSE(dir);
    EXPECT_EQ(dir.error().code, ErrorCode::kConflict);
}

TEST_F(AccountAdminTest, PasswordChangeNeedsTheCurrentOneAndEndsOtherSessions) {
    auto other = sessions_.Start(admin_id_, "elsewhere");
    ASSERT_TRUE(other);
    auto wrong = profile_.ChangePassword(Root(), "guess", "new password!");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(users_.users.at(admin_id_).password_hash, "$argon2id$old-password");
    auto weak = profile_.ChangePassword(Root(), "old-password", "short");
    ASSERT_FALSE(weak);
    EXPECT_EQ(weak.error().code, ErrorCode::kInvalidArgument);

    auto issued = profile_.ChangePassword(Root(), "old-password", "new password!");
    ASSERT_TRUE(issued) << issued.error().public_msg;
    EXPECT_EQ(users_.users.at(admin_id_).password_hash, "$argon2id$new password!");
    EXPECT_FALSE(sessions_.Resolve(other->id));  // the other browser is out
    EXPECT_TRUE(sessions_.Resolve(issued->id));  // this one goes on, with a new id
    EXPECT_EQ(audit_log_.Actions(),
              (std::vector<std::string>{"password.change_failed", "password.change"}));
}

TEST_F(AccountAdminTest, PasswordGuessingIsThrottled) {
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(profile_.ChangePassword(Root(), "guess", "x1234567"));
    auto r = profile_.ChangePassword(Root(), "old-password", "new password!");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kTooManyRequests);
    EXPECT_GT(r.error().retry_after_s, 0);
}

TEST_F(AccountAdminTest, LoginAsAndBackUseNewSessionsAndAreAudited) {
    auto added = admin_.Add(Root(), Alice());
    ASSERT_TRUE(added);
    const std::int64_t alice = added->user.id;
    auto own = sessions_.Start(admin_id_, "192.0.2.1");
    ASSERT_TRUE(own);
    auto as = login_as_.Begin(Root(), own->id, alice);
    ASSERT_TRUE(as) << as.error().public_msg;
    EXPECT_EQ(as->record.user_id, alice);
    EXPECT_EQ(as->record.impersonator_id, admin_id_);
    EXPECT_FALSE(sessions_.Resolve(own->id));  // the admin's session ended
    EXPECT_EQ(audit_log_.entries.back().action, "login_as");
    EXPECT_EQ(audit_log_.entries.back().target, UserTarget(alice));

    const Actor as_alice{alice, "alice", "192.0.2.1", "root"};
    auto back = login_as_.Return(as_alice, as->record, as->id);
    ASSERT_TRUE(back) << back.error().public_msg;
    EXPECT_EQ(back->record.user_id, admin_id_);
    EXPECT_FALSE(back->record.impersonator_id);
    EXPECT_FALSE(sessions_.Resolve(as->id));
    EXPECT_NE(back->id, own->id);
    EXPECT_EQ(audit_log_.entries.back().action, "login_as_end");
    EXPECT_EQ(audit_log_.entries.back().actor, "root");

    auto not_as = login_as_.Return(as_alice, back->record, back->id);
    ASSERT_FALSE(not_as);
    EXPECT_EQ(not_as.error().code, ErrorCode::kConflict);
}

TEST_F(AccountAdminTest, LoginAsRefusesAdminsOneselfAndUnknownUsers) {
    NewUser n = Alice();
    n.is_admin = true;
    auto other_admin = admin_.Add(Root(), n);
    ASSERT_TRUE(other_admin);
    auto own = sessions_.Start(admin_id_, "ip");
    ASSERT_TRUE(own);
    for (std::int64_t id : {other_admin->user.id, admin_id_}) {
        auto r = login_as_.Begin(Root(), own->id, id);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    }
    auto nobody = login_as_.Begin(Root(), own->id, 999);
    ASSERT_FALSE(nobody);
    EXPECT_EQ(nobody.error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(sessions_.Resolve(own->id));  // still the admin
}

TEST_F(AccountAdminTest, ReturnFailsWhenTheAdminIsNoLongerOne) {
    auto added = admin_.Add(Root(), Alice());
    ASSERT_TRUE(added);
    auto own = sessions_.Start(admin_id_, "ip");
    auto as = login_as_.Begin(Root(), own->id, added->user.id);
    ASSERT_TRUE(as);
    users_.users.at(admin_id_).is_admin = false;
    auto back = login_as_.Return(Actor{added->user.id, "alice", "ip", "root"}, as->record, as->id);
    ASSERT_FALSE(back);
    EXPECT_EQ(back.error().code, ErrorCode::kUnauthenticated);
    EXPECT_FALSE(sessions_.Resolve(as->id));
}

}  // namespace
}  // namespace rqwatch::app
