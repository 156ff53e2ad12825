#include "storage/sql_mail_repo.hpp"

#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "storage/column_limits.hpp"
#include "storage/mail_batch_writer.hpp"
#include "storage/mail_row.hpp"
#include "storage/mail_search_sql.hpp"
#include "storage/queries.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"

namespace rqwatch::storage {

Result<void> SqlMailRepo::InsertBatch(std::vector<MailRecord>& records) {
    if (records.empty()) return {};
    for (const MailRecord& r : records) {
        if (r.spool_id.empty()) {
            return Fail(ErrorCode::kInvalidArgument, "mail record without spool id");
        }
    }
    const Dialect& dialect = db_->GetDialect();
    std::vector<std::int64_t> ids(records.size());
    auto done = db_->Run<bool>("inserting mails", [&](soci::session& sql) -> Result<bool> {
        WriteTransaction tx(sql, dialect);
        // The writer's statements are finished when it returns (SQLite
        // refuses to commit while a statement is still running).
        ids = WriteMailBatch(sql, dialect, records);
        tx.Commit();
        return true;
    });
    if (!done) return std::unexpected(std::move(done.error()));
    // Only after the commit: on failure the records keep their old ids.
    for (std::size_t i = 0; i < records.size(); ++i) records[i].id = ids[i];
    return {};
}

Result<app::MailPage> SqlMailRepo::Search(const app::MailSearch& search) {
    if (search.limit < 1 || search.limit > 1000) {
        return Fail(ErrorCode::kInvalidArgument, "limit must be within 1..1000");
    }
    if (search.filters.size() > kMaxFilters) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("at most {} filters at once", kMaxFilters));
    }
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<app::MailPage>(
        "searching mails", [&](soci::session& sql) -> Result<app::MailPage> {
            SearchSql where(dialect);
            for (const MailFilter& f : search.filters) where.AddFilter(f);
            if (search.scope) where.AddScope(*search.scope);
            if (search.before_id) where.AddBefore(*search.before_id);
            // One row beyond the page tells whether another page exists.
            long long fetch = search.limit + 1;
            MailRow row;
            soci::statement st(sql);
            BindInto(st, row);
            where.Bind(st);
            st.exchange(soci::use(fetch, "limit"));
            Prepare(st, std::string(queries::kSelectMails) + where.Where() +
                            " ORDER BY mails.id DESC LIMIT :limit");
            app::MailPage page;
            st.execute();
            while (st.fetch()) {
                if (static_cast<std::int64_t>(page.items.size()) == search.limit) {
                    page.next_before_id = page.items.back().id;
                    break;
                }
                auto record = ToRecord(row);
                if (!record) return std::unexpected(std::move(record.error()));
                page.items.push_back(std::move(*record));
            }
            return page;
        });
}

Result<MailRecord> SqlMailRepo::Get(std::int64_t id) {
    return db_->Run<MailRecord>("reading a mail", [&](soci::session& sql) -> Result<MailRecord> {
        MailRow row;
        soci::statement st(sql);
        BindInto(st, row);
        st.exchange(soci::use(id, "id"));
        Prepare(st, queries::kSelectMailById);
        if (!st.execute(true)) return Fail(ErrorCode::kNotFound, "no such mail");
        return ToRecord(row);
    });
}

}  // namespace rqwatch::storage
