#include "storage/sql_map_repo.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <soci/soci.h>

#include <algorithm>

#include "storage/column_limits.hpp"
#include "storage/like_pattern.hpp"
#include "storage/sqlite_functions.hpp"
#include "storage/sqlite_native.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"
#include "storage/unique_write.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kMapColumns =
    "m.id, m.name, m.scope, m.field, m.list_kind, m.description, m.builtin, m.created_at, "
    "m.changed_at";
constexpr std::string_view kEntryColumns =
    "e.id, e.map_id, e.value, e.rcpt, e.score, e.enabled, e.comment, e.expires_at, e.owner_id, "
    "e.created_by, u.username, e.created_at, e.updated_at";
constexpr std::string_view kEntryFrom = " FROM map_entries e LEFT JOIN users u ON u.id = e.created_by";
// max(now, stamp + 1): Last-Modified strictly increases, even when two
// nodes write within one second. Each name bound once (see list_page_sql).
constexpr std::string_view kBump =
    "UPDATE maps SET changed_at = CASE WHEN changed_at + 1 > :now1 THEN changed_at + 1 "
    "ELSE :now2 END WHERE id = :id";
constexpr std::string_view kEntryInsertColumns =
    "map_id, value_key, value, rcpt, score, enabled, comment, expires_at, owner_id, created_by, "
    "created_at, updated_at";
constexpr std::size_t kMaxValue = 1024;
constexpr std::size_t kMaxRcpt = 512;
constexpr std::size_t kMaxComment = 255;

struct MapRow {
    app::MapInfo m;
    std::string scope, field, kind;
    int builtin = 0;

    void BindInto(soci::statement& st) {
        st.exchange(soci::into(m.id));
        st.exchange(soci::into(m.name));
        st.exchange(soci::into(scope));
        st.exchange(soci::into(field));
        st.exchange(soci::into(kind));
        st.exchange(soci::into(m.description));
        st.exchange(soci::into(builtin));
        st.exchange(soci::into(m.created_at));
        st.exchange(soci::into(m.changed_at));
    }
    [[nodiscard]] app::MapInfo Get() const {
        app::MapInfo out = m;
        out.shape.scope = app::ParseMapScope(scope).value_or(MapScope::kCustom);
        out.shape.first = ParseMapField(field).value_or(MapField::kText);
        if (out.shape.scope == MapScope::kCombined || out.shape.scope == MapScope::kPersonal) {
            out.shape.second = MapField::kEmail;
        }
        out.kind = app::ParseMapListKind(kind).value_or(app::MapListKind::kCustom);
        out.builtin = builtin != 0;
        return out;
    }
};

struct EntryRow {
    app::MapEntry e;
    int enabled = 1;
    std::int64_t expires_at = 0, owner_id = 0, created_by = 0;
    soci::indicator expires_ind = soci::i_null, owner_ind = soci::i_null,
                    created_by_ind = soci::i_null, name_ind = soci::i_null;
    std::string created_by_name;

    void BindInto(soci::statement& st) {
        st.exchange(soci::into(e.id));
        st.exchange(soci::into(e.map_id));
        st.exchange(soci::into(e.value));
        st.exchange(soci::into(e.second));
        st.exchange(soci::into(e.score));
        st.exchange(soci::into(enabled));
        st.exchange(soci::into(e.comment));
        st.exchange(soci::into(expires_at, expires_ind));
        st.exchange(soci::into(owner_id, owner_ind));
        st.exchange(soci::into(created_by, created_by_ind));
        st.exchange(soci::into(created_by_name, name_ind));
        st.exchange(soci::into(e.created_at));
        st.exchange(soci::into(e.updated_at));
    }
    [[nodiscard]] app::MapEntry Get() const {
        app::MapEntry out = e;
        out.enabled = enabled != 0;
        out.expires_at = expires_ind == soci::i_null ? std::nullopt : std::optional(expires_at);
        out.owner_id = owner_ind == soci::i_null ? std::nullopt : std::optional(owner_id);
        out.created_by = created_by_ind == soci::i_null ? std::nullopt : std::optional(created_by);
        out.created_by_name = name_ind == soci::i_null ? "" : created_by_name;
        return out;
    }
};

bool Fits(const std::string& value, std::size_t max_chars) {
    return limits::CutCopy(value, max_chars) == value;
}

Result<void> CheckEntrySizes(const std::string& value, const std::string& rcpt,
                             const std::string& comment) {
    if (value.empty() || !Fits(value, kMaxValue) || !Fits(rcpt, kMaxRcpt) ||
        !Fits(comment, kMaxComment)) {
        return Fail(ErrorCode::kInvalidArgument, "map entry value, recipient or comment too long");
    }
    return {};
}

void Bump(soci::session& sql, std::int64_t map_id, std::int64_t now_ms) {
    const std::int64_t now_s = now_ms / 1000;
    ExecuteOnce(sql, kBump, soci::use(now_s, "now1"), soci::use(now_s, "now2"),
                soci::use(map_id, "id"));
}

template <class Bind>
std::vector<app::MapEntry> FetchEntries(soci::session& sql, const std::string& query, Bind bind) {
    EntryRow row;
    soci::statement st(sql);
    row.BindInto(st);
    bind(st);
    Prepare(st, query);
    std::vector<app::MapEntry> out;
    st.execute();
    while (st.fetch()) out.push_back(row.Get());
    return out;
}

}  // namespace

std::string MapEntryKey(const std::string& value, const std::string& second) {
    const std::string joined = value + "\n" + second;
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(joined.data()),
                       joined.size(), nullptr, 0);
    std::string hex(sizeof hash * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), hash, sizeof hash);
    hex.pop_back();
    return hex;
}

Result<std::vector<app::MapInfo>> SqlMapRepo::List() {
    return db_->Run<std::vector<app::MapInfo>>(
        "listing maps", [&](soci::session& sql) -> Result<std::vector<app::MapInfo>> {
            MapRow row;
            std::int64_t count = 0;
            soci::statement st(sql);
            row.BindInto(st);
            st.exchange(soci::into(count));
            Prepare(st, fmt::format("SELECT {}, (SELECT COUNT(*) FROM map_entries e WHERE "
                                    "e.map_id = m.id) FROM maps m ORDER BY m.name",
                                    kMapColumns));
            std::vector<app::MapInfo> out;
            st.execute();
            while (st.fetch()) {
                out.push_back(row.Get());
                out.back().entry_count = count;
            }
            return out;
        });
}

Result<app::MapInfo> SqlMapRepo::Find(const std::string& name) {
    if (!ValidMapName(name)) return Fail(ErrorCode::kNotFound, "no such map");
    return db_->Run<app::MapInfo>("looking up a map", [&](soci::session& sql) -> Result<app::MapInfo> {
        MapRow row;
        soci::statement st(sql);
        row.BindInto(st);
        st.exchange(soci::use(name, "name"));
        Prepare(st, fmt::format("SELECT {} FROM maps m WHERE m.name = :name", kMapColumns));
        if (!st.execute(true)) return Fail(ErrorCode::kNotFound, "no such map");
        return row.Get();
    });
}

Result<std::int64_t> SqlMapRepo::Create(const app::MapInfo& map, std::int64_t now_ms) {
    if (!ValidMapName(map.name) || !Fits(map.description, limits::kShort)) {
        return Fail(ErrorCode::kInvalidArgument, "map name or description invalid");
    }
    const Dialect& dialect = db_->GetDialect();
    const std::string scope(app::MapScopeName(map.shape.scope));
    const std::string field(MapFieldName(map.shape.first));
    const std::string kind(app::MapListKindName(map.kind));
    const int builtin = map.builtin ? 1 : 0;
    const std::int64_t now_s = now_ms / 1000;
    return db_->Run<std::int64_t>("creating a map", [&](soci::session& sql) -> Result<std::int64_t> {
        WriteTransaction tx(sql, dialect);
        auto inserted = WriteUnique(dialect, "a map of that name exists already", [&] {
            ExecuteOnce(sql,
                        "INSERT INTO maps (name, scope, field, list_kind, description, builtin, "
                        "created_at, changed_at) VALUES (:name, :scope, :field, :kind, :descr, "
                        ":builtin, :created_at, :changed_at)",
                        soci::use(map.name, "name"), soci::use(scope, "scope"),
                        soci::use(field, "field"), soci::use(kind, "kind"),
                        soci::use(map.description, "descr"), soci::use(builtin, "builtin"),
                        soci::use(now_ms, "created_at"), soci::use(now_s, "changed_at"));
        });
        if (!inserted) return std::unexpected(inserted.error());
        const std::int64_t id = dialect.LastInsertId(sql, "maps");
        tx.Commit();
        return id;
    });
}

Result<void> SqlMapRepo::Delete(std::int64_t map_id) {
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<void>("deleting a map", [&](soci::session& sql) -> Result<void> {
        WriteTransaction tx(sql, dialect);
        // Explicitly, not only by ON DELETE CASCADE: SQLite enforces foreign
        // keys only when the connection enables them.
        ExecuteOnce(sql, "DELETE FROM map_entries WHERE map_id = :id", soci::use(map_id, "id"));
        soci::statement st = MakeStatement(sql, "DELETE FROM maps WHERE id = :id", soci::use(map_id, "id"));
        st.execute(true);
        if (st.get_affected_rows() == 0) return Fail(ErrorCode::kNotFound, "no such map");
        tx.Commit();
        return {};
    });
}

Result<void> SqlMapRepo::Rename(std::int64_t map_id, const std::string& name,
                               const std::string& description, std::int64_t now_ms) {
    if (!ValidMapName(name) || !Fits(description, limits::kShort)) {
        return Fail(ErrorCode::kInvalidArgument, "map name or description invalid");
    }
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<void>("renaming a map", [&](soci::session& sql) -> Result<void> {
        WriteTransaction tx(sql, dialect);
        std::int64_t affected = 0;
        auto updated = WriteUnique(dialect, "a map of that name exists already", [&] {
            soci::statement st = MakeStatement(
                sql, "UPDATE maps SET name = :name, description = :descr WHERE id = :id",
                soci::use(name, "name"), soci::use(description, "descr"),
                soci::use(map_id, "id"));
            st.execute(true);
            affected = st.get_affected_rows();
        });
        if (!updated) return std::unexpected(updated.error());
        if (affected == 0) return Fail(ErrorCode::kNotFound, "no such map");
        Bump(sql, map_id, now_ms);
        tx.Commit();
        return {};
    });
}

Result<app::AddEntriesResult> SqlMapRepo::AddEntries(std::int64_t map_id,
                                                     const std::vector<app::NewMapEntry>& entries,
                                                     std::int64_t now_ms) {
    for (const auto& e : entries) {
        if (auto ok = CheckEntrySizes(e.value, e.second, e.comment); !ok) {
            return std::unexpected(ok.error());
        }
    }
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<app::AddEntriesResult>(
        "adding map entries", [&](soci::session& sql) -> Result<app::AddEntriesResult> {
            WriteTransaction tx(sql, dialect);
            app::AddEntriesResult out;
            if (entries.empty()) return out;
            // One prepared statement, run per row: the affected-row count
            // tells a duplicate (skipped) from an added entry.
            std::string key, value, rcpt, comment;
            double score = 0;
            int enabled = 1;
            std::int64_t expires = 0, owner = 0, creator = 0;
            soci::indicator expires_ind = soci::i_null, owner_ind = soci::i_null,
                            creator_ind = soci::i_null;
            soci::statement st = MakeStatement(
                sql,
                dialect.InsertIgnoreRows(
                    "map_entries", kEntryInsertColumns,
                    "(:map_id, :value_key, :value, :rcpt, :score, :enabled, :comment, "
                    ":expires_at, :owner_id, :created_by, :created_at, :updated_at)"),
                soci::use(map_id, "map_id"), soci::use(key, "value_key"),
                soci::use(value, "value"), soci::use(rcpt, "rcpt"), soci::use(score, "score"),
                soci::use(enabled, "enabled"), soci::use(comment, "comment"),
                soci::use(expires, expires_ind, "expires_at"),
                soci::use(owner, owner_ind, "owner_id"),
                soci::use(creator, creator_ind, "created_by"),
                soci::use(now_ms, "created_at"), soci::use(now_ms, "updated_at"));
            for (std::size_t i = 0; i < entries.size(); ++i) {
                const app::NewMapEntry& e = entries[i];
                key = MapEntryKey(e.value, e.second);
                value = e.value;
                rcpt = e.second;
                score = e.score;
                enabled = e.enabled ? 1 : 0;
                comment = e.comment;
                expires = e.expires_at.value_or(0);
                expires_ind = e.expires_at ? soci::i_ok : soci::i_null;
                owner = e.owner_id.value_or(0);
                owner_ind = e.owner_id ? soci::i_ok : soci::i_null;
                creator = e.created_by.value_or(0);
                creator_ind = e.created_by ? soci::i_ok : soci::i_null;
                st.execute(true);
                if (st.get_affected_rows() == 0) {
                    out.duplicates.push_back(i);
                } else {
                    out.ids.push_back(dialect.LastInsertId(sql, "map_entries"));
                }
            }
            if (!out.ids.empty()) Bump(sql, map_id, now_ms);
            tx.Commit();
            return out;
        });
}

Result<app::MapEntry> SqlMapRepo::FindEntry(std::int64_t map_id, std::int64_t entry_id) {
    return db_->Run<app::MapEntry>(
        "looking up a map entry", [&](soci::session& sql) -> Result<app::MapEntry> {
            auto rows = FetchEntries(
                sql,
                fmt::format("SELECT {}{} WHERE e.id = :id AND e.map_id = :map_id", kEntryColumns,
                            kEntryFrom),
                [&](soci::statement& st) {
                    st.exchange(soci::use(entry_id, "id"));
                    st.exchange(soci::use(map_id, "map_id"));
                });
            if (rows.empty()) return Fail(ErrorCode::kNotFound, "no such map entry");
            return rows.front();
        });
}

Result<void> SqlMapRepo::UpdateEntry(const app::MapEntry& entry, std::int64_t now_ms) {
    if (auto ok = CheckEntrySizes(entry.value, entry.second, entry.comment); !ok) {
        return std::unexpected(ok.error());
    }
    const Dialect& dialect = db_->GetDialect();
    const std::string key = MapEntryKey(entry.value, entry.second);
    const int enabled = entry.enabled ? 1 : 0;
    std::int64_t expires = entry.expires_at.value_or(0);
    soci::indicator expires_ind = entry.expires_at ? soci::i_ok : soci::i_null;
    return db_->Run<void>("updating a map entry", [&](soci::session& sql) -> Result<void> {
        WriteTransaction tx(sql, dialect);
        std::int64_t affected = 0;
        auto written = WriteUnique(dialect, "that entry is in the map already", [&] {
            soci::statement st = MakeStatement(
                sql,
                "UPDATE map_entries SET value_key = :value_key, value = :value, rcpt = :rcpt, "
                "score = :score, enabled = :enabled, comment = :comment, expires_at = :expires_at, "
                "updated_at = :updated_at WHERE id = :id AND map_id = :map_id",
                soci::use(key, "value_key"), soci::use(entry.value, "value"),
                soci::use(entry.second, "rcpt"), soci::use(entry.score, "score"),
                soci::use(enabled, "enabled"), soci::use(entry.comment, "comment"),
                soci::use(expires, expires_ind, "expires_at"), soci::use(now_ms, "updated_at"),
                soci::use(entry.id, "id"), soci::use(entry.map_id, "map_id"));
            st.execute(true);
            affected = st.get_affected_rows();
        });
        if (!written) return std::unexpected(written.error());
        if (affected == 0) return Fail(ErrorCode::kNotFound, "no such map entry");
        Bump(sql, entry.map_id, now_ms);
        tx.Commit();
        return {};
    });
}

Result<std::int64_t> SqlMapRepo::DeleteEntries(std::int64_t map_id,
                                               const std::vector<std::int64_t>& ids,
                                               std::int64_t now_ms) {
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<std::int64_t>(
        "deleting map entries", [&](soci::session& sql) -> Result<std::int64_t> {
            WriteTransaction tx(sql, dialect);
            std::int64_t id = 0;
            soci::statement st =
                MakeStatement(sql, "DELETE FROM map_entries WHERE id = :id AND map_id = :map_id",
                              soci::use(id, "id"), soci::use(map_id, "map_id"));
            std::int64_t deleted = 0;
            for (std::int64_t each : ids) {
                id = each;
                st.execute(true);
                deleted += st.get_affected_rows();
            }
            if (deleted > 0) Bump(sql, map_id, now_ms);
            tx.Commit();
            return deleted;
        });
}

Result<std::int64_t> SqlMapRepo::DeleteAllEntries(std::int64_t map_id, std::int64_t now_ms) {
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<std::int64_t>(
        "deleting map entries", [&](soci::session& sql) -> Result<std::int64_t> {
            WriteTransaction tx(sql, dialect);
            soci::statement st = MakeStatement(sql, "DELETE FROM map_entries WHERE map_id = :map_id",
                                               soci::use(map_id, "map_id"));
            st.execute(true);
            const std::int64_t deleted = st.get_affected_rows();
            if (deleted > 0) Bump(sql, map_id, now_ms);
            tx.Commit();
            return deleted;
        });
}

Result<std::vector<app::MapEntry>> SqlMapRepo::SearchEntries(std::int64_t map_id,
                                                             const app::MapEntryQuery& q) {
    if (q.limit < 1 || q.limit > 100'000) {
        return Fail(ErrorCode::kInvalidArgument, "limit must be within 1..100000");
    }
    return db_->Run<std::vector<app::MapEntry>>(
        "searching map entries", [&](soci::session& sql) -> Result<std::vector<app::MapEntry>> {
            std::string where = " WHERE e.map_id = :map_id";
            const std::string pattern = ContainsPattern(Utf8Lower(q.contains));
            if (!q.contains.empty()) {
                where +=
                    " AND (LOWER(e.value) LIKE :c0 ESCAPE '!' OR LOWER(e.rcpt) LIKE :c1 ESCAPE '!' "
                    "OR LOWER(e.comment) LIKE :c2 ESCAPE '!')";
            }
            const std::vector<std::string> rcpts =
                q.admin_entries_for.value_or(std::vector<std::string>{});
            if (q.restricted) {
                std::string own = "e.owner_id = :owner";
                if (!rcpts.empty()) {
                    std::string list;
                    for (std::size_t i = 0; i < rcpts.size(); ++i) {
                        list += fmt::format("{}:r{}", i ? ", " : "", i);
                    }
                    own += fmt::format(" OR (e.owner_id IS NULL AND e.rcpt IN ({}))", list);
                }
                where += " AND (" + own + ")";
            }
            const std::int64_t after = q.after_id.value_or(0);
            where += " AND e.id > :after ORDER BY e.id LIMIT :limit";
            const long long limit = q.limit;
            return FetchEntries(
                sql, fmt::format("SELECT {}{}{}", kEntryColumns, kEntryFrom, where),
                [&](soci::statement& st) {
                    st.exchange(soci::use(map_id, "map_id"));
                    if (!q.contains.empty()) {
                        st.exchange(soci::use(pattern, "c0"));
                        st.exchange(soci::use(pattern, "c1"));
                        st.exchange(soci::use(pattern, "c2"));
                    }
                    if (q.restricted) {
                        st.exchange(soci::use(q.owner_id, "owner"));
                        for (std::size_t i = 0; i < rcpts.size(); ++i) {
                            st.exchange(soci::use(rcpts[i], fmt::format("r{}", i)));
                        }
                    }
                    st.exchange(soci::use(after, "after"));
                    st.exchange(soci::use(limit, "limit"));
                });
        });
}

Result<app::MapStamp> SqlMapRepo::Stamp(const std::string& name, std::int64_t now_ms) {
    if (!ValidMapName(name)) return Fail(ErrorCode::kNotFound, "no such map");
    return db_->Run<app::MapStamp>("reading a map's stamp", [&](soci::session& sql) -> Result<app::MapStamp> {
        app::MapStamp out;
        std::int64_t latest_expiry = 0;
        soci::indicator expiry_ind = soci::i_null;
        if (!ExecuteOnce(sql,
                         "SELECT m.id, m.changed_at, (SELECT MAX(e.expires_at) FROM map_entries e "
                         "WHERE e.map_id = m.id AND e.expires_at <= :now1), (SELECT COUNT(*) FROM "
                         "map_entries e WHERE e.map_id = m.id AND e.expires_at <= :now2) FROM maps "
                         "m WHERE m.name = :name",
                         soci::use(now_ms, "now1"), soci::use(now_ms, "now2"),
                         soci::use(name, "name"), soci::into(out.map_id), soci::into(out.stamp),
                         soci::into(latest_expiry, expiry_ind), soci::into(out.expired))) {
            return Fail(ErrorCode::kNotFound, "no such map");
        }
        if (expiry_ind != soci::i_null) {
            // The second the entry left the map, rounded up.
            out.stamp = std::max(out.stamp, (latest_expiry + 999) / 1000);
        }
        return out;
    });
}

Result<std::size_t> SqlMapRepo::EachLiveEntry(std::int64_t map_id, std::int64_t now_ms,
                                              const LiveEntryFn& line) {
    return db_->Run<std::size_t>("reading a map", [&](soci::session& sql) -> Result<std::size_t> {
        // Only what the body needs, straight from the covering index of
        // migration 0023.
        constexpr std::string_view kLive =
            "SELECT e.value, e.rcpt FROM map_entries e WHERE e.map_id = {} AND e.enabled = 1 AND "
            "(e.expires_at IS NULL OR e.expires_at > {}) ORDER BY e.id";
        std::size_t count = 0;
        if (sqlite3* native = NativeSqlite(sql)) {
            SqliteEachRow(native, fmt::format(kLive, "?", "?"), {map_id, now_ms},
                          [&](sqlite3_stmt* st) {
                              line(SqliteText(st, 0), SqliteText(st, 1));
                              ++count;
                          });
            return count;
        }
        // Fetched in bulk: at 100,000 rows the per-row cost of a one-row
        // fetch is most of the time.
        constexpr std::size_t kBatch = 1000;
        std::vector<std::string> values(kBatch);
        std::vector<std::string> rcpts(kBatch);
        soci::statement st =
            MakeStatement(sql, fmt::format(kLive, ":map_id", ":now"), soci::into(values),
                          soci::into(rcpts), soci::use(map_id, "map_id"), soci::use(now_ms, "now"));
        st.execute();
        while (st.fetch()) {
            for (std::size_t i = 0; i < values.size(); ++i) line(values[i], rcpts[i]);
            count += values.size();
            values.resize(kBatch);
            rcpts.resize(kBatch);
        }
        return count;
    });
}

}  // namespace rqwatch::storage
