#include "storage/sql_api_token_repo.hpp"

#include <fmt/format.h>
#include <soci/soci.h>

#include "storage/column_limits.hpp"
#include "storage/queries.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"
#include "storage/unique_write.hpp"

namespace rqwatch::storage {
namespace {

#define RQWATCH_TOKEN_COLUMNS \
    "id, user_id, name, prefix, token_digest, created_at, last_used_at, expires_at"
constexpr std::string_view kSelectByDigest =
    "SELECT " RQWATCH_TOKEN_COLUMNS " FROM api_tokens WHERE token_digest = :digest";
constexpr std::string_view kSelectOne =
    "SELECT " RQWATCH_TOKEN_COLUMNS " FROM api_tokens WHERE id = :id AND user_id = :user_id";
constexpr std::string_view kSelectOf =
    "SELECT " RQWATCH_TOKEN_COLUMNS " FROM api_tokens WHERE user_id = :user_id ORDER BY id DESC";
#undef RQWATCH_TOKEN_COLUMNS
constexpr std::string_view kInsert =
    "INSERT INTO api_tokens (user_id, name, prefix, token_digest, created_at, expires_at) "
    "VALUES (:user_id, :name, :prefix, :digest, :created_at, :expires_at)";
constexpr std::string_view kCountOf = "SELECT COUNT(*) FROM api_tokens WHERE user_id = :user_id";
constexpr std::string_view kDelete = "DELETE FROM api_tokens WHERE id = :id AND user_id = :user_id";
constexpr std::string_view kTouch =
    "UPDATE api_tokens SET last_used_at = :at WHERE id = :id AND "
    "(last_used_at IS NULL OR last_used_at <= :unless_after)";

struct TokenRow {
    app::ApiToken t;
    std::int64_t last_used_at = 0;
    soci::indicator last_used_ind = soci::i_null;
    std::int64_t expires_at = 0;
    soci::indicator expires_ind = soci::i_null;

    void BindInto(soci::statement& st) {
        st.exchange(soci::into(t.id));
        st.exchange(soci::into(t.user_id));
        st.exchange(soci::into(t.name));
        st.exchange(soci::into(t.prefix));
        st.exchange(soci::into(t.digest));
        st.exchange(soci::into(t.created_at));
        st.exchange(soci::into(last_used_at, last_used_ind));
        st.exchange(soci::into(expires_at, expires_ind));
    }
    [[nodiscard]] app::ApiToken Get() const {
        app::ApiToken out = t;
        if (last_used_ind != soci::i_null) out.last_used_at = last_used_at;
        if (expires_ind != soci::i_null) out.expires_at = expires_at;
        return out;
    }
};

bool Fits(const std::string& value, std::size_t max_chars) {
    return limits::CutCopy(value, max_chars) == value;
}

// The token `query` selects with the values bound by `bind`.
template <class Bind>
Result<app::ApiToken> FindOne(Database& db, std::string_view query, Bind bind) {
    return db.Run<app::ApiToken>("looking up an API token",
                                 [&](soci::session& sql) -> Result<app::ApiToken> {
                                     TokenRow row;
                                     soci::statement st(sql);
                                     row.BindInto(st);
                                     bind(st);
                                     Prepare(st, query);
                                     if (!st.execute(true)) {
                                         return Fail(ErrorCode::kNotFound, "no such API token");
                                     }
                                     return row.Get();
                                 });
}

}  // namespace

Result<std::int64_t> SqlApiTokenRepo::Add(const app::ApiToken& token, int max_per_user) {
    if (token.name.empty() || !Fits(token.name, limits::kShort) || !Fits(token.prefix, 64) ||
        token.digest.empty() || !Fits(token.digest, limits::kToken)) {
        return Fail(ErrorCode::kInvalidArgument, "API token name, prefix or digest too long");
    }
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<std::int64_t>(
        "adding an API token", [&](soci::session& sql) -> Result<std::int64_t> {
            WriteTransaction tx(sql, dialect);
            // Locking the user's row makes the adds of one user take turns, so
            // that two at once cannot both pass the count.
            int is_admin = 0;
            if (!ExecuteOnce(sql,
                             std::string(queries::kLockUser) + std::string(dialect.ForUpdate()),
                             soci::use(token.user_id, "id"), soci::into(is_admin))) {
                return Fail(ErrorCode::kNotFound, "no such user");
            }
            int count = 0;
            ExecuteOnce(sql, kCountOf, soci::use(token.user_id, "user_id"), soci::into(count));
            if (count >= max_per_user) {
                return Fail(ErrorCode::kConflict,
                            fmt::format("a user has at most {} API tokens; revoke one first",
                                        max_per_user));
            }
            std::int64_t expires = token.expires_at.value_or(0);
            soci::indicator expires_ind = token.expires_at ? soci::i_ok : soci::i_null;
            auto inserted = WriteUnique(dialect, "you have an API token of that name already", [&] {
                ExecuteOnce(sql, kInsert, soci::use(token.user_id, "user_id"),
                            soci::use(token.name, "name"), soci::use(token.prefix, "prefix"),
                            soci::use(token.digest, "digest"),
                            soci::use(token.created_at, "created_at"),
                            soci::use(expires, expires_ind, "expires_at"));
            });
            if (!inserted) return std::unexpected(inserted.error());
            const std::int64_t id = dialect.LastInsertId(sql, "api_tokens");
            tx.Commit();
            return id;
        });
}

Result<std::vector<app::ApiToken>> SqlApiTokenRepo::ListOf(std::int64_t user_id) {
    return db_->Run<std::vector<app::ApiToken>>(
        "listing API tokens", [&](soci::session& sql) -> Result<std::vector<app::ApiToken>> {
            TokenRow row;
            soci::statement st(sql);
            row.BindInto(st);
            st.exchange(soci::use(user_id, "user_id"));
            Prepare(st, kSelectOf);
            std::vector<app::ApiToken> out;
            st.execute();
            while (st.fetch()) out.push_back(row.Get());
            return out;
        });
}

Result<app::ApiToken> SqlApiTokenRepo::FindByDigest(const std::string& digest) {
    if (digest.empty() || !Fits(digest, limits::kToken)) {
        return Fail(ErrorCode::kNotFound, "no such API token");
    }
    return FindOne(*db_, kSelectByDigest,
                   [&](soci::statement& st) { st.exchange(soci::use(digest, "digest")); });
}

Result<app::ApiToken> SqlApiTokenRepo::Find(std::int64_t user_id, std::int64_t id) {
    return FindOne(*db_, kSelectOne, [&](soci::statement& st) {
        st.exchange(soci::use(id, "id"));
        st.exchange(soci::use(user_id, "user_id"));
    });
}

Result<void> SqlApiTokenRepo::Delete(std::int64_t user_id, std::int64_t id) {
    return db_->Run<void>("deleting an API token", [&](soci::session& sql) -> Result<void> {
        soci::statement st =
            MakeStatement(sql, kDelete, soci::use(id, "id"), soci::use(user_id, "user_id"));
        st.execute(true);
        if (st.get_affected_rows() == 0) return Fail(ErrorCode::kNotFound, "no such API token");
        return {};
    });
}

Result<void> SqlApiTokenRepo::Touch(std::int64_t id, std::int64_t at, std::int64_t unless_after) {
    return db_->Run<void>("touching an API token", [&](soci::session& sql) -> Result<void> {
        ExecuteOnce(sql, kTouch, soci::use(at, "at"), soci::use(id, "id"),
                    soci::use(unless_after, "unless_after"));
        return {};
    });
}

}  // namespace rqwatch::storage
