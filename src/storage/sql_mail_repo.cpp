#include "storage/sql_mail_repo.hpp"

#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "storage/column_limits.hpp"
#include "storage/mail_row.hpp"
#include "storage/mail_search_sql.hpp"
#include "storage/queries.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"

namespace rqwatch::storage {
namespace {

// The statements of one InsertBatch, prepared once and re-executed per row.
class BatchInserter {
  public:
    BatchInserter(soci::session& sql, const Dialect& dialect)
        : sql_(sql),
          dialect_(dialect),
          insert_mail_(sql),
          select_id_(sql),
          insert_rcpt_(sql),
          insert_symbol_(sql) {
        BindUse(insert_mail_, row_);
        Prepare(insert_mail_,
                dialect.InsertIgnore("mails", queries::kMailColumns, queries::kMailValues));

        select_id_.exchange(soci::into(existing_id_));
        select_id_.exchange(soci::use(row_.spool_id, "spool_id"));
        Prepare(select_id_, queries::kSelectMailIdBySpoolId);

        insert_rcpt_.exchange(soci::use(mail_id_, "mail_id"));
        insert_rcpt_.exchange(soci::use(recipient_, "recipient"));
        insert_rcpt_.exchange(soci::use(recipient_domain_, "domain"));
        Prepare(insert_rcpt_,
                dialect.InsertIgnore(queries::kRecipientTable, queries::kRecipientColumns,
                                     queries::kRecipientValues));

        insert_symbol_.exchange(soci::use(mail_id_, "mail_id"));
        insert_symbol_.exchange(soci::use(symbol_name_, "name"));
        insert_symbol_.exchange(soci::use(symbol_score_, "score"));
        Prepare(insert_symbol_, dialect.InsertIgnore(queries::kSymbolTable, queries::kSymbolColumns,
                                                     queries::kSymbolValues));
    }

    // Inserts one record (or finds the row of an already stored spool_id);
    // returns its id. Throws soci::soci_error.
    std::int64_t Insert(const MailRecord& record) {
        FillRow(record, row_);
        insert_mail_.execute(true);
        if (insert_mail_.get_affected_rows() == 0) {
            // Spool replay: the row exists (maybe from earlier in this batch).
            if (!select_id_.execute(true)) {
                throw soci::soci_error("mail row vanished after a unique conflict: " +
                                       record.spool_id);
            }
            return existing_id_;
        }
        mail_id_ = dialect_.LastInsertId(sql_, "mails");
        InsertRecipients(record);
        InsertSymbols(record);
        return mail_id_;
    }

  private:
    void InsertRecipients(const MailRecord& record) {
        seen_.clear();
        for (const std::string& rcpt : record.rcpt_to) {
            recipient_ = limits::CutCopy(NormalizeAddress(rcpt), limits::kAddress);
            // Rspamd repeats recipients; linear search is fine for a handful.
            if (recipient_.empty() || std::ranges::find(seen_, recipient_) != seen_.end()) {
                continue;
            }
            seen_.push_back(recipient_);
            recipient_domain_ = limits::CutCopy(DomainOf(recipient_), limits::kShort);
            insert_rcpt_.execute(true);
        }
    }

    void InsertSymbols(const MailRecord& record) {
        seen_.clear();
        for (const Symbol& symbol : record.symbols) {
            // Keep the first occurrence of a name, like a map built in order.
            symbol_name_ = limits::CutCopy(symbol.name, limits::kShort);
            if (symbol_name_.empty() || std::ranges::find(seen_, symbol_name_) != seen_.end()) {
                continue;
            }
            seen_.push_back(symbol_name_);
            symbol_score_ = FiniteOrZero(symbol.score);
            insert_symbol_.execute(true);
        }
    }

    soci::session& sql_;
    const Dialect& dialect_;
    // Bound by reference into the statements below, so declared first.
    MailRow row_;
    std::int64_t existing_id_ = 0;
    std::int64_t mail_id_ = 0;
    std::string recipient_;
    std::string recipient_domain_;
    std::string symbol_name_;
    double symbol_score_ = 0;
    std::vector<std::string> seen_;
    soci::statement insert_mail_;
    soci::statement select_id_;
    soci::statement insert_rcpt_;
    soci::statement insert_symbol_;
};

}  // namespace

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
        {
            // Statements must be finished before COMMIT (SQLite refuses to
            // commit while a statement is still running).
            BatchInserter inserter(sql, dialect);
            for (std::size_t i = 0; i < records.size(); ++i) ids[i] = inserter.Insert(records[i]);
        }
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
