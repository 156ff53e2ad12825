// SqlUserRepo's aliases: the user_aliases table (see sql_user_repo.hpp).

#include <soci/soci.h>

#include <algorithm>

#include "storage/list_page_sql.hpp"
#include "storage/queries.hpp"
#include "storage/sql_user_repo.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"
#include "storage/unique_write.hpp"
#include "storage/user_row.hpp"
#include "util/ids.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kAliasTaken = "the user has this alias already";

constexpr std::string_view kSelectAliases =
    "SELECT user_aliases.id, user_aliases.user_id, user_aliases.alias, user_aliases.created_at, "
    "user_aliases.updated_at FROM user_aliases";
// Joined for ListAliases, which also searches the owner's username.
constexpr std::string_view kJoinOwner = " JOIN users ON users.id = user_aliases.user_id";
constexpr std::string_view kInsertAlias =
    "INSERT INTO user_aliases (user_id, alias, created_at, updated_at) "
    "VALUES (:user_id, :alias, :created_at, :updated_at)";
constexpr std::string_view kCountAlias = "SELECT COUNT(*) FROM user_aliases WHERE id = :id";
constexpr std::string_view kUpdateAlias =
    "UPDATE user_aliases SET alias = :alias, updated_at = :updated_at WHERE id = :id";
constexpr std::string_view kDeleteAlias = "DELETE FROM user_aliases WHERE id = :id";

void BindInto(soci::statement& st, Alias& a) {
    st.exchange(soci::into(a.id));
    st.exchange(soci::into(a.user_id));
    st.exchange(soci::into(a.alias));
    st.exchange(soci::into(a.created_at));
    st.exchange(soci::into(a.updated_at));
}

std::vector<Alias> FetchAll(soci::statement& st, Alias& a) {
    std::vector<Alias> out;
    st.execute();
    while (st.fetch()) out.push_back(a);
    return out;
}

// kNotFound unless user `user_id` exists (its aliases' foreign key would
// fail with a conflict instead).
Result<void> CheckUser(soci::session& sql, std::int64_t user_id) {
    int count = 0;
    ExecuteOnce(sql, queries::kCountUserById, soci::use(user_id, "id"), soci::into(count));
    if (count == 0) return Fail(ErrorCode::kNotFound, "no such user");
    return {};
}

// Inserts `alias` (normalised) for `user_id`; the caller's transaction
// commits. Returns its id.
Result<std::int64_t> Insert(soci::session& sql, const Dialect& dialect, std::int64_t user_id,
                            const std::string& alias) {
    std::int64_t now = util::NowUnixMs();
    auto inserted = WriteUnique(dialect, kAliasTaken, [&] {
        ExecuteOnce(sql, kInsertAlias, soci::use(user_id, "user_id"), soci::use(alias, "alias"),
                    soci::use(now, "created_at"), soci::use(now, "updated_at"));
    });
    if (!inserted) return std::unexpected(inserted.error());
    return dialect.LastInsertId(sql, "user_aliases");
}

}  // namespace

Result<std::vector<Alias>> SqlUserRepo::AliasesOf(std::int64_t user_id) {
    return db_->Run<std::vector<Alias>>(
        "listing a user's aliases", [&](soci::session& sql) -> Result<std::vector<Alias>> {
            Alias a;
            soci::statement st(sql);
            BindInto(st, a);
            st.exchange(soci::use(user_id, "user_id"));
            Prepare(st, std::string(kSelectAliases) +
                            " WHERE user_aliases.user_id = :user_id ORDER BY user_aliases.alias");
            return FetchAll(st, a);
        });
}

Result<Alias> SqlUserRepo::FindAlias(std::int64_t alias_id) {
    return db_->Run<Alias>("reading an alias", [&](soci::session& sql) -> Result<Alias> {
        Alias a;
        soci::statement st(sql);
        BindInto(st, a);
        st.exchange(soci::use(alias_id, "id"));
        Prepare(st, std::string(kSelectAliases) + " WHERE user_aliases.id = :id");
        std::vector<Alias> found = FetchAll(st, a);
        if (found.empty()) return Fail(ErrorCode::kNotFound, "no such alias");
        return found.front();
    });
}

Result<std::vector<Alias>> SqlUserRepo::ListAliases(const app::UserListQuery& query) {
    auto page = ListPageSql::Create("user_aliases.id", query.limit, query.before_id);
    if (!page) return std::unexpected(page.error());
    page->AddContains({"user_aliases.alias", "users.username"}, query.contains);
    return db_->Run<std::vector<Alias>>(
        "listing aliases", [&](soci::session& sql) -> Result<std::vector<Alias>> {
            Alias a;
            soci::statement st(sql);
            BindInto(st, a);
            page->Bind(st);
            Prepare(st, std::string(kSelectAliases) + std::string(kJoinOwner) + page->Tail());
            return FetchAll(st, a);
        });
}

Result<std::int64_t> SqlUserRepo::AddAlias(std::int64_t user_id, const std::string& alias) {
    auto normal = NormalizeAlias(alias);
    if (!normal) return std::unexpected(normal.error());
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<std::int64_t>("adding an alias",
                                  [&](soci::session& sql) -> Result<std::int64_t> {
                                      WriteTransaction tx(sql, dialect);
                                      if (auto ok = CheckUser(sql, user_id); !ok)
                                          return std::unexpected(ok.error());
                                      auto id = Insert(sql, dialect, user_id, *normal);
                                      if (id) tx.Commit();
                                      return id;
                                  });
}

Result<void> SqlUserRepo::UpdateAlias(std::int64_t alias_id, const std::string& alias) {
    auto normal = NormalizeAlias(alias);
    if (!normal) return std::unexpected(normal.error());
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<void>("updating an alias", [&](soci::session& sql) -> Result<void> {
        WriteTransaction tx(sql, dialect);
        int count = 0;
        ExecuteOnce(sql, kCountAlias, soci::use(alias_id, "id"), soci::into(count));
        if (count == 0) return Fail(ErrorCode::kNotFound, "no such alias");
        std::int64_t now = util::NowUnixMs();
        auto updated = WriteUnique(dialect, kAliasTaken, [&] {
            ExecuteOnce(sql, kUpdateAlias, soci::use(*normal, "alias"),
                        soci::use(now, "updated_at"), soci::use(alias_id, "id"));
        });
        if (!updated) return updated;
        tx.Commit();
        return {};
    });
}

Result<void> SqlUserRepo::DeleteAlias(std::int64_t alias_id) {
    return db_->Run<void>("deleting an alias", [&](soci::session& sql) -> Result<void> {
        soci::statement st = MakeStatement(sql, kDeleteAlias, soci::use(alias_id, "id"));
        st.execute(true);
        if (st.get_affected_rows() == 0) return Fail(ErrorCode::kNotFound, "no such alias");
        return {};
    });
}

Result<void> SqlUserRepo::SetAliases(std::int64_t user_id,
                                     const std::vector<std::string>& aliases) {
    std::vector<std::string> wanted;
    for (const std::string& alias : aliases) {
        auto normal = NormalizeAlias(alias);
        if (!normal) return std::unexpected(normal.error());
        if (std::ranges::find(wanted, *normal) == wanted.end()) wanted.push_back(*normal);
    }
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<void>("setting a user's aliases", [&](soci::session& sql) -> Result<void> {
        WriteTransaction tx(sql, dialect);
        if (auto ok = CheckUser(sql, user_id); !ok) return ok;
        std::vector<Alias> existing;
        {
            Alias a;
            soci::statement st(sql);
            BindInto(st, a);
            st.exchange(soci::use(user_id, "user_id"));
            Prepare(st, std::string(kSelectAliases) + " WHERE user_aliases.user_id = :user_id");
            existing = FetchAll(st, a);
        }
        // Those that stay keep their rows (ids, created_at).
        for (const Alias& a : existing) {
            if (std::ranges::find(wanted, a.alias) != wanted.end()) continue;
            ExecuteOnce(sql, kDeleteAlias, soci::use(a.id, "id"));
        }
        for (const std::string& alias : wanted) {
            if (std::ranges::find(existing, alias, &Alias::alias) != existing.end()) continue;
            if (auto id = Insert(sql, dialect, user_id, alias); !id) {
                return std::unexpected(id.error());
            }
        }
        tx.Commit();
        return {};
    });
}

}  // namespace rqwatch::storage
