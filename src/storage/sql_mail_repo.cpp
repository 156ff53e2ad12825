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
#include "storage/query_plan.hpp"
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

namespace {

Result<void> CheckSearch(const app::MailSearch& search) {
    if (search.limit < 1 || search.limit > 1000) {
        return Fail(ErrorCode::kInvalidArgument, "limit must be within 1..1000");
    }
    if (search.filters.size() > kMaxFilters) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("at most {} filters at once", kMaxFilters));
    }
    return {};
}

// A search whose filters no index serves (SearchSql::NeedsIdWindows) is run
// over the newest 10,000 ids first (first_window_), then 100,000 more, and so on, until the
// page is full: a common match ("rcpt_to contains @a-domain") fills the page
// from the first window in milliseconds, where one query over all mails let
// PostgreSQL and MariaDB read the whole recipients table (0.3-0.7 s at 1 M
// mails); a rare match costs about what that one query did.
constexpr std::int64_t kWindowGrowth = 10;

// Prepares the query for the mails of `search` in `window`, newest first, at
// most `fetch` rows, into `st` (whose into() elements are exchanged
// already); `where` and `fetch` must outlive the statement.
void PrepareWindow(soci::statement& st, SearchSql& where, long long& fetch,
                   const app::MailSearch& search, std::string_view prefix = {}) {
    where.AddSearch(search.filters, search.scope);
    where.Bind(st);
    st.exchange(soci::use(fetch, "limit"));
    Prepare(st, std::string(prefix) + std::string(queries::kSelectMails) + where.Where() +
                    " ORDER BY mails.id DESC LIMIT :limit");
}

// The windows to search, newest first: one open window when no filter needs
// them, else growing ones below `top` (the first id not to search).
std::vector<IdWindow> Windows(const app::MailSearch& search, std::int64_t top,
                              std::int64_t first_window) {
    if (!SearchSql::NeedsIdWindows(search.filters)) return {IdWindow{{}, search.before_id}};
    std::vector<IdWindow> out;
    std::int64_t size = first_window;
    while (top - size > 1) {
        out.push_back(IdWindow{top - size, top});
        top -= size;
        size *= kWindowGrowth;
    }
    out.push_back(IdWindow{{}, top});
    return out;
}

// The first id above every mail (or before_id): where the windows start.
std::int64_t WindowTop(soci::session& sql, const app::MailSearch& search) {
    if (search.before_id) return *search.before_id;
    long long max_id = 0;
    soci::indicator ind = soci::i_ok;
    ExecuteOnce(sql, "SELECT MAX(id) FROM mails", soci::into(max_id, ind));
    return ind == soci::i_null ? 1 : max_id + 1;
}

}  // namespace

Result<app::MailPage> SqlMailRepo::Search(const app::MailSearch& search) {
    if (auto ok = CheckSearch(search); !ok) return std::unexpected(std::move(ok.error()));
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<app::MailPage>(
        "searching mails", [&](soci::session& sql) -> Result<app::MailPage> {
            app::MailPage page;
            // One row beyond the page tells whether another page exists.
            const auto wanted = static_cast<std::size_t>(search.limit) + 1;
            std::vector<MailRecord> rows;
            const bool windowed = SearchSql::NeedsIdWindows(search.filters);
            for (const IdWindow& window :
                 Windows(search, windowed ? WindowTop(sql, search) : 0, first_window_)) {
                SearchSql where(dialect, window);
                auto fetch = static_cast<long long>(wanted - rows.size());
                MailRow row;
                soci::statement st(sql);
                BindInto(st, row);
                PrepareWindow(st, where, fetch, search);
                st.execute();
                while (st.fetch()) {
                    auto record = ToRecord(row);
                    if (!record) return std::unexpected(std::move(record.error()));
                    rows.push_back(std::move(*record));
                }
                if (rows.size() == wanted) break;
            }
            if (rows.size() == wanted) {
                rows.pop_back();
                page.next_before_id = rows.back().id;
            }
            page.items = std::move(rows);
            return page;
        });
}

Result<std::vector<std::string>> SqlMailRepo::ExplainSearch(const app::MailSearch& search) {
    if (auto ok = CheckSearch(search); !ok) return std::unexpected(std::move(ok.error()));
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<std::vector<std::string>>(
        "explaining a search", [&](soci::session& sql) -> Result<std::vector<std::string>> {
            // The first window's query: the one a common match is answered by.
            const bool windowed = SearchSql::NeedsIdWindows(search.filters);
            SearchSql where(
                dialect,
                Windows(search, windowed ? WindowTop(sql, search) : 0, first_window_).front());
            long long fetch = search.limit + 1;
            soci::row row;
            soci::statement st(sql);
            st.exchange(soci::into(row));
            PrepareWindow(st, where, fetch, search, dialect.ExplainPrefix());
            return ReadPlan(st, row);
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
