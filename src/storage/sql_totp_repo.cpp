#include "storage/sql_totp_repo.hpp"

#include <soci/soci.h>

#include "storage/column_limits.hpp"
#include "storage/queries.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kSelect =
    "SELECT secret, created_at, confirmed_at, last_step FROM user_totp WHERE user_id = :user_id";
constexpr std::string_view kDeletePending =
    "DELETE FROM user_totp WHERE user_id = :user_id AND confirmed_at IS NULL";
constexpr std::string_view kCount = "SELECT COUNT(*) FROM user_totp WHERE user_id = :user_id";
constexpr std::string_view kInsert =
    "INSERT INTO user_totp (user_id, secret, created_at, last_step) "
    "VALUES (:user_id, :secret, :created_at, 0)";
constexpr std::string_view kConfirm =
    "UPDATE user_totp SET confirmed_at = :at, last_step = :step "
    "WHERE user_id = :user_id AND confirmed_at IS NULL";
// The step moves forward only: of two requests with one code, one changes the row.
constexpr std::string_view kUseStep =
    "UPDATE user_totp SET last_step = :step WHERE user_id = :user_id AND last_step < :before";
constexpr std::string_view kDelete = "DELETE FROM user_totp WHERE user_id = :user_id";

long long Affected(soci::statement& st) { return st.get_affected_rows(); }

}  // namespace

Result<app::TotpSecret> SqlTotpRepo::Find(std::int64_t user_id) {
    return db_->Run<app::TotpSecret>(
        "looking up a TOTP secret", [&](soci::session& sql) -> Result<app::TotpSecret> {
            app::TotpSecret s;
            std::int64_t confirmed = 0;
            soci::indicator confirmed_ind = soci::i_null;
            if (!ExecuteOnce(sql, kSelect, soci::use(user_id, "user_id"), soci::into(s.secret),
                             soci::into(s.created_at), soci::into(confirmed, confirmed_ind),
                             soci::into(s.last_step))) {
                return Fail(ErrorCode::kNotFound, "TOTP is not set up");
            }
            s.user_id = user_id;
            if (confirmed_ind != soci::i_null) s.confirmed_at = confirmed;
            return s;
        });
}

Result<void> SqlTotpRepo::SetPending(const app::TotpSecret& pending) {
    if (pending.secret.empty() ||
        limits::CutCopy(pending.secret, limits::kToken) != pending.secret) {
        return Fail(ErrorCode::kInvalidArgument, "TOTP secret is empty or too long");
    }
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<void>("enrolling a TOTP secret", [&](soci::session& sql) -> Result<void> {
        WriteTransaction tx(sql, dialect);
        // An enrolment and a concurrent one of the same user take turns.
        int is_admin = 0;
        if (!ExecuteOnce(sql, std::string(queries::kLockUser) + std::string(dialect.ForUpdate()),
                         soci::use(pending.user_id, "id"), soci::into(is_admin))) {
            return Fail(ErrorCode::kNotFound, "no such user");
        }
        ExecuteOnce(sql, kDeletePending, soci::use(pending.user_id, "user_id"));
        int confirmed = 0;
        ExecuteOnce(sql, kCount, soci::use(pending.user_id, "user_id"), soci::into(confirmed));
        if (confirmed > 0) return Fail(ErrorCode::kConflict, "TOTP is on already");
        ExecuteOnce(sql, kInsert, soci::use(pending.user_id, "user_id"),
                    soci::use(pending.secret, "secret"),
                    soci::use(pending.created_at, "created_at"));
        tx.Commit();
        return {};
    });
}

Result<void> SqlTotpRepo::Confirm(std::int64_t user_id, std::int64_t at, std::int64_t step) {
    return db_->Run<void>("confirming a TOTP secret", [&](soci::session& sql) -> Result<void> {
        soci::statement st = MakeStatement(sql, kConfirm, soci::use(at, "at"),
                                           soci::use(step, "step"), soci::use(user_id, "user_id"));
        st.execute(true);
        if (Affected(st) == 0) return Fail(ErrorCode::kNotFound, "no TOTP enrolment is pending");
        return {};
    });
}

Result<bool> SqlTotpRepo::UseStep(std::int64_t user_id, std::int64_t step) {
    return db_->Run<bool>("using a TOTP step", [&](soci::session& sql) -> Result<bool> {
        soci::statement st =
            MakeStatement(sql, kUseStep, soci::use(step, "step"), soci::use(user_id, "user_id"),
                          soci::use(step, "before"));
        st.execute(true);
        return Affected(st) > 0;
    });
}

Result<bool> SqlTotpRepo::Delete(std::int64_t user_id) {
    return db_->Run<bool>("deleting a TOTP secret", [&](soci::session& sql) -> Result<bool> {
        soci::statement st = MakeStatement(sql, kDelete, soci::use(user_id, "user_id"));
        st.execute(true);
        return Affected(st) > 0;
    });
}

}  // namespace rqwatch::storage
