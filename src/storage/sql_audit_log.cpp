#include "storage/sql_audit_log.hpp"

#include <soci/soci.h>

#include "storage/column_limits.hpp"
#include "storage/list_page_sql.hpp"
#include "storage/statement.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO audit_log (at, actor, actor_id, on_behalf_of, ip, action, target, detail) "
    "VALUES (:at, :actor, :actor_id, :on_behalf_of, :ip, :action, :target, :detail)";
constexpr std::string_view kSelect =
    "SELECT id, at, actor, actor_id, on_behalf_of, ip, action, target, detail FROM audit_log";

}  // namespace

Result<void> SqlAuditLog::Record(const app::AuditEntry& entry) {
    app::AuditEntry e = entry;
    limits::CutToLimit(e.actor, limits::kShort);
    limits::CutToLimit(e.on_behalf_of, limits::kShort);
    limits::CutToLimit(e.ip, limits::kIp);
    limits::CutToLimit(e.action, limits::kAction);
    limits::CutToLimit(e.target, limits::kShort);
    limits::CutToLimit(e.detail, limits::kText);
    return db_->Run<void>("writing the audit log", [&](soci::session& sql) -> Result<void> {
        std::int64_t actor_id = e.actor_id.value_or(0);
        soci::indicator actor_id_ind = e.actor_id ? soci::i_ok : soci::i_null;
        ExecuteOnce(sql, kInsert, soci::use(e.at, "at"), soci::use(e.actor, "actor"),
                    soci::use(actor_id, actor_id_ind, "actor_id"),
                    soci::use(e.on_behalf_of, "on_behalf_of"), soci::use(e.ip, "ip"),
                    soci::use(e.action, "action"), soci::use(e.target, "target"),
                    soci::use(e.detail, "detail"));
        return {};
    });
}

Result<std::vector<app::AuditEntry>> SqlAuditLog::Search(const app::AuditQuery& query) {
    auto page = ListPageSql::Create("id", query.limit, query.before_id);
    if (!page) return std::unexpected(page.error());
    page->AddContains({"actor", "action", "target", "detail", "ip"}, query.contains);
    page->AddAtLeast("at", query.since);
    return db_->Run<std::vector<app::AuditEntry>>(
        "searching the audit log", [&](soci::session& sql) -> Result<std::vector<app::AuditEntry>> {
            app::AuditEntry e;
            std::int64_t actor_id = 0;
            soci::indicator actor_id_ind = soci::i_null;
            soci::statement st(sql);
            st.exchange(soci::into(e.id));
            st.exchange(soci::into(e.at));
            st.exchange(soci::into(e.actor));
            st.exchange(soci::into(actor_id, actor_id_ind));
            st.exchange(soci::into(e.on_behalf_of));
            st.exchange(soci::into(e.ip));
            st.exchange(soci::into(e.action));
            st.exchange(soci::into(e.target));
            st.exchange(soci::into(e.detail));
            page->Bind(st);
            Prepare(st, std::string(kSelect) + page->Tail());
            std::vector<app::AuditEntry> out;
            st.execute();
            while (st.fetch()) {
                e.actor_id = actor_id_ind == soci::i_null ? std::nullopt
                                                          : std::optional<std::int64_t>(actor_id);
                out.push_back(e);
            }
            return out;
        });
}

}  // namespace rqwatch::storage
