#include "storage/sql_user_repo.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <thread>

#include "storage/sql_session_store.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

class SqlUserRepoTest : public testing::RepoTest<SqlUserRepo> {
  protected:
    std::int64_t AddUser(const std::string& name, bool admin = false) {
        User u;
        u.username = name;
        u.email = name + "@example.com";
        u.is_admin = admin;
        auto id = repo_->Add(u);
        EXPECT_TRUE(id) << name << ": " << id.error().detail;
        return id.value_or(0);
    }

    std::vector<std::string> ListNames(const app::UserListQuery& query) {
        auto users = repo_->List(query);
        EXPECT_TRUE(users) << users.error().public_msg << " / " << users.error().detail;
        std::vector<std::string> names;
        for (const User& u : users.value_or(std::vector<User>{})) names.push_back(u.username);
        return names;
    }

    std::vector<std::string> Search(const std::string& contains) {
        return ListNames({.contains = contains, .limit = 1000});
    }
};

using Names = std::vector<std::string>;

TEST_P(SqlUserRepoTest, AddsAndFinds) {
    User u;
    u.username = "Admin";
    u.email = "admin@example.com";
    u.is_admin = true;
    u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$abc$def";
    u.created_at = 1'700'000'000'000;
    u.last_login = 1'700'000'500'000;
    auto id = repo_->Add(u);
    ASSERT_TRUE(id) << id.error().detail;
    EXPECT_GT(*id, 0);

    auto found = repo_->FindByUsername("Admin");
    ASSERT_TRUE(found) << found.error().detail;
    EXPECT_EQ(found->id, *id);
    EXPECT_EQ(found->username, u.username);
    EXPECT_EQ(found->email, u.email);
    EXPECT_TRUE(found->is_admin);
    EXPECT_EQ(found->password_hash, u.password_hash);
    EXPECT_EQ(found->created_at, u.created_at);
    EXPECT_EQ(found->last_login, u.last_login);
}

TEST_P(SqlUserRepoTest, StoresEveryColumn) {
    User u;
    u.username = "dora";
    u.email = "  Dora@Example.COM ";
    u.first_name = "Dóra";
    u.last_name = "O'Brien";
    u.admin_domains = {"Example.COM", "b.example", "example.com"};
    u.notifications_disabled = true;
    u.provider = AuthProvider::kLdap;
    u.created_at = 1'700'000'000'000;
    auto id = repo_->Add(u);
    ASSERT_TRUE(id) << id.error().detail;

    auto found = repo_->FindById(*id);
    ASSERT_TRUE(found) << found.error().detail;
    EXPECT_EQ(found->username, "dora");
    EXPECT_EQ(found->email, "dora@example.com");  // NormalizeAddress, as recipients
    EXPECT_EQ(found->first_name, "Dóra");
    EXPECT_EQ(found->last_name, "O'Brien");
    EXPECT_FALSE(found->is_admin);
    // Lower case, duplicates once, order kept.
    EXPECT_EQ(found->admin_domains, (Names{"example.com", "b.example"}));
    EXPECT_TRUE(found->notifications_disabled);
    EXPECT_EQ(found->provider, AuthProvider::kLdap);
    EXPECT_TRUE(found->password_hash.empty());
    EXPECT_FALSE(found->last_login);

    auto by_name = repo_->FindByUsername("dora");
    ASSERT_TRUE(by_name);
    EXPECT_EQ(by_name->admin_domains, found->admin_domains);
    EXPECT_EQ(by_name->provider, AuthProvider::kLdap);
}

TEST_P(SqlUserRepoTest, AdminDomainsRoundTrip) {
    User u;
    u.username = "none";
    auto id = repo_->Add(u);
    ASSERT_TRUE(id);
    auto found = repo_->FindById(*id);
    ASSERT_TRUE(found);
    EXPECT_TRUE(found->admin_domains.empty());

    found->admin_domains = {"one.example"};
    ASSERT_TRUE(repo_->Update(*found));
    EXPECT_EQ(repo_->FindById(*id)->admin_domains, (Names{"one.example"}));

    found->admin_domains = {"a.example", "b.example", "c.example"};
    ASSERT_TRUE(repo_->Update(*found));
    EXPECT_EQ(repo_->FindById(*id)->admin_domains, (Names{"a.example", "b.example", "c.example"}));

    // A comma would split the domain on the way back; an empty one means nothing.
    for (const std::string& bad : {std::string("a.example,b.example"), std::string("")}) {
        found->admin_domains = {"ok.example", bad};
        auto r = repo_->Update(*found);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
    EXPECT_EQ(repo_->FindById(*id)->admin_domains.size(), 3u);
}

TEST_P(SqlUserRepoTest, UnknownProviderIsKept) {
    User u;
    u.username = "future";
    u.provider = static_cast<AuthProvider>(7);
    auto id = repo_->Add(u);
    ASSERT_TRUE(id);
    EXPECT_EQ(static_cast<int>(repo_->FindById(*id)->provider), 7);
}

TEST_P(SqlUserRepoTest, DefaultsAndOptionalLastLogin) {
    User u;
    u.username = "viewer";
    auto id = repo_->Add(u);
    ASSERT_TRUE(id);
    auto found = repo_->FindByUsername("viewer");
    ASSERT_TRUE(found);
    EXPECT_FALSE(found->is_admin);
    EXPECT_FALSE(found->last_login);
    EXPECT_GT(found->created_at, 1'600'000'000'000);  // filled with "now", in ms
    EXPECT_EQ(found->provider, AuthProvider::kLocal);
    EXPECT_FALSE(found->notifications_disabled);

    User second;
    second.username = "second";
    auto id2 = repo_->Add(second);
    ASSERT_TRUE(id2);
    EXPECT_NE(*id2, *id);
}

TEST_P(SqlUserRepoTest, DuplicateUsernameIsConflict) {
    User u;
    u.username = "alice";
    ASSERT_TRUE(repo_->Add(u));
    auto again = repo_->Add(u);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
    EXPECT_EQ(again.error().public_msg, "username already exists");

    // Usernames are exact: a different case is a different user.
    u.username = "Alice";
    EXPECT_TRUE(repo_->Add(u));
}

TEST_P(SqlUserRepoTest, UnknownUserIsNotFound) {
    auto found = repo_->FindByUsername("nobody");
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().code, ErrorCode::kNotFound);
    auto by_id = repo_->FindById(12345);
    ASSERT_FALSE(by_id);
    EXPECT_EQ(by_id.error().code, ErrorCode::kNotFound);
}

TEST_P(SqlUserRepoTest, EmptyUsernameIsRejected) {
    auto r = repo_->Add(User{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

// Rejected, not cut: a cut username or address would be someone else's.
TEST_P(SqlUserRepoTest, OverLongValuesAreRejected) {
    User u;
    u.username = std::string(255, 'u');
    u.first_name = "";
    for (int i = 0; i < 255; ++i) u.first_name += "é";  // characters, not bytes
    u.email = std::string(500, 'e') + "@example";       // 508 characters
    auto id = repo_->Add(u);
    ASSERT_TRUE(id) << id.error().detail;
    auto found = repo_->FindById(*id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->first_name, u.first_name);
    EXPECT_EQ(found->email, u.email);

    const auto rejected = [&](User bad, const std::string& msg) {
        auto r = repo_->Add(bad);
        ASSERT_FALSE(r) << msg;
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
        EXPECT_EQ(r.error().public_msg, msg);
    };
    User bad = u;
    bad.username += "u";
    rejected(bad, "username is longer than 255 characters");
    bad = u;
    bad.username = "other";
    bad.last_name = std::string(256, 'l');
    rejected(bad, "last name is longer than 255 characters");
    bad.last_name.clear();
    bad.email = std::string(513, 'e');
    rejected(bad, "email address is longer than 512 characters");
    bad.email.clear();
    bad.admin_domains = {std::string(4097, 'd')};
    rejected(bad, "admin domains are longer than 4096 characters");

    found->first_name += "x";
    auto updated = repo_->Update(*found);
    ASSERT_FALSE(updated);
    EXPECT_EQ(updated.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(SqlUserRepoTest, UpdatesEveryColumnButIdsAndTimes) {
    User u;
    u.username = "before";
    u.email = "before@example.com";
    u.password_hash = "old";
    u.created_at = 1'700'000'000'000;
    u.last_login = 1'700'000'100'000;
    auto id = repo_->Add(u);
    ASSERT_TRUE(id);
    AddUser("admin", true);  // so that "before" may become and stop being an admin

    User changed;
    changed.id = *id;
    changed.username = "after";
    changed.email = "After@Example.com";
    changed.first_name = "Ann";
    changed.last_name = "Other";
    changed.is_admin = true;
    changed.admin_domains = {"x.example"};
    changed.notifications_disabled = true;
    changed.provider = AuthProvider::kOidc;
    changed.password_hash = "new";
    changed.created_at = 1;  // not written
    changed.last_login = 2;  // not written
    auto r = repo_->Update(changed);
    ASSERT_TRUE(r) << r.error().detail;

    auto found = repo_->FindById(*id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->username, "after");
    EXPECT_EQ(found->email, "after@example.com");
    EXPECT_EQ(found->first_name, "Ann");
    EXPECT_EQ(found->last_name, "Other");
    EXPECT_TRUE(found->is_admin);
    EXPECT_EQ(found->admin_domains, (Names{"x.example"}));
    EXPECT_TRUE(found->notifications_disabled);
    EXPECT_EQ(found->provider, AuthProvider::kOidc);
    EXPECT_EQ(found->password_hash, "new");
    EXPECT_EQ(found->created_at, u.created_at);
    EXPECT_EQ(found->last_login, u.last_login);
    EXPECT_FALSE(repo_->FindByUsername("before"));

    changed.is_admin = false;
    changed.admin_domains.clear();
    ASSERT_TRUE(repo_->Update(changed));
    found = repo_->FindById(*id);
    EXPECT_FALSE(found->is_admin);
    EXPECT_TRUE(found->admin_domains.empty());
}

TEST_P(SqlUserRepoTest, UpdateOfUnknownUserIsNotFound) {
    User u;
    u.id = 999;
    u.username = "ghost";
    auto r = repo_->Update(u);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
    EXPECT_FALSE(repo_->FindByUsername("ghost"));
}

TEST_P(SqlUserRepoTest, UpdateToTakenUsernameIsConflict) {
    AddUser("alice");
    const std::int64_t bob = AddUser("bob");
    auto found = repo_->FindById(bob);
    ASSERT_TRUE(found);
    found->username = "alice";
    found->first_name = "changed";
    auto r = repo_->Update(*found);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.error().public_msg, "username already exists");
    EXPECT_EQ(repo_->FindById(bob)->first_name, "");  // rolled back
    EXPECT_EQ(repo_->FindById(bob)->username, "bob");
}

TEST_P(SqlUserRepoTest, LastAdminCannotBeDemoted) {
    const std::int64_t admin = AddUser("admin", true);
    AddUser("viewer");
    auto user = repo_->FindById(admin);
    ASSERT_TRUE(user);
    user->is_admin = false;
    auto r = repo_->Update(*user);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.error().public_msg, "cannot remove the last admin");
    EXPECT_TRUE(repo_->FindById(admin)->is_admin);

    // Other changes of the last admin are fine.
    user->is_admin = true;
    user->first_name = "Root";
    ASSERT_TRUE(repo_->Update(*user));
    EXPECT_EQ(repo_->FindById(admin)->first_name, "Root");
}

TEST_P(SqlUserRepoTest, OneOfTwoAdminsCanBeDemoted) {
    const std::int64_t first = AddUser("first", true);
    const std::int64_t second = AddUser("second", true);
    auto user = repo_->FindById(first);
    user->is_admin = false;
    ASSERT_TRUE(repo_->Update(*user));
    EXPECT_FALSE(repo_->FindById(first)->is_admin);

    user = repo_->FindById(second);
    user->is_admin = false;
    auto r = repo_->Update(*user);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_TRUE(repo_->FindById(second)->is_admin);
}

TEST_P(SqlUserRepoTest, LastAdminCannotBeDeleted) {
    const std::int64_t admin = AddUser("admin", true);
    const std::int64_t viewer = AddUser("viewer");
    auto r = repo_->Delete(admin);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.error().public_msg, "cannot remove the last admin");
    EXPECT_TRUE(repo_->FindById(admin));

    ASSERT_TRUE(repo_->Delete(viewer));
    EXPECT_EQ(repo_->FindById(viewer).error().code, ErrorCode::kNotFound);

    // With a second admin, either can go (but not both).
    const std::int64_t second = AddUser("second", true);
    ASSERT_TRUE(repo_->Delete(admin));
    EXPECT_FALSE(repo_->FindById(admin));
    auto last = repo_->Delete(second);
    ASSERT_FALSE(last);
    EXPECT_EQ(last.error().code, ErrorCode::kConflict);
}

TEST_P(SqlUserRepoTest, DeleteOfUnknownUserIsNotFound) {
    auto r = repo_->Delete(4242);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_P(SqlUserRepoTest, DeleteCascadesAliasesAndSessions) {
    AddUser("admin", true);
    const std::int64_t gone = AddUser("gone", true);
    const std::int64_t stays = AddUser("stays");
    ASSERT_TRUE(repo_->AddAlias(gone, "gone@alias.example"));
    ASSERT_TRUE(repo_->AddAlias(stays, "stays@alias.example"));
    SqlSessionStore sessions(db_);
    ASSERT_TRUE(sessions.Create({.key = "k-own", .user_id = gone, .csrf_token = "t"}));
    // Where "gone" acts as "stays" ("login as").
    ASSERT_TRUE(sessions.Create(
        {.key = "k-as", .user_id = stays, .impersonator_id = gone, .csrf_token = "t"}));
    ASSERT_TRUE(sessions.Create({.key = "k-other", .user_id = stays, .csrf_token = "t"}));

    ASSERT_TRUE(repo_->Delete(gone));
    auto aliases = repo_->ListAliases({.limit = 100});
    ASSERT_TRUE(aliases);
    ASSERT_EQ(aliases->size(), 1u);
    EXPECT_EQ(aliases->front().alias, "stays@alias.example");
    EXPECT_EQ(sessions.Find("k-own").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(sessions.Find("k-as").error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(sessions.Find("k-other"));
}

TEST_P(SqlUserRepoTest, RecordsLogin) {
    const std::int64_t id = AddUser("alice");
    ASSERT_TRUE(repo_->RecordLogin(id, 1'700'000'123'456));
    EXPECT_EQ(repo_->FindById(id)->last_login, 1'700'000'123'456);
    // The same instant again changes no row, which is no error.
    ASSERT_TRUE(repo_->RecordLogin(id, 1'700'000'123'456));
    auto r = repo_->RecordLogin(id + 100, 1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_P(SqlUserRepoTest, ListsNewestFirstInPages) {
    for (int i = 0; i < 7; ++i) AddUser("user" + std::to_string(i));
    EXPECT_EQ(ListNames({.limit = 3}), (Names{"user6", "user5", "user4"}));
    auto page = repo_->List({.limit = 3});
    ASSERT_TRUE(page);
    const std::int64_t last = page->back().id;
    EXPECT_EQ(ListNames({.limit = 3, .before_id = last}), (Names{"user3", "user2", "user1"}));
    auto tail = repo_->List({.limit = 3, .before_id = last});
    EXPECT_EQ(ListNames({.limit = 3, .before_id = tail->back().id}), (Names{"user0"}));
    EXPECT_EQ(ListNames({.limit = 3, .before_id = 1}), Names{});
    // A search pages the same way.
    EXPECT_EQ(ListNames({.contains = "USER", .limit = 2, .before_id = last}),
              (Names{"user3", "user2"}));
}

TEST_P(SqlUserRepoTest, ListLimitIsChecked) {
    AddUser("alice");
    for (int limit : {0, -1, 1001}) {
        auto r = repo_->List({.limit = limit});
        ASSERT_FALSE(r) << limit;
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
    EXPECT_EQ(ListNames({.limit = 1000}), Names{"alice"});
    EXPECT_EQ(ListNames({.limit = 1}), Names{"alice"});
}

TEST_P(SqlUserRepoTest, SearchesNamesAndAddressesCaseInsensitively) {
    User u;
    u.username = "jdoe";
    u.email = "john.doe@corp.example";
    u.first_name = "John";
    u.last_name = "Doe-Smith";
    ASSERT_TRUE(repo_->Add(u));
    AddUser("other");

    EXPECT_EQ(Search("JDO"), Names{"jdoe"});           // username
    EXPECT_EQ(Search("corp.EXAMPLE"), Names{"jdoe"});  // email
    EXPECT_EQ(Search("john"), Names{"jdoe"});          // first name
    EXPECT_EQ(Search("smith"), Names{"jdoe"});         // last name
    EXPECT_EQ(Search("example"), (Names{"other", "jdoe"}));
    EXPECT_EQ(Search("nothing"), Names{});
    EXPECT_EQ(Search(""), (Names{"other", "jdoe"}));
}

TEST_P(SqlUserRepoTest, SearchTakesWildcardsQuotesAndSqlLiterally) {
    for (const char* name : {"100%", "a_b", "axb", "it's", "x!y", "back\\slash", "plain"}) {
        AddUser(name);
    }
    EXPECT_EQ(Search("%"), Names{"100%"});
    EXPECT_EQ(Search("_"), Names{"a_b"});
    EXPECT_EQ(Search("a_b"), Names{"a_b"});  // not "axb"
    EXPECT_EQ(Search("'"), Names{"it's"});
    EXPECT_EQ(Search("!"), Names{"x!y"});
    EXPECT_EQ(Search("\\"), Names{"back\\slash"});
    EXPECT_EQ(Search("' OR '1'='1"), Names{});
    EXPECT_EQ(Search("%' OR 1=1 --"), Names{});
    EXPECT_EQ(Search("x'); DROP TABLE users; --"), Names{});
    EXPECT_EQ(ListNames({.limit = 1000}).size(), 7u);
}

// Two writers each demoting one of the last two admins at the same time:
// one of them must fail, whatever the interleaving.
TEST_P(SqlUserRepoTest, ConcurrentDemotionsKeepAnAdmin) {
    for (int round = 0; round < 8; ++round) {
        const std::string suffix = std::to_string(round);
        const std::int64_t a = AddUser("a" + suffix, true);
        const std::int64_t b = AddUser("b" + suffix, true);
        // Everybody else stops being an admin first (this is sequential).
        auto everybody = repo_->List({.limit = 1000});
        ASSERT_TRUE(everybody);
        for (const User& u : *everybody) {
            if (u.id == a || u.id == b || !u.is_admin) continue;
            User demoted = u;
            demoted.is_admin = false;
            ASSERT_TRUE(repo_->Update(demoted));
        }
        std::barrier start(2);
        Result<void> ra;
        Result<void> rb;
        const auto demote = [&](std::int64_t id, Result<void>& out) {
            User u = *repo_->FindById(id);
            u.is_admin = false;
            start.arrive_and_wait();
            out = repo_->Update(u);
        };
        std::thread ta(demote, a, std::ref(ra));
        std::thread tb(demote, b, std::ref(rb));
        ta.join();
        tb.join();
        EXPECT_NE(ra.has_value(), rb.has_value()) << "round " << round;
        const Result<void>& failed = ra ? rb : ra;
        if (!failed) {
            EXPECT_EQ(failed.error().code, ErrorCode::kConflict) << failed.error().detail;
        }
        const bool a_admin = repo_->FindById(a)->is_admin;
        const bool b_admin = repo_->FindById(b)->is_admin;
        EXPECT_TRUE(a_admin || b_admin) << "round " << round;
    }
}

RQWATCH_ON_EVERY_ENGINE(SqlUserRepoTest);

}  // namespace
}  // namespace rqwatch::storage
