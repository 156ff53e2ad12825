#include "storage/sql_mail_repo.hpp"

#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "storage/column_limits.hpp"
#include "storage/mail_json.hpp"
#include "storage/queries.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kRcptSeparator = ", ";

// One mails row in the types SOCI exchanges. Statements bind to its members
// by reference, so one MailRow is filled per record and the prepared
// statement re-executed (no re-prepare per row).
struct MailRow {
    std::int64_t id = 0;
    std::string spool_id;
    std::int64_t received_at = 0;
    std::string server;
    std::string qid;
    std::string action;
    double score = 0;
    std::string ip;
    std::string mail_from;
    std::string rcpt_to;
    std::string auth_user;
    std::string rspamd_server;
    std::int64_t scan_time_ms = -1;
    std::string symbols_json;
    std::string fuzzy_json;
    std::string subject;
    std::string mime_from;
    std::string mime_from_addr;
    std::string mime_to_json;
    std::string mime_cc_json;
    std::string message_id;
    std::int64_t mail_date = 0;
    soci::indicator mail_date_ind = soci::i_null;
    std::int64_t size = 0;
    std::string headers;
    std::string attachments_json;
    int has_virus = 0;
    std::string virus;
    int stored = 0;
    std::string quarantine_path;
    int notified = 0;
    std::int64_t notify_date = 0;
    soci::indicator notify_date_ind = soci::i_null;
    int released = 0;
    std::int64_t release_date = 0;
    soci::indicator release_date_ind = soci::i_null;
};

void SetOptional(const std::optional<std::int64_t>& in, std::int64_t& value, soci::indicator& ind) {
    value = in.value_or(0);
    ind = in ? soci::i_ok : soci::i_null;
}

std::optional<std::int64_t> GetOptional(std::int64_t value, soci::indicator ind) {
    if (ind == soci::i_null) return std::nullopt;
    return value;
}

// SQLite stores NaN as NULL, which a NOT NULL score column rejects: one odd
// score must not fail the whole batch (it would be retried forever).
double FiniteOrZero(double value) { return std::isfinite(value) ? value : 0.0; }

std::string JoinRecipients(const std::vector<std::string>& rcpt) {
    std::string out;
    for (const std::string& r : rcpt) {
        if (!out.empty()) out += kRcptSeparator;
        out += r;
    }
    return out;
}

// Inverse of JoinRecipients; exact unless an address itself contains ", "
// (only possible in a quoted local part, which MTAs practically never see).
std::vector<std::string> SplitRecipients(std::string_view joined) {
    std::vector<std::string> out;
    if (joined.empty()) return out;
    std::size_t start = 0;
    for (;;) {
        const auto pos = joined.find(kRcptSeparator, start);
        out.emplace_back(joined.substr(start, pos - start));
        if (pos == std::string_view::npos) break;
        start = pos + kRcptSeparator.size();
    }
    return out;
}

void CutToLimits(MailRow& row) {
    using namespace limits;
    CutToLimit(row.server, kShort);
    CutToLimit(row.qid, kShort);
    CutToLimit(row.action, kAction);
    CutToLimit(row.ip, kIp);
    CutToLimit(row.mail_from, kAddress);
    CutToLimit(row.rcpt_to, kLarge);
    CutToLimit(row.auth_user, kShort);
    CutToLimit(row.rspamd_server, kShort);
    CutToLimit(row.subject, kText);
    CutToLimit(row.mime_from, kText);
    CutToLimit(row.mime_from_addr, kAddress);
    CutToLimit(row.message_id, kAddress);
    CutToLimit(row.headers, kLarge);
    CutToLimit(row.virus, kShort);
    CutToLimit(row.quarantine_path, kAddress);
    // JSON columns are not cut (a cut would break the JSON): they are written
    // by rqwatch from bounded input (header and symbol limits of the ingest).
}

void FillRow(const MailRecord& r, MailRow& row) {
    row.spool_id = r.spool_id;
    row.received_at = r.received_at;
    row.server = r.server;
    row.qid = r.qid;
    row.action = r.action;
    row.score = FiniteOrZero(r.score);
    row.ip = r.ip;
    row.mail_from = r.mail_from;
    row.rcpt_to = JoinRecipients(r.rcpt_to);
    row.auth_user = r.auth_user;
    row.rspamd_server = r.rspamd_server;
    row.scan_time_ms = r.scan_time_ms;
    row.symbols_json = SymbolsJsonText(r.symbols);
    row.fuzzy_json = r.fuzzy_json.empty() ? "[]" : r.fuzzy_json;
    row.subject = r.subject;
    row.mime_from = r.mime_from;
    row.mime_from_addr = r.mime_from_addr;
    row.mime_to_json = AddressesToJson(r.mime_to);
    row.mime_cc_json = AddressesToJson(r.mime_cc);
    row.message_id = r.message_id;
    SetOptional(r.mail_date, row.mail_date, row.mail_date_ind);
    // SQL integers are signed; no message comes near 2^63 bytes.
    row.size = static_cast<std::int64_t>(
        std::min<std::uint64_t>(r.size, std::numeric_limits<std::int64_t>::max()));
    row.headers = r.headers;
    row.attachments_json = AttachmentsToJson(r.attachments);
    row.has_virus = r.has_virus ? 1 : 0;
    row.virus = r.virus;
    row.stored = r.stored ? 1 : 0;
    row.quarantine_path = r.quarantine_path;
    CutToLimits(row);
    row.notified = r.notified ? 1 : 0;
    SetOptional(r.notify_date, row.notify_date, row.notify_date_ind);
    row.released = r.released ? 1 : 0;
    SetOptional(r.release_date, row.release_date, row.release_date_ind);
}

Result<MailRecord> ToRecord(const MailRow& row) {
    MailRecord r;
    r.id = row.id;
    r.spool_id = row.spool_id;
    r.received_at = row.received_at;
    r.server = row.server;
    r.qid = row.qid;
    r.action = row.action;
    r.score = row.score;
    r.ip = row.ip;
    r.mail_from = row.mail_from;
    r.rcpt_to = SplitRecipients(row.rcpt_to);
    r.auth_user = row.auth_user;
    r.rspamd_server = row.rspamd_server;
    r.scan_time_ms = row.scan_time_ms;
    auto symbols = SymbolsFromJson(row.symbols_json);
    if (!symbols) return std::unexpected(symbols.error());
    r.symbols = std::move(*symbols);
    r.fuzzy_json = row.fuzzy_json;
    r.subject = row.subject;
    r.mime_from = row.mime_from;
    r.mime_from_addr = row.mime_from_addr;
    auto mime_to = AddressesFromJson(row.mime_to_json);
    if (!mime_to) return std::unexpected(mime_to.error());
    r.mime_to = std::move(*mime_to);
    auto mime_cc = AddressesFromJson(row.mime_cc_json);
    if (!mime_cc) return std::unexpected(mime_cc.error());
    r.mime_cc = std::move(*mime_cc);
    r.message_id = row.message_id;
    r.mail_date = GetOptional(row.mail_date, row.mail_date_ind);
    r.size = row.size < 0 ? 0 : static_cast<std::uint64_t>(row.size);
    r.headers = row.headers;
    auto attachments = AttachmentsFromJson(row.attachments_json);
    if (!attachments) return std::unexpected(attachments.error());
    r.attachments = std::move(*attachments);
    r.has_virus = row.has_virus != 0;
    r.virus = row.virus;
    r.stored = row.stored != 0;
    r.quarantine_path = row.quarantine_path;
    r.notified = row.notified != 0;
    r.notify_date = GetOptional(row.notify_date, row.notify_date_ind);
    r.released = row.released != 0;
    r.release_date = GetOptional(row.release_date, row.release_date_ind);
    return r;
}

// Binds every column but id by name, for the INSERT.
void BindUse(soci::statement& st, MailRow& row) {
    using soci::use;
    st.exchange(use(row.spool_id, "spool_id"));
    st.exchange(use(row.received_at, "received_at"));
    st.exchange(use(row.server, "server"));
    st.exchange(use(row.qid, "qid"));
    st.exchange(use(row.action, "action"));
    st.exchange(use(row.score, "score"));
    st.exchange(use(row.ip, "ip"));
    st.exchange(use(row.mail_from, "mail_from"));
    st.exchange(use(row.rcpt_to, "rcpt_to"));
    st.exchange(use(row.auth_user, "auth_user"));
    st.exchange(use(row.rspamd_server, "rspamd_server"));
    st.exchange(use(row.scan_time_ms, "scan_time_ms"));
    st.exchange(use(row.symbols_json, "symbols_json"));
    st.exchange(use(row.fuzzy_json, "fuzzy_json"));
    st.exchange(use(row.subject, "subject"));
    st.exchange(use(row.mime_from, "mime_from"));
    st.exchange(use(row.mime_from_addr, "mime_from_addr"));
    st.exchange(use(row.mime_to_json, "mime_to_json"));
    st.exchange(use(row.mime_cc_json, "mime_cc_json"));
    st.exchange(use(row.message_id, "message_id"));
    st.exchange(use(row.mail_date, row.mail_date_ind, "mail_date"));
    st.exchange(use(row.size, "size"));
    st.exchange(use(row.headers, "headers"));
    st.exchange(use(row.attachments_json, "attachments_json"));
    st.exchange(use(row.has_virus, "has_virus"));
    st.exchange(use(row.virus, "virus"));
    st.exchange(use(row.stored, "stored"));
    st.exchange(use(row.quarantine_path, "quarantine_path"));
    st.exchange(use(row.notified, "notified"));
    st.exchange(use(row.notify_date, row.notify_date_ind, "notify_date"));
    st.exchange(use(row.released, "released"));
    st.exchange(use(row.release_date, row.release_date_ind, "release_date"));
}

// Binds id + every column positionally, in the order of the SELECTs in
// queries.hpp.
void BindInto(soci::statement& st, MailRow& row) {
    using soci::into;
    st.exchange(into(row.id));
    st.exchange(into(row.spool_id));
    st.exchange(into(row.received_at));
    st.exchange(into(row.server));
    st.exchange(into(row.qid));
    st.exchange(into(row.action));
    st.exchange(into(row.score));
    st.exchange(into(row.ip));
    st.exchange(into(row.mail_from));
    st.exchange(into(row.rcpt_to));
    st.exchange(into(row.auth_user));
    st.exchange(into(row.rspamd_server));
    st.exchange(into(row.scan_time_ms));
    st.exchange(into(row.symbols_json));
    st.exchange(into(row.fuzzy_json));
    st.exchange(into(row.subject));
    st.exchange(into(row.mime_from));
    st.exchange(into(row.mime_from_addr));
    st.exchange(into(row.mime_to_json));
    st.exchange(into(row.mime_cc_json));
    st.exchange(into(row.message_id));
    st.exchange(into(row.mail_date, row.mail_date_ind));
    st.exchange(into(row.size));
    st.exchange(into(row.headers));
    st.exchange(into(row.attachments_json));
    st.exchange(into(row.has_virus));
    st.exchange(into(row.virus));
    st.exchange(into(row.stored));
    st.exchange(into(row.quarantine_path));
    st.exchange(into(row.notified));
    st.exchange(into(row.notify_date, row.notify_date_ind));
    st.exchange(into(row.released));
    st.exchange(into(row.release_date, row.release_date_ind));
}

void Prepare(soci::statement& st, std::string_view query) {
    st.alloc();
    st.prepare(std::string(query));
    st.define_and_bind();
}

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

Result<app::MailPage> SqlMailRepo::List(const app::MailPageQuery& query) {
    if (query.limit < 1 || query.limit > 1000) {
        return Fail(ErrorCode::kInvalidArgument, "limit must be within 1..1000");
    }
    return db_->Run<app::MailPage>(
        "listing mails", [&](soci::session& sql) -> Result<app::MailPage> {
            MailRow row;
            std::int64_t before_id =
                query.before_id.value_or(std::numeric_limits<std::int64_t>::max());
            std::int64_t fetch = query.limit + 1;
            soci::statement st(sql);
            BindInto(st, row);
            st.exchange(soci::use(before_id, "before_id"));
            st.exchange(soci::use(fetch, "limit"));
            Prepare(st, queries::kSelectMailPage);
            app::MailPage page;
            st.execute();
            while (st.fetch()) {
                if (static_cast<std::int64_t>(page.items.size()) == query.limit) {
                    // One row beyond the page: more exist, older than the last item.
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
