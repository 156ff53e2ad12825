#include "storage/sql_action_token_repo.hpp"

#include <soci/soci.h>

#include "storage/statement.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kIsUsed =
    "SELECT COUNT(*) FROM action_tokens_used WHERE token_digest = :digest";
constexpr std::string_view kUnmark = "DELETE FROM action_tokens_used WHERE token_digest = :digest";

}  // namespace

Result<bool> SqlActionTokenRepo::MarkUsed(const std::string& digest, std::int64_t mail_id,
                                          std::int64_t at) {
    // The primary key decides between two clicks at once: one row is
    // inserted, the other skipped (0 affected rows on every engine).
    const std::string insert = db_->GetDialect().InsertIgnoreRows(
        "action_tokens_used", "token_digest, mail_id, used_at", "(:digest, :mail_id, :at)");
    return db_->Run<bool>("recording a used link", [&](soci::session& sql) -> Result<bool> {
        std::string d = digest;
        std::int64_t id = mail_id, when = at;
        soci::statement st = MakeStatement(sql, insert, soci::use(d, "digest"),
                                           soci::use(id, "mail_id"), soci::use(when, "at"));
        st.execute(true);
        return st.get_affected_rows() == 1;
    });
}

Result<bool> SqlActionTokenRepo::IsUsed(const std::string& digest) {
    return db_->Run<bool>("reading a used link", [&](soci::session& sql) -> Result<bool> {
        std::string d = digest;
        std::int64_t n = 0;
        ExecuteOnce(sql, kIsUsed, soci::use(d, "digest"), soci::into(n));
        return n > 0;
    });
}

Result<void> SqlActionTokenRepo::Unmark(const std::string& digest) {
    return db_->Run<void>("taking back a used link", [&](soci::session& sql) -> Result<void> {
        std::string d = digest;
        ExecuteOnce(sql, kUnmark, soci::use(d, "digest"));
        return {};
    });
}

}  // namespace rqwatch::storage
