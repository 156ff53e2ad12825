#include "storage/sql_map_repo.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>

#include "storage/sql_user_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;  // ms

class SqlMapRepoTest : public testing::RepoTest<SqlMapRepo> {
  protected:
    void SetUpRepo() override {
        users_ = std::make_unique<SqlUserRepo>(db_);
        for (const char* name : {"alice", "bob"}) {
            User u;
            u.username = name;
            auto id = users_->Add(u);
            ASSERT_TRUE(id) << id.error().detail;
            ids_.push_back(*id);
        }
    }

    app::MapInfo Map(const std::string& name) {
        auto m = repo_->Find(name);
        EXPECT_TRUE(m) << name;
        return m.value_or(app::MapInfo{});
    }

    static app::NewMapEntry Entry(std::string value, std::string rcpt = {}) {
        app::NewMapEntry e;
        e.value = std::move(value);
        e.second = std::move(rcpt);
        return e;
    }

    // The live entries as "value|second" lines, in the order they came.
    std::vector<std::string> Live(std::int64_t map_id, std::int64_t now = kNow) {
        std::vector<std::string> out;
        auto n = repo_->EachLiveEntry(map_id, now, [&](std::string_view v, std::string_view r) {
            out.push_back(fmt::format("{}|{}", v, r));
        });
        EXPECT_TRUE(n) << n.error().detail;
        EXPECT_EQ(n.value_or(0), out.size());
        return out;
    }

    std::int64_t StampOf(const std::string& name, std::int64_t now = kNow) {
        auto s = repo_->Stamp(name, now);
        EXPECT_TRUE(s) << s.error().detail;
        return s ? s->stamp : -1;
    }

    std::unique_ptr<SqlUserRepo> users_;
    std::vector<std::int64_t> ids_;
};

TEST_P(SqlMapRepoTest, MigrationCreatesTheBuiltInMaps) {
    auto maps = repo_->List();
    ASSERT_TRUE(maps) << maps.error().detail;
    EXPECT_EQ(maps->size(), 20U);
    const app::MapInfo m = Map("smtp_from_rcpt_block");
    EXPECT_EQ(m.shape.scope, MapScope::kCombined);
    EXPECT_EQ(m.shape.first, MapField::kEmail);
    EXPECT_EQ(m.shape.second, MapField::kEmail);
    EXPECT_EQ(m.kind, app::MapListKind::kBlock);
    EXPECT_TRUE(m.builtin);
    EXPECT_EQ(Map("ip_allow").shape.first, MapField::kIp);
    EXPECT_EQ(Map("personal_mime_from_rcpt_allow").shape.scope, MapScope::kPersonal);
    EXPECT_EQ(repo_->Find("nope").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(repo_->Find("../etc").error().code, ErrorCode::kNotFound);
}

TEST_P(SqlMapRepoTest, CreatesAndDeletesCustomMaps) {
    app::MapInfo m;
    m.name = "my.custom-map_1";
    m.shape = MapShape{MapScope::kCustom, MapField::kKeyScore, std::nullopt};
    m.description = "Bewertung für Büro";
    auto id = repo_->Create(m, kNow);
    ASSERT_TRUE(id) << id.error().detail;
    EXPECT_EQ(repo_->Create(m, kNow).error().code, ErrorCode::kConflict);
    const app::MapInfo found = Map("my.custom-map_1");
    EXPECT_EQ(found.id, *id);
    EXPECT_EQ(found.shape.first, MapField::kKeyScore);
    EXPECT_EQ(found.description, m.description);
    EXPECT_FALSE(found.builtin);
    auto e = Entry("key");
    e.score = 2.5;
    ASSERT_TRUE(repo_->AddEntries(*id, {e}, kNow));
    auto listed = repo_->List();
    ASSERT_TRUE(listed);
    auto it = std::ranges::find(*listed, m.name, &app::MapInfo::name);
    ASSERT_NE(it, listed->end());
    EXPECT_EQ(it->entry_count, 1);
    ASSERT_TRUE(repo_->Delete(*id));
    EXPECT_EQ(repo_->Find(m.name).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(repo_->Delete(*id).error().code, ErrorCode::kNotFound);
}

TEST_P(SqlMapRepoTest, RenameKeepsTheEntriesAndBumpsTheStamp) {
    app::MapInfo m;
    m.name = "old.name";
    m.shape = MapShape{MapScope::kCustom, MapField::kDomain, std::nullopt};
    auto id = repo_->Create(m, kNow);
    ASSERT_TRUE(id) << id.error().detail;
    ASSERT_TRUE(repo_->AddEntries(*id, {Entry("example.org")}, kNow));
    const std::int64_t before = StampOf("old.name");
    auto ok = repo_->Rename(*id, "new-name_2", "the same list", kNow);
    ASSERT_TRUE(ok) << ok.error().detail;
    EXPECT_EQ(repo_->Find("old.name").error().code, ErrorCode::kNotFound);
    const app::MapInfo renamed = Map("new-name_2");
    EXPECT_EQ(renamed.id, *id);
    EXPECT_EQ(renamed.description, "the same list");
    EXPECT_GT(StampOf("new-name_2"), before);
    EXPECT_EQ(Live(*id), std::vector<std::string>{"example.org|"});
    EXPECT_EQ(repo_->Rename(*id, "ip_block", "", kNow).error().code, ErrorCode::kConflict);
    EXPECT_EQ(repo_->Rename(*id, "../x", "", kNow).error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(repo_->Rename(999999, "free-name", "", kNow).error().code, ErrorCode::kNotFound);
    // Unchanged name, new description only.
    ASSERT_TRUE(repo_->Rename(*id, "new-name_2", "described", kNow));
    EXPECT_EQ(Map("new-name_2").description, "described");
}

TEST_P(SqlMapRepoTest, AddsManyEntriesSkippingDuplicates) {
    const app::MapInfo m = Map("smtp_from_rcpt_allow");
    std::vector<app::NewMapEntry> entries;
    for (int i = 0; i < 50; ++i) entries.push_back(Entry(fmt::format("s{}@x.org", i), "r@y.org"));
    entries.push_back(Entry("s1@x.org", "r@y.org"));  // a duplicate within the input
    entries.push_back(Entry("s1@x.org", "other@y.org"));
    auto added = repo_->AddEntries(m.id, entries, kNow);
    ASSERT_TRUE(added) << added.error().detail;
    EXPECT_EQ(added->ids.size(), 51U);
    EXPECT_EQ(added->duplicates, std::vector<std::size_t>{50});
    auto again = repo_->AddEntries(m.id, {Entry("s2@x.org", "r@y.org")}, kNow);
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->ids.empty());
    EXPECT_EQ(again->duplicates.size(), 1U);

    auto first = repo_->FindEntry(m.id, added->ids[0]);
    ASSERT_TRUE(first) << first.error().detail;
    EXPECT_EQ(first->value, "s0@x.org");
    EXPECT_EQ(first->second, "r@y.org");
    EXPECT_TRUE(first->enabled);
    EXPECT_EQ(first->created_at, kNow);
    EXPECT_EQ(repo_->FindEntry(Map("ip_allow").id, added->ids[0]).error().code,
              ErrorCode::kNotFound);
}

TEST_P(SqlMapRepoTest, StampStrictlyIncreasesOnEveryChange) {
    const app::MapInfo m = Map("ip_block");
    const std::int64_t s0 = StampOf("ip_block");
    auto added = repo_->AddEntries(m.id, {Entry("192.0.2.1"), Entry("2001:db8::/32")}, kNow);
    ASSERT_TRUE(added);
    const std::int64_t s1 = StampOf("ip_block");
    EXPECT_GT(s1, s0);
    EXPECT_EQ(s1, kNow / 1000);
    // Same second, again and again (two nodes, one database): +1 s each time.
    auto entry = repo_->FindEntry(m.id, added->ids[0]);
    ASSERT_TRUE(entry);
    entry->enabled = false;
    ASSERT_TRUE(repo_->UpdateEntry(*entry, kNow));
    const std::int64_t s2 = StampOf("ip_block");
    EXPECT_EQ(s2, s1 + 1);
    ASSERT_EQ(repo_->DeleteEntries(m.id, {added->ids[1]}, kNow).value_or(-1), 1);
    const std::int64_t s3 = StampOf("ip_block");
    EXPECT_EQ(s3, s2 + 1);
    // Nothing deleted: no change, no bump.
    ASSERT_EQ(repo_->DeleteEntries(m.id, {added->ids[1]}, kNow).value_or(-1), 0);
    EXPECT_EQ(StampOf("ip_block"), s3);
    ASSERT_EQ(repo_->DeleteAllEntries(m.id, kNow).value_or(-1), 1);
    EXPECT_EQ(StampOf("ip_block"), s3 + 1);
    // Other maps are untouched.
    EXPECT_EQ(StampOf("ip_allow"), s0);
}

TEST_P(SqlMapRepoTest, LiveEntriesLeaveOutDisabledAndExpired) {
    const app::MapInfo m = Map("smtp_from_block");
    auto expiring = Entry("soon@x.org");
    expiring.expires_at = kNow + 60'000;
    auto disabled = Entry("off@x.org");
    disabled.enabled = false;
    ASSERT_TRUE(repo_->AddEntries(m.id, {Entry("on@x.org"), expiring, disabled}, kNow));
    EXPECT_EQ(Live(m.id), (std::vector<std::string>{"on@x.org|", "soon@x.org|"}));
    const std::int64_t before = StampOf("smtp_from_block", kNow);
    const std::int64_t later = kNow + 120'000;
    EXPECT_EQ(Live(m.id, later), std::vector<std::string>{"on@x.org|"});
    // The expiry moved the stamp, although nobody wrote.
    auto stamp = repo_->Stamp("smtp_from_block", later);
    ASSERT_TRUE(stamp);
    EXPECT_EQ(stamp->stamp, (kNow + 60'000) / 1000);
    EXPECT_GT(stamp->stamp, before);
    EXPECT_EQ(stamp->expired, 1);
}

TEST_P(SqlMapRepoTest, LiveEntriesReadsManyBatchesInIdOrder) {
    const app::MapInfo m = Map("smtp_from_rcpt_block");
    std::vector<app::NewMapEntry> many;
    for (int i = 0; i < 2345; ++i) {
        many.push_back(Entry("s" + std::to_string(i) + "@x.org", "r@y.org"));
    }
    many[1500].enabled = false;
    auto added = repo_->AddEntries(m.id, many, kNow);
    ASSERT_TRUE(added) << added.error().detail;
    std::vector<std::string> expected;
    for (int i = 0; i < 2345; ++i) {
        if (i != 1500) expected.push_back("s" + std::to_string(i) + "@x.org|r@y.org");
    }
    // In insertion (id) order, every one once, across the fetch batches.
    EXPECT_EQ(Live(m.id), expected);
}

TEST_P(SqlMapRepoTest, SearchRestrictsUsersToTheirOwnAndAdminEntries) {
    const app::MapInfo m = Map("personal_smtp_from_rcpt_allow");
    auto alice = Entry("a@x.org", "alice@y.org");
    alice.owner_id = ids_[0];
    alice.created_by = ids_[0];
    alice.comment = "Alice's Partner";
    auto bob = Entry("b@x.org", "alice@y.org");  // bob's entry for a shared address
    bob.owner_id = ids_[1];
    bob.created_by = ids_[1];
    auto admin = Entry("adm@x.org", "alice@y.org");  // by an admin, no owner
    auto admin_other = Entry("adm@x.org", "carol@y.org");
    ASSERT_TRUE(repo_->AddEntries(m.id, {alice, bob, admin, admin_other}, kNow));

    app::MapEntryQuery q;
    auto all = repo_->SearchEntries(m.id, q);
    ASSERT_TRUE(all) << all.error().detail;
    EXPECT_EQ(all->size(), 4U);
    EXPECT_EQ((*all)[0].created_by_name, "alice");

    q.restricted = true;
    q.owner_id = ids_[0];
    auto own = repo_->SearchEntries(m.id, q);
    ASSERT_TRUE(own);
    ASSERT_EQ(own->size(), 1U);
    EXPECT_EQ((*own)[0].value, "a@x.org");

    q.admin_entries_for = std::vector<std::string>{"alice@y.org"};
    auto with_admin = repo_->SearchEntries(m.id, q);
    ASSERT_TRUE(with_admin);
    ASSERT_EQ(with_admin->size(), 2U);
    EXPECT_EQ((*with_admin)[1].value, "adm@x.org");
    EXPECT_EQ((*with_admin)[1].second, "alice@y.org");

    q.contains = "PARTNER";
    auto found = repo_->SearchEntries(m.id, q);
    ASSERT_TRUE(found);
    ASSERT_EQ(found->size(), 1U);
    q.contains = "100%_!";
    EXPECT_TRUE(repo_->SearchEntries(m.id, q)->empty());

    app::MapEntryQuery paged;
    paged.limit = 2;
    auto p1 = repo_->SearchEntries(m.id, paged);
    ASSERT_TRUE(p1);
    ASSERT_EQ(p1->size(), 2U);
    paged.after_id = p1->back().id;
    auto p2 = repo_->SearchEntries(m.id, paged);
    ASSERT_TRUE(p2);
    EXPECT_EQ(p2->size(), 2U);
    EXPECT_GT(p2->front().id, p1->back().id);
    paged.limit = 0;
    EXPECT_EQ(repo_->SearchEntries(m.id, paged).error().code, ErrorCode::kInvalidArgument);
}

TEST_P(SqlMapRepoTest, DeletedCreatorKeepsTheEntry) {
    const app::MapInfo m = Map("smtp_from_allow");
    auto e = Entry("x@x.org");
    e.created_by = ids_[1];
    auto added = repo_->AddEntries(m.id, {e}, kNow);
    ASSERT_TRUE(added);
    ASSERT_TRUE(users_->Delete(ids_[1]));
    auto found = repo_->FindEntry(m.id, added->ids[0]);
    ASSERT_TRUE(found) << found.error().detail;
    EXPECT_EQ(found->created_by_name, "");
}

TEST_P(SqlMapRepoTest, UpdateRefusesADuplicateAndOverLongValues) {
    const app::MapInfo m = Map("sender_domain_block");
    auto added = repo_->AddEntries(m.id, {Entry("a.example"), Entry("b.example")}, kNow);
    ASSERT_TRUE(added);
    auto entry = repo_->FindEntry(m.id, added->ids[1]);
    ASSERT_TRUE(entry);
    entry->value = "a.example";
    EXPECT_EQ(repo_->UpdateEntry(*entry, kNow).error().code, ErrorCode::kConflict);
    entry->value = "c.example";
    entry->comment = "renamed";
    entry->expires_at = kNow + 1000;
    ASSERT_TRUE(repo_->UpdateEntry(*entry, kNow + 5));
    auto again = repo_->FindEntry(m.id, added->ids[1]);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->value, "c.example");
    EXPECT_EQ(again->comment, "renamed");
    EXPECT_EQ(again->expires_at, kNow + 1000);
    EXPECT_EQ(again->updated_at, kNow + 5);
    EXPECT_EQ(repo_->AddEntries(m.id, {Entry(std::string(1025, 'a'))}, kNow).error().code,
              ErrorCode::kInvalidArgument);
    entry->id = 999999;
    EXPECT_EQ(repo_->UpdateEntry(*entry, kNow).error().code, ErrorCode::kNotFound);
}

RQWATCH_ON_EVERY_ENGINE(SqlMapRepoTest);

}  // namespace
}  // namespace rqwatch::storage
