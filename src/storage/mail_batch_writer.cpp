#include "storage/mail_batch_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "storage/column_limits.hpp"
#include "storage/mail_row.hpp"
#include "storage/multi_row.hpp"
#include "storage/queries.hpp"
#include "storage/report_rollup.hpp"
#include "storage/statement.hpp"

namespace rqwatch::storage {
namespace {

// Rows per statement: within every engine's bind limit (SQLite 32,766
// variables, PostgreSQL 65,535) with the 40 columns of a mail, and small
// enough that a statement of large mails stays well below MariaDB's
// max_packet (16 MiB by default; headers are cut at 4 MiB, so big mails go
// alone).
constexpr std::size_t kMailsPerStatement = 100;
constexpr std::size_t kMailBytesPerStatement = 4u << 20;
constexpr std::size_t kChildRowsPerStatement = 1000;

std::size_t RowBytes(const MailRow& r) {
    return r.headers.size() + r.symbols_json.size() + r.subject.size() + r.rcpt_to.size() +
           r.mime_to_json.size() + r.mime_cc_json.size() + r.attachments_json.size() + 512;
}

struct RecipientRow {
    long long mail_id = 0;
    std::string recipient;
    std::string domain;
};

struct SymbolRow {
    long long mail_id = 0;
    std::string name;
    double score = 0;
};

// Multi-row INSERTs of child rows; `bind` binds one row's values by position.
template <class Row, class Bind>
void InsertChunks(soci::session& sql, const Dialect& dialect, std::string_view table,
                  std::string_view columns, std::vector<Row>& rows, Bind bind) {
    ExecuteInChunks(sql, dialect, columns, rows, kChildRowsPerStatement, bind,
                    [&](const std::string& values) {
                        return dialect.InsertIgnoreRows(table, columns, values);
                    });
}

// spool_id -> id of the rows that exist for these mails.
std::unordered_map<std::string, long long> IdsOf(soci::session& sql, const Dialect& dialect,
                                                 std::vector<MailRow>& rows) {
    std::unordered_map<std::string, long long> id_of;
    for (std::size_t begin = 0; begin < rows.size(); begin += kChildRowsPerStatement) {
        const std::size_t end = std::min(rows.size(), begin + kChildRowsPerStatement);
        std::string list;
        long long id = 0;
        std::string spool_id;
        soci::statement st(sql);
        st.exchange(soci::into(id));
        st.exchange(soci::into(spool_id));
        for (std::size_t i = begin; i < end; ++i) {
            if (!list.empty()) list += ", ";
            list += dialect.Placeholder("s", i - begin);
            st.exchange(soci::use(rows[i].spool_id));  // by position, see BindUse
        }
        Prepare(st, "SELECT id, spool_id FROM mails WHERE spool_id IN (" + list + ")");
        st.execute();
        while (st.fetch()) id_of[spool_id] = id;
    }
    return id_of;
}

// What one newly inserted mail adds to the daily roll-ups; the values are
// the ones its rows hold, so roll-up and live reports agree.
void AddRollups(RollupBatch& rollups, const MailRow& row,
                const std::vector<RecipientRow>& recipients,
                const std::vector<SymbolRow>& symbols) {
    const bool stored = row.stored != 0;
    rollups.Add(row.received_day, RollupKind::kMailFrom, row.mail_from, stored, row.size);
    rollups.Add(row.received_day, RollupKind::kMailFromDomain, row.mail_from_domain, stored,
                row.size);
    for (const RecipientRow& r : recipients) {
        rollups.Add(row.received_day, RollupKind::kRcptTo, r.recipient, stored, row.size);
        rollups.Add(row.received_day, RollupKind::kRcptToDomain, r.domain, stored, row.size);
    }
    for (const SymbolRow& s : symbols) {
        rollups.Add(row.received_day, RollupKind::kSymbol, s.name, stored, row.size);
    }
}

// The distinct, cut recipients and symbols of one mail, in their order.
void ChildRows(const MailRecord& record, long long id, std::vector<RecipientRow>& recipients,
               std::vector<SymbolRow>& symbols) {
    std::vector<std::string> seen;
    for (const std::string& rcpt : record.rcpt_to) {
        std::string r = limits::CutCopy(NormalizeAddress(rcpt), limits::kAddress);
        // Rspamd repeats recipients; linear search is fine for a handful.
        if (r.empty() || std::ranges::find(seen, r) != seen.end()) continue;
        seen.push_back(r);
        std::string domain = limits::CutCopy(DomainOf(r), limits::kShort);
        recipients.push_back(RecipientRow{id, std::move(r), std::move(domain)});
    }
    seen.clear();
    for (const Symbol& s : record.symbols) {
        // Keep the first occurrence of a name, like a map built in order.
        std::string name = limits::CutCopy(s.name, limits::kShort);
        if (name.empty() || std::ranges::find(seen, name) != seen.end()) continue;
        seen.push_back(name);
        symbols.push_back(SymbolRow{id, std::move(name), FiniteOrZero(s.score)});
    }
}

// SQLite, in process: no round trips to save, and re-executing one prepared
// statement per row is faster than parsing multi-row statements (21,700 vs
// 17,800 mails/s in the same run). A replayed mail keeps its row and children.
std::vector<std::int64_t> WriteRowByRow(soci::session& sql, const Dialect& dialect,
                                        const std::vector<MailRecord>& records) {
    MailRow row;
    RecipientRow rcpt;
    SymbolRow sym;
    long long existing = 0;
    soci::statement insert_mail(sql), select_id(sql), insert_rcpt(sql), insert_sym(sql);
    BindUse(insert_mail, row);
    Prepare(insert_mail,
            dialect.InsertIgnoreRows("mails", queries::kMailColumns,
                                     dialect.RowPlaceholders(queries::kMailColumns, 0)));
    select_id.exchange(soci::into(existing));
    select_id.exchange(soci::use(row.spool_id));
    Prepare(select_id,
            "SELECT id FROM mails WHERE spool_id = " + dialect.Placeholder("spool_id", 0));
    insert_rcpt.exchange(soci::use(rcpt.mail_id));
    insert_rcpt.exchange(soci::use(rcpt.recipient));
    insert_rcpt.exchange(soci::use(rcpt.domain));
    Prepare(insert_rcpt,
            dialect.InsertIgnoreRows(queries::kRecipientTable, queries::kRecipientColumns,
                                     dialect.RowPlaceholders(queries::kRecipientColumns, 0)));
    insert_sym.exchange(soci::use(sym.mail_id));
    insert_sym.exchange(soci::use(sym.name));
    insert_sym.exchange(soci::use(sym.score));
    Prepare(insert_sym,
            dialect.InsertIgnoreRows(queries::kSymbolTable, queries::kSymbolColumns,
                                     dialect.RowPlaceholders(queries::kSymbolColumns, 0)));
    std::vector<std::int64_t> ids;
    std::vector<RecipientRow> recipients;
    std::vector<SymbolRow> symbols;
    RollupBatch rollups;
    for (const MailRecord& record : records) {
        FillRow(record, row);
        insert_mail.execute(true);
        if (insert_mail.get_affected_rows() == 0) {
            // Spool replay: the row (and its children) exist, maybe from this batch.
            if (!select_id.execute(true)) {
                throw soci::soci_error("mail row vanished after a unique conflict: " +
                                       record.spool_id);
            }
            ids.push_back(existing);
            continue;
        }
        const std::int64_t id = dialect.LastInsertId(sql, "mails");
        ids.push_back(id);
        recipients.clear();
        symbols.clear();
        ChildRows(record, id, recipients, symbols);
        AddRollups(rollups, row, recipients, symbols);
        for (auto& r : recipients) {
            rcpt = std::move(r);
            insert_rcpt.execute(true);
        }
        for (auto& s : symbols) {
            sym = std::move(s);
            insert_sym.execute(true);
        }
    }
    rollups.Write(sql, dialect);
    return ids;
}

}  // namespace

std::vector<std::int64_t> WriteMailBatch(soci::session& sql, const Dialect& dialect,
                                         const std::vector<MailRecord>& records) {
    if (dialect.Kind() == DialectKind::kSqlite) return WriteRowByRow(sql, dialect, records);

    // Filled once and never resized: statements bind to these by reference.
    std::vector<MailRow> rows(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) FillRow(records[i], rows[i]);
    // Mails stored before (a replayed batch) add nothing to the roll-ups.
    const std::unordered_map<std::string, long long> existing = IdsOf(sql, dialect, rows);

    for (std::size_t begin = 0; begin < rows.size();) {
        std::size_t end = begin;
        std::size_t bytes = 0;
        std::string values;
        soci::statement st(sql);
        while (end < rows.size() && end - begin < kMailsPerStatement &&
               (end == begin || bytes + RowBytes(rows[end]) <= kMailBytesPerStatement)) {
            bytes += RowBytes(rows[end]);
            if (!values.empty()) values += ", ";
            values += dialect.RowPlaceholders(queries::kMailColumns, end - begin);
            BindUse(st, rows[end]);
            ++end;
        }
        Prepare(st, dialect.InsertIgnoreRows("mails", queries::kMailColumns, values));
        st.execute(true);
        begin = end;
    }

    // Ids of every record, whether inserted now or by an earlier (replayed) batch.
    const std::unordered_map<std::string, long long> id_of = IdsOf(sql, dialect, rows);
    std::vector<std::int64_t> ids(records.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto it = id_of.find(rows[i].spool_id);
        if (it == id_of.end()) {
            throw soci::soci_error("mail row missing after insert: " + rows[i].spool_id);
        }
        ids[i] = it->second;
    }

    std::vector<RecipientRow> recipients;
    std::vector<SymbolRow> symbols;
    RollupBatch rollups;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const std::size_t first_rcpt = recipients.size(), first_sym = symbols.size();
        ChildRows(records[i], ids[i], recipients, symbols);
        if (existing.contains(rows[i].spool_id)) continue;
        AddRollups(rollups, rows[i],
                   std::vector<RecipientRow>(recipients.begin() + first_rcpt, recipients.end()),
                   std::vector<SymbolRow>(symbols.begin() + first_sym, symbols.end()));
    }
    InsertChunks(sql, dialect, queries::kRecipientTable, queries::kRecipientColumns, recipients,
                 [](soci::statement& st, RecipientRow& r) {
                     st.exchange(soci::use(r.mail_id));
                     st.exchange(soci::use(r.recipient));
                     st.exchange(soci::use(r.domain));
                 });
    InsertChunks(sql, dialect, queries::kSymbolTable, queries::kSymbolColumns, symbols,
                 [](soci::statement& st, SymbolRow& s) {
                     st.exchange(soci::use(s.mail_id));
                     st.exchange(soci::use(s.name));
                     st.exchange(soci::use(s.score));
                 });
    rollups.Write(sql, dialect);
    return ids;
}

}  // namespace rqwatch::storage
