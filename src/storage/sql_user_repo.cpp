#include "storage/sql_user_repo.hpp"

#include <soci/soci.h>

#include <chrono>

#include "storage/column_limits.hpp"
#include "storage/queries.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"

namespace rqwatch::storage {

Result<std::int64_t> SqlUserRepo::Add(const User& user) {
    if (user.username.empty()) return Fail(ErrorCode::kInvalidArgument, "username is empty");
    if (limits::CutCopy(user.username, limits::kShort) != user.username) {
        return Fail(ErrorCode::kInvalidArgument, "username is longer than 255 characters");
    }
    if (limits::CutCopy(user.email, limits::kAddress) != user.email) {
        return Fail(ErrorCode::kInvalidArgument, "email address is longer than 512 characters");
    }
    const Dialect& dialect = db_->GetDialect();
    auto id =
        db_->Run<std::int64_t>("adding a user", [&](soci::session& sql) -> Result<std::int64_t> {
            int is_admin = user.is_admin ? 1 : 0;
            std::int64_t created_at = user.created_at != 0
                                          ? user.created_at
                                          : std::chrono::duration_cast<std::chrono::milliseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count();
            std::int64_t last_login = user.last_login.value_or(0);
            soci::indicator last_login_ind = user.last_login ? soci::i_ok : soci::i_null;
            // A transaction so that the insert and LastInsertId see the same
            // row whatever the dialect does between statements.
            WriteTransaction tx(sql, dialect);
            ExecuteOnce(sql, queries::kInsertUser, soci::use(user.username, "username"),
                        soci::use(user.email, "email"), soci::use(is_admin, "is_admin"),
                        soci::use(user.password_hash, "password_hash"),
                        soci::use(created_at, "created_at"),
                        soci::use(last_login, last_login_ind, "last_login"));
            const std::int64_t new_id = dialect.LastInsertId(sql, "users");
            tx.Commit();
            return new_id;
        });
    // username is the only unique key a user insert can violate.
    if (!id && id.error().code == ErrorCode::kConflict) {
        return Fail(ErrorCode::kConflict, "username already exists", std::move(id.error().detail));
    }
    return id;
}

Result<User> SqlUserRepo::FindByUsername(const std::string& username) {
    return db_->Run<User>("looking up a user", [&](soci::session& sql) -> Result<User> {
        User user;
        int is_admin = 0;
        std::int64_t last_login = 0;
        soci::indicator last_login_ind = soci::i_null;
        const bool found =
            ExecuteOnce(sql, queries::kSelectUserByName, soci::use(username, "username"),
                        soci::into(user.id), soci::into(user.username), soci::into(user.email),
                        soci::into(is_admin), soci::into(user.password_hash),
                        soci::into(user.created_at), soci::into(last_login, last_login_ind));
        if (!found) return Fail(ErrorCode::kNotFound, "no such user");
        user.is_admin = is_admin != 0;
        if (last_login_ind != soci::i_null) user.last_login = last_login;
        return user;
    });
}

}  // namespace rqwatch::storage
