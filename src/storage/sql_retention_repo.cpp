#include "storage/sql_retention_repo.hpp"

#include <fmt/format.h>
#include <soci/soci.h>

#include "storage/report_rollup.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kSelectColumns =
    "SELECT id, received_at, stored, purged, quarantine_path FROM mails ";
// Keyset by id: every page is an index range scan, and rows the previous
// page changed (purged, deleted) cannot shift the next one.
constexpr std::string_view kReceivedBefore =
    "WHERE received_at < :before AND id > :after ORDER BY id LIMIT :limit";
constexpr std::string_view kWithFiles =
    "WHERE stored = 1 AND purged = 0 AND received_at >= :from AND received_at < :before "
    "AND id > :after ORDER BY id LIMIT :limit";
// Followed by " IN (…)": MariaDB refuses LIMIT in an IN subquery, so the
// ids of a page are bound one by one instead.
constexpr std::string_view kMarkPurged = "UPDATE mails SET purged = 1 WHERE purged = 0 AND id";
// mail_recipients and mail_symbols go with ON DELETE CASCADE.
constexpr std::string_view kDelete = "DELETE FROM mails WHERE id";

Result<void> CheckLimit(std::size_t n) {
    if (n < 1 || n > app::RetentionRepo::kMaxBatch) {
        return Fail(ErrorCode::kInvalidArgument, fmt::format("a retention batch is 1 to {} rows",
                                                             app::RetentionRepo::kMaxBatch));
    }
    return {};
}

// Runs a prepared SELECT of kSelectColumns and collects its rows.
std::vector<app::RetentionRow> Fetch(soci::statement& st, app::RetentionRow& row, int& stored,
                                     int& purged) {
    std::vector<app::RetentionRow> out;
    st.execute();
    while (st.fetch()) {
        row.stored = stored != 0;
        row.purged = purged != 0;
        out.push_back(row);
    }
    return out;
}

}  // namespace

Result<std::vector<app::RetentionRow>> SqlRetentionRepo::ListReceivedBefore(std::int64_t before_ms,
                                                                            std::int64_t after_id,
                                                                            std::size_t limit) {
    if (auto r = CheckLimit(limit); !r) return std::unexpected(r.error());
    return db_->Run<std::vector<app::RetentionRow>>(
        "listing mails for retention",
        [&](soci::session& sql) -> Result<std::vector<app::RetentionRow>> {
            app::RetentionRow row;
            int stored = 0;
            int purged = 0;
            long long before = before_ms;
            long long after = after_id;
            long long fetch = static_cast<long long>(limit);
            soci::statement st = MakeStatement(
                sql, std::string(kSelectColumns) + std::string(kReceivedBefore), soci::into(row.id),
                soci::into(row.received_at), soci::into(stored), soci::into(purged),
                soci::into(row.quarantine_path), soci::use(before, "before"),
                soci::use(after, "after"), soci::use(fetch, "limit"));
            return Fetch(st, row, stored, purged);
        });
}

Result<std::vector<app::RetentionRow>> SqlRetentionRepo::ListWithFiles(std::int64_t from_ms,
                                                                       std::int64_t before_ms,
                                                                       std::int64_t after_id,
                                                                       std::size_t limit) {
    if (auto r = CheckLimit(limit); !r) return std::unexpected(r.error());
    return db_->Run<std::vector<app::RetentionRow>>(
        "listing quarantined mails for retention",
        [&](soci::session& sql) -> Result<std::vector<app::RetentionRow>> {
            app::RetentionRow row;
            int stored = 0;
            int purged = 0;
            long long from = from_ms;
            long long before = before_ms;
            long long after = after_id;
            long long fetch = static_cast<long long>(limit);
            soci::statement st = MakeStatement(
                sql, std::string(kSelectColumns) + std::string(kWithFiles), soci::into(row.id),
                soci::into(row.received_at), soci::into(stored), soci::into(purged),
                soci::into(row.quarantine_path), soci::use(from, "from"),
                soci::use(before, "before"), soci::use(after, "after"), soci::use(fetch, "limit"));
            return Fetch(st, row, stored, purged);
        });
}

Result<std::size_t> SqlRetentionRepo::MarkPurged(const std::vector<std::int64_t>& ids) {
    return ChangeRows("marking mails purged", kMarkPurged, ids);
}

Result<std::size_t> SqlRetentionRepo::Delete(const std::vector<std::int64_t>& ids) {
    return ChangeRows("deleting mails", kDelete, ids);
}

Result<std::size_t> SqlRetentionRepo::DeleteRollupsBefore(std::int64_t cutoff_ms) {
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<std::size_t>(
        "deleting report roll-ups", [&](soci::session& sql) -> Result<std::size_t> {
            long long day = cutoff_ms / 86'400'000;
            WriteTransaction tx(sql, dialect);
            std::size_t changed = 0;
            {
                soci::statement st = MakeStatement(sql,
                                  fmt::format("DELETE FROM report_daily WHERE kind IN ({}) AND "
                                              "day < :day",
                                              kAllRollupKinds),
                                                   soci::use(day, "day"));
                st.execute(true);
                changed = static_cast<std::size_t>(st.get_affected_rows());
            }
            tx.Commit();
            return changed;
        });
}

Result<std::size_t> SqlRetentionRepo::DeleteNotifyMarksBefore(std::int64_t cutoff_ms) {
    return db_->Run<std::size_t>(
        "forgetting old digest times", [&](soci::session& sql) -> Result<std::size_t> {
            long long cutoff = cutoff_ms;
            soci::statement st = MakeStatement(
                sql, "DELETE FROM notify_recipients WHERE last_sent_at < :cutoff",
                soci::use(cutoff, "cutoff"));
            st.execute(true);
            return static_cast<std::size_t>(st.get_affected_rows());
        });
}

Result<std::size_t> SqlRetentionRepo::ChangeRows(std::string_view context,
                                                 std::string_view statement_head,
                                                 const std::vector<std::int64_t>& ids) {
    if (ids.empty()) return 0;
    if (auto r = CheckLimit(ids.size()); !r) return std::unexpected(r.error());
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<std::size_t>(context, [&](soci::session& sql) -> Result<std::size_t> {
        // Bound by reference, so filled completely before binding.
        std::vector<long long> values(ids.begin(), ids.end());
        std::string query(statement_head);
        query += " IN (";
        for (std::size_t i = 0; i < values.size(); ++i) {
            query += fmt::format("{}:i{}", i == 0 ? "" : ", ", i);
        }
        query += ")";
        WriteTransaction tx(sql, dialect);
        std::size_t changed = 0;
        {
            // Bound by position: SOCI looks a name up among all of a
            // statement's parameters, quadratic in a list of a thousand.
            // Finished before COMMIT (SQLite refuses to commit while a
            // statement is still running).
            soci::statement st(sql);
            for (long long& v : values) st.exchange(soci::use(v));
            st.alloc();
            st.prepare(query);
            st.define_and_bind();
            st.execute(true);
            changed = static_cast<std::size_t>(st.get_affected_rows());
        }
        tx.Commit();
        return changed;
    });
}

}  // namespace rqwatch::storage
