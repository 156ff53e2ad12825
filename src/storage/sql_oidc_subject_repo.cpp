#include "storage/sql_oidc_subject_repo.hpp"

#include <soci/soci.h>

#include "storage/statement.hpp"
#include "storage/unique_write.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kSubjectOf =
    "SELECT subject FROM oidc_subjects WHERE user_id = :user_id";
constexpr std::string_view kUserOf = "SELECT user_id FROM oidc_subjects WHERE subject = :subject";
constexpr std::string_view kUserExists = "SELECT COUNT(*) FROM users WHERE id = :id";
constexpr std::string_view kInsert =
    "INSERT INTO oidc_subjects (user_id, subject, bound_at) VALUES (:user_id, :subject, :at)";

}  // namespace

Result<std::optional<std::string>> SqlOidcSubjectRepo::SubjectOf(std::int64_t user_id) {
    return db_->Run<std::optional<std::string>>(
        "looking up an OpenID subject",
        [&](soci::session& sql) -> Result<std::optional<std::string>> {
            std::string subject;
            if (!ExecuteOnce(sql, kSubjectOf, soci::use(user_id, "user_id"),
                             soci::into(subject))) {
                return std::nullopt;
            }
            return subject;
        });
}

Result<std::optional<std::int64_t>> SqlOidcSubjectRepo::UserOf(const std::string& subject) {
    return db_->Run<std::optional<std::int64_t>>(
        "looking up an OpenID subject",
        [&](soci::session& sql) -> Result<std::optional<std::int64_t>> {
            std::int64_t user_id = 0;
            if (!ExecuteOnce(sql, kUserOf, soci::use(subject, "subject"),
                             soci::into(user_id))) {
                return std::nullopt;
            }
            return user_id;
        });
}

Result<void> SqlOidcSubjectRepo::Bind(std::int64_t user_id, const std::string& subject,
                                      std::int64_t at) {
    if (subject.empty() || subject.size() > kMaxSubject) {
        return Fail(ErrorCode::kInvalidArgument, "OpenID subject is empty or too long");
    }
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<void>("binding an OpenID subject", [&](soci::session& sql) -> Result<void> {
        int users = 0;
        ExecuteOnce(sql, kUserExists, soci::use(user_id, "id"), soci::into(users));
        if (users == 0) return Fail(ErrorCode::kNotFound, "no such user");
        // Either key taken (this user bound, or that subject someone else's,
        // also by a concurrent login) is the same refusal.
        return WriteUnique(dialect, "this single sign-on account is bound to another user", [&] {
            ExecuteOnce(sql, kInsert, soci::use(user_id, "user_id"),
                        soci::use(subject, "subject"), soci::use(at, "at"));
        });
    });
}

}  // namespace rqwatch::storage
