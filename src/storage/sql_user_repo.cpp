#include "storage/sql_user_repo.hpp"

#include <soci/soci.h>

#include <algorithm>

#include "storage/list_page_sql.hpp"
#include "storage/queries.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"
#include "storage/unique_write.hpp"
#include "storage/user_row.hpp"
#include "util/ids.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kUsernameTaken = "username already exists";

// The user `query` selects by the value bound as `name`.
template <class Key>
Result<User> FindOne(Database& db, std::string_view query, const Key& key, const char* name) {
    return db.Run<User>("looking up a user", [&](soci::session& sql) -> Result<User> {
        UserRow row;
        soci::statement st(sql);
        BindInto(st, row);
        st.exchange(soci::use(key, name));
        Prepare(st, query);
        if (!st.execute(true)) return Fail(ErrorCode::kNotFound, "no such user");
        return ToUser(row);
    });
}

// Inside a write transaction, before changing or deleting user `id`: locks
// every admin row, then the user's, until COMMIT, and refuses (kConflict)
// when the change would leave no admin: `id` is an admin, will not stay
// one, and no other admin row exists. Locking the other admins is what
// keeps two concurrent writers from each removing one of the last two
// (SQLite: BeginWrite's lock). Every writer locks the admin rows first and
// in id order, so that they wait for each other instead of deadlocking.
// kNotFound when `id` does not exist.
Result<void> CheckAdminsRemain(soci::session& sql, const Dialect& dialect, std::int64_t id,
                               bool stays_admin) {
    const std::string lock(dialect.ForUpdate());
    std::vector<std::int64_t> admins;
    {
        std::int64_t admin = 0;
        soci::statement st =
            MakeStatement(sql, std::string(queries::kLockAdmins) + lock, soci::into(admin));
        st.execute();
        while (st.fetch()) admins.push_back(admin);
    }
    int is_admin = 0;
    if (!ExecuteOnce(sql, std::string(queries::kLockUser) + lock, soci::use(id, "id"),
                     soci::into(is_admin))) {
        return Fail(ErrorCode::kNotFound, "no such user");
    }
    const bool other_admin = std::ranges::any_of(admins, [&](std::int64_t a) { return a != id; });
    if (is_admin != 0 && !stays_admin && !other_admin) {
        return Fail(ErrorCode::kConflict, "cannot remove the last admin");
    }
    return {};
}

}  // namespace

Result<std::int64_t> SqlUserRepo::Add(const User& user) {
    auto checked = ToUserRow(user);
    if (!checked) return std::unexpected(checked.error());
    UserRow& row = *checked;
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<std::int64_t>("adding a user", [&](soci::session& sql) -> Result<std::int64_t> {
        std::int64_t created_at = row.created_at != 0 ? row.created_at : util::NowUnixMs();
        // A transaction so that the insert and LastInsertId see the same
        // row whatever the dialect does between statements.
        WriteTransaction tx(sql, dialect);
        auto inserted = WriteUnique(dialect, kUsernameTaken, [&] {
            soci::statement st(sql);
            BindWritten(st, row);
            st.exchange(soci::use(created_at, "created_at"));
            st.exchange(soci::use(created_at, "updated_at"));
            st.exchange(soci::use(row.last_login, row.last_login_ind, "last_login"));
            Prepare(st, queries::kInsertUser);
            st.execute(true);
        });
        if (!inserted) return std::unexpected(inserted.error());
        const std::int64_t new_id = dialect.LastInsertId(sql, "users");
        tx.Commit();
        return new_id;
    });
}

Result<User> SqlUserRepo::FindByUsername(const std::string& username) {
    return FindOne(*db_, queries::kSelectUserByName, username, "username");
}

Result<User> SqlUserRepo::FindById(std::int64_t id) {
    return FindOne(*db_, queries::kSelectUserById, id, "id");
}

Result<std::vector<User>> SqlUserRepo::List(const app::UserListQuery& query) {
    auto page = ListPageSql::Create("users.id", query.limit, query.before_id);
    if (!page) return std::unexpected(page.error());
    page->AddContains({"users.username", "users.email", "users.first_name", "users.last_name"},
                      query.contains);
    return db_->Run<std::vector<User>>(
        "listing users", [&](soci::session& sql) -> Result<std::vector<User>> {
            UserRow row;
            soci::statement st(sql);
            BindInto(st, row);
            page->Bind(st);
            Prepare(st, std::string(queries::kSelectUsers) + page->Tail());
            std::vector<User> out;
            st.execute();
            while (st.fetch()) out.push_back(ToUser(row));
            return out;
        });
}

Result<void> SqlUserRepo::Update(const User& user) {
    auto checked = ToUserRow(user);
    if (!checked) return std::unexpected(checked.error());
    UserRow& row = *checked;
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<void>("updating a user", [&](soci::session& sql) -> Result<void> {
        WriteTransaction tx(sql, dialect);
        if (auto ok = CheckAdminsRemain(sql, dialect, row.id, row.is_admin != 0); !ok) return ok;
        std::int64_t now = util::NowUnixMs();
        auto updated = WriteUnique(dialect, kUsernameTaken, [&] {
            soci::statement st(sql);
            BindWritten(st, row);
            st.exchange(soci::use(now, "updated_at"));
            st.exchange(soci::use(row.id, "id"));
            Prepare(st, queries::kUpdateUser);
            st.execute(true);
        });
        if (!updated) return updated;
        tx.Commit();
        return {};
    });
}

Result<void> SqlUserRepo::Delete(std::int64_t id) {
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<void>("deleting a user", [&](soci::session& sql) -> Result<void> {
        WriteTransaction tx(sql, dialect);
        if (auto ok = CheckAdminsRemain(sql, dialect, id, false); !ok) return ok;
        ExecuteOnce(sql, queries::kDeleteUser, soci::use(id, "id"));
        tx.Commit();
        return {};
    });
}

Result<void> SqlUserRepo::RecordLogin(std::int64_t id, std::int64_t at) {
    return db_->Run<void>("recording a login", [&](soci::session& sql) -> Result<void> {
        long long changed = 0;
        {
            soci::statement st = MakeStatement(sql, queries::kSetLastLogin,
                                               soci::use(at, "last_login"), soci::use(id, "id"));
            st.execute(true);
            changed = st.get_affected_rows();
        }
        if (changed > 0) return {};
        // MariaDB counts only changed rows unless the client asks for found
        // rows: a second login in the same millisecond changes nothing.
        int count = 0;
        ExecuteOnce(sql, queries::kCountUserById, soci::use(id, "id"), soci::into(count));
        if (count == 0) return Fail(ErrorCode::kNotFound, "no such user");
        return {};
    });
}

}  // namespace rqwatch::storage
