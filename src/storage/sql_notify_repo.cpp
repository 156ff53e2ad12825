#include "storage/sql_notify_repo.hpp"

#include <fmt/format.h>
#include <soci/soci.h>

#include "storage/statement.hpp"
#include "storage/transaction.hpp"

namespace rqwatch::storage {
namespace {

// Each NOT EXISTS is one rule of reference §I. The blacklist symbols are the
// names the UI classes as blacklisted (^RQWATCH_.*_(BL|BLACKLIST)); '!' escapes
// LIKE's '_' on every engine. A recipient's user is found by address or alias.
constexpr std::string_view kPending =
    "SELECT m.id, r.recipient, m.received_at, m.mail_from, m.mime_from, m.subject, m.score, "
    "m.action, m.has_virus, m.virus "
    "FROM mail_recipients r JOIN mails m ON m.id = r.mail_id "
    "WHERE m.stored = 1 AND m.purged = 0 AND m.received_at >= :since "
    "AND m.score <= :max_score AND r.recipient <> '' AND r.recipient <> 'unknown' "
    "AND NOT EXISTS (SELECT 1 FROM mail_notifications n "
    "WHERE n.mail_id = r.mail_id AND n.recipient = r.recipient) "
    "AND NOT EXISTS (SELECT 1 FROM mail_symbols s WHERE s.mail_id = m.id "
    "AND (s.name LIKE 'RQWATCH!_%!_BL' ESCAPE '!' OR s.name LIKE 'RQWATCH!_%!_BLACKLIST' "
    "ESCAPE '!')) "
    "AND NOT EXISTS (SELECT 1 FROM users u WHERE u.notifications_disabled = 1 "
    "AND (u.email = r.recipient OR EXISTS (SELECT 1 FROM user_aliases a "
    "WHERE a.user_id = u.id AND a.alias = r.recipient))) "
    "ORDER BY r.recipient, m.id LIMIT {}";
constexpr std::string_view kMarkMail =
    "UPDATE mails SET notified = 1, notify_date = :at WHERE id = :id AND notified = 0";

}  // namespace

Result<std::vector<app::NotifyItem>> SqlNotifyRepo::Pending(const app::NotifyQuery& query) {
    // The limit is a number chosen in code, not a value from outside.
    const std::string sql_text = fmt::format(kPending, query.limit);
    return db_->Run<std::vector<app::NotifyItem>>(
        "listing mails to notify", [&](soci::session& sql) -> Result<std::vector<app::NotifyItem>> {
            std::int64_t since = query.received_since;
            double max_score = query.max_score;
            app::NotifyItem it;
            int has_virus = 0;
            soci::statement st = MakeStatement(
                sql, sql_text, soci::use(since, "since"), soci::use(max_score, "max_score"),
                soci::into(it.mail_id), soci::into(it.recipient), soci::into(it.received_at),
                soci::into(it.mail_from), soci::into(it.mime_from), soci::into(it.subject),
                soci::into(it.score), soci::into(it.action), soci::into(has_virus),
                soci::into(it.virus));
            std::vector<app::NotifyItem> out;
            st.execute();
            while (st.fetch()) {
                it.has_virus = has_virus != 0;
                out.push_back(it);
            }
            return out;
        });
}

Result<void> SqlNotifyRepo::MarkNotified(const std::string& recipient,
                                         const std::vector<std::int64_t>& mail_ids,
                                         std::int64_t at) {
    if (mail_ids.empty()) return {};
    const Dialect& dialect = db_->GetDialect();
    const std::string insert = dialect.InsertIgnoreRows(
        "mail_notifications", "mail_id, recipient, notified_at", "(:id, :recipient, :at)");
    return db_->Run<void>("recording notifications", [&](soci::session& sql) -> Result<void> {
        WriteTransaction tx(sql, dialect);
        std::string rcpt = recipient;
        std::int64_t when = at;
        for (std::int64_t id : mail_ids) {
            ExecuteOnce(sql, insert, soci::use(id, "id"), soci::use(rcpt, "recipient"),
                        soci::use(when, "at"));
            ExecuteOnce(sql, kMarkMail, soci::use(when, "at"), soci::use(id, "id"));
        }
        tx.Commit();
        return {};
    });
}

}  // namespace rqwatch::storage
