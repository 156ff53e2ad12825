#include "app/map_editor.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "account_fakes.hpp"
#include "app/map_publisher.hpp"

namespace rqwatch::app {
namespace {

// The store in memory: enough to check the use cases' rules (the SQL is
// tested on every engine in tests/unit/storage/sql_map_repo_test.cpp).
class MemoryMapRepo final : public MapRepo {
  public:
    MemoryMapRepo() {
        Add("ip_block", MapScope::kBasic, MapField::kIp);
        Add("personal_smtp_from_rcpt_allow", MapScope::kPersonal, MapField::kEmail);
    }
    Result<std::vector<MapInfo>> List() override { return maps; }
    Result<MapInfo> Find(const std::string& name) override {
        for (const auto& m : maps)
            if (m.name == name) return m;
        return Fail(ErrorCode::kNotFound, "no such map");
    }
    Result<std::int64_t> Create(const MapInfo& map, std::int64_t) override {
        maps.push_back(map);
        maps.back().id = static_cast<std::int64_t>(maps.size());
        return maps.back().id;
    }
    Result<void> Delete(std::int64_t id) override {
        std::erase_if(maps, [&](const MapInfo& m) { return m.id == id; });
        return {};
    }
    Result<void> Rename(std::int64_t id, const std::string& name, const std::string& descr,
                        std::int64_t) override {
        if (std::ranges::any_of(maps, [&](const MapInfo& m) { return m.name == name && m.id != id; })) {
            return Fail(ErrorCode::kConflict, "a map of that name exists already");
        }
        for (auto& m : maps) {
            if (m.id != id) continue;
            m.name = name;
            m.description = descr;
            ++stamp;
            return {};
        }
        return Fail(ErrorCode::kNotFound, "no such map");
    }
    Result<AddEntriesResult> AddEntries(std::int64_t map_id, const std::vector<NewMapEntry>& in,
                                        std::int64_t now) override {
        AddEntriesResult out;
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (std::ranges::any_of(entries, [&](const MapEntry& e) {
                    return e.map_id == map_id && e.value == in[i].value && e.second == in[i].second;
                })) {
                out.duplicates.push_back(i);
                continue;
            }
            MapEntry e;
            e.id = next_id++;
            e.map_id = map_id;
            e.value = in[i].value;
            e.second = in[i].second;
            e.enabled = in[i].enabled;
            e.owner_id = in[i].owner_id;
            e.created_by = in[i].created_by;
            e.expires_at = in[i].expires_at;
            e.created_at = e.updated_at = now;
            entries.push_back(e);
            out.ids.push_back(e.id);
        }
        ++stamp;
        return out;
    }
    Result<MapEntry> FindEntry(std::int64_t map_id, std::int64_t id) override {
        for (const auto& e : entries)
            if (e.id == id && e.map_id == map_id) return e;
        return Fail(ErrorCode::kNotFound, "no such map entry");
    }
    Result<void> UpdateEntry(const MapEntry& entry, std::int64_t) override {
        for (auto& e : entries)
            if (e.id == entry.id) e = entry;
        ++stamp;
        return {};
    }
    Result<std::int64_t> DeleteEntries(std::int64_t map_id, const std::vector<std::int64_t>& ids,
                                       std::int64_t) override {
        const auto n = std::erase_if(entries, [&](const MapEntry& e) {
            return e.map_id == map_id && std::ranges::find(ids, e.id) != ids.end();
        });
        ++stamp;
        return static_cast<std::int64_t>(n);
    }
    Result<std::int64_t> DeleteAllEntries(std::int64_t map_id, std::int64_t) override {
        return static_cast<std::int64_t>(
            std::erase_if(entries, [&](const MapEntry& e) { return e.map_id == map_id; }));
    }
    Result<std::vector<MapEntry>> SearchEntries(std::int64_t map_id,
                                                const MapEntryQuery& q) override {
        std::vector<MapEntry> out;
        for (const auto& e : entries) {
            if (e.map_id != map_id) continue;
            if (q.restricted) {
                const bool own = e.owner_id == q.owner_id;
                const bool admins = !e.owner_id && q.admin_entries_for &&
                                    std::ranges::find(*q.admin_entries_for, e.second) !=
                                        q.admin_entries_for->end();
                if (!own && !admins) continue;
            }
            out.push_back(e);
        }
        return out;
    }
    Result<MapStamp> Stamp(const std::string& name, std::int64_t) override {
        auto m = Find(name);
        if (!m) return std::unexpected(m.error());
        ++stamp_reads;
        return MapStamp{m->id, stamp, 0};
    }
    Result<std::size_t> EachLiveEntry(std::int64_t map_id, std::int64_t,
                                      const LiveEntryFn& line) override {
        ++live_reads;
        if (live_delay.count() > 0) std::this_thread::sleep_for(live_delay);
        std::size_t n = 0;
        for (const auto& e : entries) {
            if (e.map_id == map_id && e.enabled) {
                line(e.value, e.second);
                ++n;
            }
        }
        return n;
    }

    void Add(std::string name, MapScope scope, MapField field) {
        MapInfo m;
        m.id = static_cast<std::int64_t>(maps.size()) + 1;
        m.name = std::move(name);
        m.shape = MapShape{scope, field,
                           scope == MapScope::kPersonal ? std::optional(MapField::kEmail)
                                                        : std::nullopt};
        m.builtin = true;
        maps.push_back(m);
    }

    std::vector<MapInfo> maps;
    std::vector<MapEntry> entries;
    std::int64_t next_id = 1;
    std::int64_t stamp = 100;
    int stamp_reads = 0;
    std::atomic<int> live_reads{0};
    std::chrono::milliseconds live_delay{0};  // how long reading the entries takes
};

constexpr const char* kPersonal = "personal_smtp_from_rcpt_allow";

class MapEditorTest : public ::testing::Test {
  protected:
    MapCaller User(std::int64_t id, std::string address) {
        return MapCaller{Actor{.id = id, .username = "u" + std::to_string(id)}, false,
                         {std::move(address)}};
    }
    MapCaller Admin() { return MapCaller{Actor{.id = 99, .username = "admin"}, true, {}}; }

    MemoryMapRepo repo;
    testing::FakeAudit audit_log;
    AuditTrail audit{audit_log, [] { return std::int64_t{1}; }};
    std::int64_t now = 1'800'000'000'000;
    MapEditor editor{repo, audit, MapEditorOptions{.max_lines = 5}, {}, [this] { return now; }};
};

TEST_F(MapEditorTest, UsersAddOnlyPersonalEntriesForTheirOwnAddresses) {
    const auto alice = User(1, "alice@x.org");
    auto r = editor.AddLines(alice, kPersonal,
                             "a@p.org alice@x.org\nb@p.org bob@x.org\nnot-a-pair\n", {});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->ids.size(), 1U);
    ASSERT_EQ(r->errors.size(), 2U);
    EXPECT_EQ(r->errors[0].line, 2U);
    EXPECT_EQ(r->errors[1].line, 3U);
    EXPECT_EQ(repo.entries[0].owner_id, 1);
    EXPECT_EQ(editor.AddLines(alice, "ip_block", "192.0.2.1", {}).error().code,
              ErrorCode::kNotFound);
    // Lines over the limit, a comment with a control character, an expiry in the past.
    EXPECT_EQ(editor.AddLines(alice, kPersonal, "1\n2\n3\n4\n5\n6", {}).error().code,
              ErrorCode::kInvalidArgument);
    EXPECT_TRUE(editor.AddLines(alice, kPersonal, "1\n2\n3\n4\n5\n", {}));
    EXPECT_EQ(editor.AddLines(alice, kPersonal, "x", {.comment = "a\tb"}).error().code,
              ErrorCode::kInvalidArgument);
    EXPECT_EQ(editor.AddLines(alice, kPersonal, "x", {.expires_at = now}).error().code,
              ErrorCode::kInvalidArgument);
}

TEST_F(MapEditorTest, AnotherUsersEntryIsNotFoundAndAdminsEntriesReadOnly) {
    const auto alice = User(1, "alice@x.org");
    const auto bob = User(2, "alice@x.org");  // shares the address
    auto mine = editor.AddLines(alice, kPersonal, "a@p.org alice@x.org", {});
    auto admins = editor.AddLines(Admin(), kPersonal, "adm@p.org alice@x.org", {});
    ASSERT_TRUE(mine && admins);
    const std::int64_t id = mine->ids[0];
    EXPECT_EQ(editor.UpdateEntry(bob, kPersonal, id, {.enabled = false}).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(editor.DeleteEntries(bob, kPersonal, {id}).error().code, ErrorCode::kNotFound);
    auto seen = editor.Search(bob, kPersonal, "", std::nullopt, 100);
    ASSERT_TRUE(seen);
    ASSERT_EQ(seen->size(), 1U);  // the admin's entry only
    EXPECT_EQ((*seen)[0].value, "adm@p.org");
    EXPECT_EQ(editor.UpdateEntry(alice, kPersonal, admins->ids[0], {.enabled = false})
                  .error()
                  .code,
              ErrorCode::kPermissionDenied);
    EXPECT_EQ(editor.DeleteAll(alice, kPersonal).error().code, ErrorCode::kPermissionDenied);
    ASSERT_TRUE(editor.UpdateEntry(alice, kPersonal, id, {.enabled = false}));
    EXPECT_EQ(editor.Export(alice, kPersonal).value_or(""),
              "# a@p.org alice@x.org\nadm@p.org alice@x.org\n");
}

TEST_F(MapEditorTest, ConfigurationLetsUsersEditOrHidesAdminsEntries) {
    MapEditor open(repo, audit, MapEditorOptions{.users_edit_admin_entries = true});
    MapEditor closed(repo, audit, MapEditorOptions{.users_see_admin_entries = false});
    auto admins = editor.AddLines(Admin(), kPersonal, "adm@p.org alice@x.org", {});
    ASSERT_TRUE(admins);
    const auto alice = User(1, "alice@x.org");
    EXPECT_TRUE(open.UpdateEntry(alice, kPersonal, admins->ids[0], {.comment = "ok"}));
    EXPECT_TRUE(closed.Search(alice, kPersonal, "", std::nullopt, 100)->empty());
    EXPECT_EQ(closed.UpdateEntry(alice, kPersonal, admins->ids[0], {.comment = "no"})
                  .error()
                  .code,
              ErrorCode::kNotFound);
}

TEST_F(MapEditorTest, EveryChangeIsAuditedAndPublishedAtOnce) {
    MapPublisher publisher(repo, [this] { return now; }, 1000);
    editor.OnChange([&](const std::string& name) { publisher.Invalidate(name); });
    auto first = publisher.Get("ip_block");
    ASSERT_TRUE(first);
    EXPECT_EQ((*first)->body.front(), '#');  // never empty
    auto added = editor.AddLines(Admin(), "ip_block", "192.0.2.1\n198.51.100.0/24", {});
    ASSERT_TRUE(added);
    auto second = publisher.Get("ip_block");
    ASSERT_TRUE(second);
    EXPECT_EQ((*second)->body, "192.0.2.1\n198.51.100.0/24\n");
    EXPECT_NE((*second)->etag, (*first)->etag);
    // Unchanged and within the second: no query at all.
    const int reads = repo.stamp_reads;
    ASSERT_TRUE(publisher.Get("ip_block"));
    EXPECT_EQ(repo.stamp_reads, reads);
    ASSERT_TRUE(editor.DeleteEntries(Admin(), "ip_block", {added->ids[0]}));
    EXPECT_EQ((*publisher.Get("ip_block"))->body, "198.51.100.0/24\n");
    EXPECT_EQ(audit_log.Actions(),
              (std::vector<std::string>{"map.entry.add", "map.entry.delete"}));
    EXPECT_EQ(audit_log.entries[0].target, "map:ip_block");
    EXPECT_EQ(editor.DeleteMap(Admin(), "ip_block").error().code, ErrorCode::kConflict);
    EXPECT_EQ(editor.UpdateMap(Admin(), "ip_block", "ip_block2", std::nullopt).error().code,
              ErrorCode::kConflict);
    EXPECT_EQ(editor.CreateMap(User(1, "a@x.org"), "mine", MapField::kIp, "").error().code,
              ErrorCode::kPermissionDenied);
    EXPECT_EQ(editor.CreateMap(Admin(), "../x", MapField::kIp, "").error().code,
              ErrorCode::kInvalidArgument);
}

TEST_F(MapEditorTest, RenamingACustomMapMovesItsEntriesAndRepublishes) {
    MapPublisher publisher(repo, [this] { return now; }, 1000);
    editor.OnChange([&](const std::string& name) { publisher.Invalidate(name); });
    ASSERT_TRUE(editor.CreateMap(Admin(), "old.list", MapField::kDomain, "first"));
    ASSERT_TRUE(editor.AddLines(Admin(), "old.list", "example.org", {}));
    ASSERT_TRUE(publisher.Get("old.list"));
    ASSERT_NE(publisher.Fresh("old.list"), nullptr);  // served from memory
    EXPECT_EQ(editor.UpdateMap(User(1, "a@x.org"), "old.list", "x", std::nullopt).error().code,
              ErrorCode::kPermissionDenied);
    EXPECT_EQ(editor.UpdateMap(Admin(), "old.list", "Bad Name", std::nullopt).error().code,
              ErrorCode::kInvalidArgument);
    EXPECT_EQ(editor.UpdateMap(Admin(), "old.list", kPersonal, std::nullopt).error().code,
              ErrorCode::kConflict);
    EXPECT_EQ(editor.UpdateMap(Admin(), "nope", "x", std::nullopt).error().code,
              ErrorCode::kNotFound);
    auto renamed = editor.UpdateMap(Admin(), "old.list", "new-list", "second");
    ASSERT_TRUE(renamed) << renamed.error().public_msg;
    EXPECT_EQ(renamed->name, "new-list");
    EXPECT_EQ(renamed->description, "second");
    // The old name is gone at once, not after the stamp's second.
    EXPECT_EQ(publisher.Fresh("old.list"), nullptr);
    EXPECT_EQ(publisher.Get("old.list").error().code, ErrorCode::kNotFound);
    auto body = publisher.Get("new-list");
    ASSERT_TRUE(body);
    EXPECT_EQ((*body)->body, "example.org\n");
    EXPECT_EQ(audit_log.Actions().back(), "map.rename");
}

// After a restart every Rspamd worker polls at once: one of them reads the
// map, the others wait for its body instead of each reading it again.
TEST_F(MapEditorTest, ConcurrentFirstPollsReadTheMapOnce) {
    ASSERT_TRUE(editor.AddLines(Admin(), "ip_block", "192.0.2.1", {}));
    MapPublisher publisher(repo, [this] { return now; }, 1000);
    repo.live_delay = std::chrono::milliseconds(50);
    std::vector<std::string> bodies(8);
    {
        std::vector<std::jthread> polls;
        for (std::size_t i = 0; i < bodies.size(); ++i) {
            polls.emplace_back([&, i] {
                auto m = publisher.Get("ip_block");
                if (m) bodies[i] = (*m)->body;
            });
        }
    }
    EXPECT_EQ(repo.live_reads.load(), 1);
    for (const auto& b : bodies) EXPECT_EQ(b, "192.0.2.1\n");
}

TEST_F(MapEditorTest, FreshAnswersFromMemoryAndLetsOneCallerReadTheStamp) {
    MapPublisher publisher(repo, [this] { return now; }, 1000);
    EXPECT_EQ(publisher.Fresh("ip_block"), nullptr);  // never read
    ASSERT_TRUE(publisher.Get("ip_block"));
    EXPECT_NE(publisher.Fresh("ip_block"), nullptr);
    now += 999;
    EXPECT_NE(publisher.Fresh("ip_block"), nullptr);
    now += 1;
    // Past the TTL: the first caller is sent to read the stamp, the others
    // are answered from memory meanwhile instead of all querying at once.
    EXPECT_EQ(publisher.Fresh("ip_block"), nullptr);
    EXPECT_NE(publisher.Fresh("ip_block"), nullptr);
    EXPECT_NE(publisher.Fresh("ip_block"), nullptr);
    // A reader that never came back is replaced after kRefreshWaitMs.
    now += MapPublisher::kRefreshWaitMs;
    EXPECT_EQ(publisher.Fresh("ip_block"), nullptr);
    const int reads = repo.stamp_reads;
    ASSERT_TRUE(publisher.Get("ip_block"));
    EXPECT_EQ(repo.stamp_reads, reads + 1);
    EXPECT_NE(publisher.Fresh("ip_block"), nullptr);
    // A change made here: nobody gets the old body any more.
    publisher.Invalidate("ip_block");
    EXPECT_EQ(publisher.Fresh("ip_block"), nullptr);
    EXPECT_EQ(publisher.Fresh("ip_block"), nullptr);
}

}  // namespace
}  // namespace rqwatch::app
