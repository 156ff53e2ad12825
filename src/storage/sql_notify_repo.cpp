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
    "AND m.score <= :max_score AND r.recipient > :after AND r.recipient <> 'unknown' "
    "AND NOT EXISTS (SELECT 1 FROM mail_notifications n "
    "WHERE n.mail_id = r.mail_id AND n.recipient = r.recipient) "
    "AND NOT EXISTS (SELECT 1 FROM mail_symbols s WHERE s.mail_id = m.id "
    "AND (s.name LIKE 'RQWATCH!_%!_BL' ESCAPE '!' OR s.name LIKE 'RQWATCH!_%!_BLACKLIST' "
    "ESCAPE '!')) "
    "AND NOT EXISTS (SELECT 1 FROM users u WHERE u.notifications_disabled = 1 "
    "AND (u.email = r.recipient OR EXISTS (SELECT 1 FROM user_aliases a "
    "WHERE a.user_id = u.id AND a.alias = r.recipient))) "
    "ORDER BY r.recipient, m.id LIMIT {}";
// The account an address belongs to: its own address before another
// user's alias, then the oldest account (addresses and aliases are not
// unique across users).
constexpr std::string_view kRecipientUser =
    "SELECT u.notify_frequency, u.notify_hour, u.time_zone FROM users u "
    "WHERE u.email = :address OR EXISTS (SELECT 1 FROM user_aliases a "
    "WHERE a.user_id = u.id AND a.alias = :alias) "
    "ORDER BY CASE WHEN u.email = :own THEN 0 ELSE 1 END, u.id LIMIT 1";
constexpr std::string_view kLastSent =
    "SELECT last_sent_at FROM notify_recipients WHERE address = :address";
constexpr std::string_view kUpdateLastSent =
    "UPDATE notify_recipients SET last_sent_at = :at WHERE address = :address";
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
            std::string after = query.after_recipient;  // "" also leaves out empty recipients
            app::NotifyItem it;
            int has_virus = 0;
            soci::statement st = MakeStatement(
                sql, sql_text, soci::use(since, "since"), soci::use(max_score, "max_score"),
                soci::use(after, "after"),
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

Result<app::NotifyRecipient> SqlNotifyRepo::Recipient(const std::string& address) {
    return db_->Run<app::NotifyRecipient>(
        "reading a recipient's schedule", [&](soci::session& sql) -> Result<app::NotifyRecipient> {
            std::string a = address;
            app::NotifyRecipient out;
            std::int64_t last = 0;
            soci::indicator last_ind = soci::i_null;
            if (ExecuteOnce(sql, kLastSent, soci::use(a, "address"), soci::into(last, last_ind)) &&
                last_ind == soci::i_ok) {
                out.last_sent_at = last;
            }
            std::string frequency;
            int hour = -1;
            std::string zone;
            std::string alias = address;
            std::string own = address;
            if (ExecuteOnce(sql, kRecipientUser, soci::use(a, "address"), soci::use(alias, "alias"),
                            soci::use(own, "own"), soci::into(frequency), soci::into(hour),
                            soci::into(zone))) {
                out.frequency = ParseNotifyFrequency(frequency);
                if (hour >= 0 && hour <= 23) out.hour = hour;
                out.time_zone = std::move(zone);
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
    const std::string insert_recipient =
        dialect.InsertIgnoreRows("notify_recipients", "address, last_sent_at", "(:address, :at)");
    return db_->Run<void>("recording notifications", [&](soci::session& sql) -> Result<void> {
        WriteTransaction tx(sql, dialect);
        std::string rcpt = recipient;
        std::int64_t when = at;
        for (std::int64_t id : mail_ids) {
            ExecuteOnce(sql, insert, soci::use(id, "id"), soci::use(rcpt, "recipient"),
                        soci::use(when, "at"));
            ExecuteOnce(sql, kMarkMail, soci::use(when, "at"), soci::use(id, "id"));
        }
        // The recipient's last digest: insert the row once, then move it on
        // (one run at a time holds notify.lock, so no two writers race here).
        ExecuteOnce(sql, insert_recipient, soci::use(rcpt, "address"), soci::use(when, "at"));
        ExecuteOnce(sql, kUpdateLastSent, soci::use(when, "at"), soci::use(rcpt, "address"));
        tx.Commit();
        return {};
    });
}

}  // namespace rqwatch::storage
