#include "storage/sql_mail_action_repo.hpp"

#include <soci/soci.h>

#include "storage/column_limits.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kInsertRelease =
    "INSERT INTO mail_releases (mail_id, released_at, released_by, recipient, mode, ok, result) "
    "VALUES (:mail_id, :at, :by, :recipient, :mode, :ok, :result)";
constexpr std::string_view kMarkReleased =
    "UPDATE mails SET released = 1, release_date = :at WHERE id = :id";
constexpr std::string_view kSelectReleases =
    "SELECT released_at, released_by, recipient, mode, ok, result FROM mail_releases "
    "WHERE mail_id = :mail_id ORDER BY id";
constexpr std::string_view kInsertLearn =
    "INSERT INTO mail_learns (mail_id, learned_at, learned_by, learned_as, node, ok, result, "
    "fuzzy, fuzzy_result) "
    "VALUES (:mail_id, :at, :by, :learned_as, :node, :ok, :result, :fuzzy, :fuzzy_result)";
constexpr std::string_view kSelectLearns =
    "SELECT learned_at, learned_by, learned_as, node, ok, result, fuzzy, fuzzy_result "
    "FROM mail_learns "
    "WHERE mail_id = :mail_id ORDER BY id";

// The result text is for people; a long relay answer is cut, not refused.
std::string Cut(std::string text) {
    limits::CutToLimit(text, limits::kAddress);
    return text;
}

}  // namespace

Result<void> SqlMailActionRepo::AddReleases(const std::vector<app::ReleaseRecord>& rows) {
    if (rows.empty()) return {};
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<void>("recording a release", [&](soci::session& sql) -> Result<void> {
        WriteTransaction tx(sql, dialect);
        std::optional<std::int64_t> released_at;
        for (const app::ReleaseRecord& r : rows) {
            std::string by = Cut(r.by), recipient = Cut(r.recipient), result = Cut(r.result);
            int ok = r.ok ? 1 : 0;
            ExecuteOnce(sql, kInsertRelease, soci::use(r.mail_id, "mail_id"),
                        soci::use(r.at, "at"), soci::use(by, "by"),
                        soci::use(recipient, "recipient"), soci::use(r.mode, "mode"),
                        soci::use(ok, "ok"), soci::use(result, "result"));
            if (r.ok) released_at = r.at;
        }
        if (released_at) {
            ExecuteOnce(sql, kMarkReleased, soci::use(*released_at, "at"),
                        soci::use(rows.front().mail_id, "id"));
        }
        tx.Commit();
        return {};
    });
}

Result<std::vector<app::ReleaseRecord>> SqlMailActionRepo::Releases(std::int64_t mail_id) {
    return db_->Run<std::vector<app::ReleaseRecord>>(
        "reading releases", [&](soci::session& sql) -> Result<std::vector<app::ReleaseRecord>> {
            app::ReleaseRecord r;
            r.mail_id = mail_id;
            int ok = 0;
            soci::statement st = MakeStatement(
                sql, kSelectReleases, soci::use(mail_id, "mail_id"), soci::into(r.at),
                soci::into(r.by), soci::into(r.recipient), soci::into(r.mode), soci::into(ok),
                soci::into(r.result));
            std::vector<app::ReleaseRecord> out;
            st.execute();
            while (st.fetch()) {
                r.ok = ok != 0;
                out.push_back(r);
            }
            return out;
        });
}

Result<void> SqlMailActionRepo::AddLearn(const app::LearnRecord& r) {
    return db_->Run<void>("recording a learn", [&](soci::session& sql) -> Result<void> {
        std::string by = Cut(r.by), node = Cut(r.node), result = Cut(r.result),
                    fuzzy_result = Cut(r.fuzzy_result);
        int ok = r.ok ? 1 : 0;
        ExecuteOnce(sql, kInsertLearn, soci::use(r.mail_id, "mail_id"), soci::use(r.at, "at"),
                    soci::use(by, "by"), soci::use(r.learned_as, "learned_as"),
                    soci::use(node, "node"), soci::use(ok, "ok"), soci::use(result, "result"),
                    soci::use(r.fuzzy, "fuzzy"), soci::use(fuzzy_result, "fuzzy_result"));
        return {};
    });
}

Result<std::vector<app::LearnRecord>> SqlMailActionRepo::Learns(std::int64_t mail_id) {
    return db_->Run<std::vector<app::LearnRecord>>(
        "reading learns", [&](soci::session& sql) -> Result<std::vector<app::LearnRecord>> {
            app::LearnRecord r;
            r.mail_id = mail_id;
            int ok = 0;
            soci::statement st = MakeStatement(
                sql, kSelectLearns, soci::use(mail_id, "mail_id"), soci::into(r.at),
                soci::into(r.by), soci::into(r.learned_as), soci::into(r.node), soci::into(ok),
                soci::into(r.result), soci::into(r.fuzzy), soci::into(r.fuzzy_result));
            std::vector<app::LearnRecord> out;
            st.execute();
            while (st.fetch()) {
                r.ok = ok != 0;
                out.push_back(r);
            }
            return out;
        });
}

}  // namespace rqwatch::storage
