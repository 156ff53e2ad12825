#include "storage/sql_mail_reports.hpp"

#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "core/mail_filter.hpp"
#include "storage/mail_search_sql.hpp"
#include "storage/report_rollup.hpp"
#include "storage/statement.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

// What a report groups by: an expression, the join it needs, and whether
// the value is a number (flags, days) or text.
struct GroupBy {
    std::string_view expr;
    std::string_view join;
    bool integer = false;
};

GroupBy GroupByOf(ReportField field) {
    constexpr std::string_view kRecipients = " JOIN mail_recipients rr ON rr.mail_id = mails.id";
    switch (field) {
        case ReportField::kIp:
            return {"mails.ip", "", false};
        case ReportField::kAction:
            return {"mails.action", "", false};
        case ReportField::kHasVirus:
            return {"mails.has_virus", "", true};
        case ReportField::kMailFrom:
            return {"mails.mail_from", "", false};
        case ReportField::kRcptTo:
            // Each recipient on its own (the old system grouped the joined list).
            return {"rr.recipient", kRecipients, false};
        case ReportField::kMimeFrom:
            return {"mails.mime_from_addr", "", false};
        case ReportField::kMimeTo:
            return {"mails.mime_to", "", false};
        case ReportField::kServer:
            return {"mails.server", "", false};
        case ReportField::kMailFromDomain:
            return {"mails.mail_from_domain", "", false};
        case ReportField::kRcptToDomain:
            return {"rr.domain", kRecipients, false};
        case ReportField::kMimeFromDomain:
            return {"mails.mime_from_domain", "", false};
        case ReportField::kMimeToDomain:
            return {"mails.mime_to_domain", "", false};
        case ReportField::kDate:
            return {"mails.received_day", "", true};
        case ReportField::kSymbol:
            return {"ss.name", " JOIN mail_symbols ss ON ss.mail_id = mails.id", false};
        case ReportField::kCountry:
            return {"mails.country", "", false};
    }
    return {"mails.action", "", false};
}

std::string_view OrderOf(ReportMode mode) {
    switch (mode) {
        case ReportMode::kCount:
            return "n DESC, v";
        case ReportMode::kVolume:
            return "sz DESC, v";
        case ReportMode::kStored:
            return "st DESC, v";
        case ReportMode::kDay:
            return "v DESC";
    }
    return "n DESC, v";
}

SearchSql WhereOf(const Dialect& dialect, const app::MailSearch& search) {
    SearchSql where(dialect);
    where.AddSearch(search.filters, search.scope);
    return where;
}

Result<void> CheckFilters(const app::MailSearch& search) {
    if (search.filters.size() > kMaxFilters) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("at most {} filters at once", kMaxFilters));
    }
    return {};
}

// COUNT, kept, bytes over the mails a search selects.
ReportRow Totals(soci::session& sql, const Dialect& dialect, const app::MailSearch& search) {
    SearchSql where = WhereOf(dialect, search);
    ReportRow totals;
    long long n = 0, stored = 0, size = 0;
    soci::statement st(sql);
    st.exchange(soci::into(n));
    st.exchange(soci::into(stored));
    st.exchange(soci::into(size));
    where.Bind(st);
    Prepare(st,
            "SELECT COUNT(*), COALESCE(SUM(mails.stored), 0), COALESCE(SUM(mails.size), 0) "
            "FROM mails" +
                where.Where());
    st.execute(true);
    totals.total = n;
    totals.stored = stored;
    totals.size = size;
    return totals;
}

// The roll-up rows of one kind on the days the filters select.
SearchSql RollupWhere(const Dialect& dialect, const app::ReportQuery& query, RollupKind kind) {
    SearchSql where(dialect);
    where.AddConstant(fmt::format("report_daily.kind = {}", static_cast<int>(kind)));
    for (const MailFilter& f : query.search.filters) where.AddDayFilter(f, "report_daily.day");
    return where;
}

// A report from report_daily (migration 0006) for the days the filters
// select, over the values of `hashes` only when given (ReadRollupByHash);
// totals still come from the mails (the index covers them).
MailReport ReadRollup(soci::session& sql, const Dialect& dialect, const app::ReportQuery& query,
                      RollupKind kind, const std::vector<std::int64_t>* hashes) {
    MailReport report;
    report.field = query.field;
    report.mode = query.mode;
    SearchSql where = RollupWhere(dialect, query, kind);
    if (hashes) where.AddIntegerIn("report_daily.value_hash", *hashes);
    std::string value;
    long long n = 0, stored = 0, size = 0, limit = query.limit;
    soci::statement st(sql);
    st.exchange(soci::into(value));
    st.exchange(soci::into(n));
    st.exchange(soci::into(stored));
    st.exchange(soci::into(size));
    where.Bind(st);
    st.exchange(soci::use(limit, "limit"));
    Prepare(st, fmt::format("SELECT report_daily.value AS v, SUM(report_daily.mails) AS n, "
                            "SUM(report_daily.stored) AS st, SUM(report_daily.size) AS sz FROM "
                            "report_daily{} GROUP BY report_daily.value ORDER BY {} LIMIT :limit",
                            where.Where(), OrderOf(query.mode)));
    st.execute();
    while (st.fetch()) report.rows.push_back(ReportRow{value, n, stored, size, {}});
    report.totals = Totals(sql, dialect, query.search);
    return report;
}

// report_daily's sum that a mode ranks by.
std::string_view RankColumnOf(ReportMode mode) {
    switch (mode) {
        case ReportMode::kVolume:
            return "size";
        case ReportMode::kStored:
            return "stored";
        case ReportMode::kCount:
        case ReportMode::kDay:
            break;
    }
    return "mails";
}

// How many places past the last one TopHashes reads, for the values tied
// with it; a larger tie falls back to grouping the text.
constexpr long long kTieSlack = 1000;

// The value_hashes of the report's top places, every value tied with the
// last place included, so that the text grouping over just their rows
// gives exactly the report the text grouping over all rows would; nullopt
// when the tie reaches past kTieSlack.
std::optional<std::vector<std::int64_t>> TopHashes(soci::session& sql, const Dialect& dialect,
                                                   const app::ReportQuery& query,
                                                   RollupKind kind) {
    SearchSql where = RollupWhere(dialect, query, kind);
    long long hash = 0, rank = 0, fetch = query.limit + kTieSlack;
    soci::statement st(sql);
    st.exchange(soci::into(hash));
    st.exchange(soci::into(rank));
    where.Bind(st);
    st.exchange(soci::use(fetch, "limit"));
    Prepare(st, fmt::format("SELECT report_daily.value_hash, SUM(report_daily.{}) AS m FROM "
                            "report_daily{} GROUP BY report_daily.value_hash ORDER BY m DESC "
                            "LIMIT :limit",
                            RankColumnOf(query.mode), where.Where()));
    st.execute();
    std::vector<std::pair<std::int64_t, long long>> top;
    while (st.fetch()) top.emplace_back(hash, rank);
    std::vector<std::int64_t> hashes;
    if (std::cmp_less_equal(top.size(), query.limit)) {
        for (const auto& [h, r] : top) hashes.push_back(h);
        return hashes;
    }
    const long long last = top[static_cast<std::size_t>(query.limit) - 1].second;
    if (std::cmp_equal(top.size(), fetch) && top.back().second == last) return std::nullopt;
    for (const auto& [h, r] : top) {
        if (r >= last) hashes.push_back(h);
    }
    return hashes;
}

// MariaDB (Dialect::GroupsRollupsByHash): ranks the integer hashes first, in
// memory, then groups the text of the top places' rows only.
MailReport ReadRollupReport(soci::session& sql, const Dialect& dialect,
                            const app::ReportQuery& query, RollupKind kind) {
    if (dialect.GroupsRollupsByHash()) {
        if (auto hashes = TopHashes(sql, dialect, query, kind)) {
            return ReadRollup(sql, dialect, query, kind, &*hashes);
        }
    }
    return ReadRollup(sql, dialect, query, kind, nullptr);
}

// ReportSplit::kAction: each day row's mails per action, in one GROUP BY
// over the same mails, restricted to the days the rows show.
void AddActionSplit(soci::session& sql, const Dialect& dialect, const app::MailSearch& search,
                    const std::vector<std::int64_t>& days, std::vector<ReportRow>& rows) {
    if (days.empty()) return;
    SearchSql where = WhereOf(dialect, search);
    where.AddIntegerIn("mails.received_day", days);
    long long day = 0, count = 0;
    std::string action;
    soci::statement st(sql);
    st.exchange(soci::into(day));
    st.exchange(soci::into(action));
    st.exchange(soci::into(count));
    where.Bind(st);
    Prepare(st, "SELECT mails.received_day, mails.action, COUNT(*) FROM mails" + where.Where() +
                    " GROUP BY mails.received_day, mails.action");
    st.execute();
    while (st.fetch()) {
        const auto it = std::ranges::find(days, static_cast<std::int64_t>(day));
        if (it != days.end()) rows[static_cast<std::size_t>(it - days.begin())].actions[action] = count;
    }
}

}  // namespace

Result<MailStats> SqlMailReports::Stats(const app::MailSearch& search) {
    if (auto r = CheckFilters(search); !r) return std::unexpected(r.error());
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<MailStats>(
        "computing statistics", [&](soci::session& sql) -> Result<MailStats> {
            MailStats stats;
            {
                SearchSql where = WhereOf(dialect, search);
                long long total = 0, stored = 0, notified = 0, released = 0, virus = 0, oldest = 0,
                          newest = 0;
                soci::indicator oldest_ind = soci::i_null, newest_ind = soci::i_null;
                soci::statement st(sql);
                st.exchange(soci::into(total));
                st.exchange(soci::into(stored));
                st.exchange(soci::into(notified));
                st.exchange(soci::into(released));
                st.exchange(soci::into(virus));
                st.exchange(soci::into(oldest, oldest_ind));
                st.exchange(soci::into(newest, newest_ind));
                where.Bind(st);
                Prepare(st,
                        "SELECT COUNT(*), COALESCE(SUM(mails.stored), 0), "
                        "COALESCE(SUM(mails.notified), 0), COALESCE(SUM(mails.released), 0), "
                        "COALESCE(SUM(mails.has_virus), 0), MIN(mails.received_at), "
                        "MAX(mails.received_at) FROM mails" +
                            where.Where());
                st.execute(true);
                stats.total = total;
                stats.stored = stored;
                stats.notified = notified;
                stats.released = released;
                stats.virus = virus;
                if (oldest_ind == soci::i_ok) stats.oldest = oldest;
                if (newest_ind == soci::i_ok) stats.newest = newest;
            }
            SearchSql where = WhereOf(dialect, search);
            std::string action;
            long long count = 0;
            soci::statement st(sql);
            st.exchange(soci::into(action));
            st.exchange(soci::into(count));
            where.Bind(st);
            Prepare(st, "SELECT mails.action AS v, COUNT(*) AS n FROM mails" + where.Where() +
                            " GROUP BY mails.action ORDER BY n DESC, v");
            st.execute();
            while (st.fetch()) stats.actions.emplace_back(action, count);
            return stats;
        });
}

Result<MailReport> SqlMailReports::Report(const app::ReportQuery& query) {
    if (auto r = CheckFilters(query.search); !r) return std::unexpected(r.error());
    if (query.limit < 1 || query.limit > 1000) {
        return Fail(ErrorCode::kInvalidArgument, "limit must be within 1..1000");
    }
    if (query.mode == ReportMode::kDay && query.field != ReportField::kDate) {
        return Fail(ErrorCode::kInvalidArgument, "report mode \"day\" is for the field date");
    }
    if (query.split != ReportSplit::kNone && query.field != ReportField::kDate) {
        return Fail(ErrorCode::kInvalidArgument, "a report split is for the field date");
    }
    const Dialect& dialect = db_->GetDialect();
    const auto rollup = RollupOf(query.field);
    const bool dates_only =
        !query.search.scope && std::ranges::all_of(query.search.filters, [](const MailFilter& f) {
            return f.field == FilterField::kDate;
        });
    if (rollup && dates_only) {
        // Whole days only: the daily roll-ups hold the same counts.
        return db_->Run<MailReport>("computing a report",
                                    [&](soci::session& sql) -> Result<MailReport> {
                                        return ReadRollupReport(sql, dialect, query, *rollup);
                                    });
    }
    return db_->Run<MailReport>(
        "computing a report", [&](soci::session& sql) -> Result<MailReport> {
            MailReport report;
            report.field = query.field;
            report.mode = query.mode;
            const GroupBy group = GroupByOf(query.field);
            SearchSql where = WhereOf(dialect, query.search);
            std::string text;
            long long integer = 0, n = 0, stored = 0, size = 0, limit = query.limit;
            std::vector<std::int64_t> days;  // each row's, for the split
            soci::statement st(sql);
            if (group.integer) {
                st.exchange(soci::into(integer));
            } else {
                st.exchange(soci::into(text));
            }
            st.exchange(soci::into(n));
            st.exchange(soci::into(stored));
            st.exchange(soci::into(size));
            where.Bind(st);
            st.exchange(soci::use(limit, "limit"));
            Prepare(st,
                    fmt::format("SELECT {0} AS v, COUNT(*) AS n, COALESCE(SUM(mails.stored), 0) AS "
                                "st, COALESCE(SUM(mails.size), 0) AS sz FROM mails{1}{2} GROUP BY "
                                "{0} ORDER BY {3} LIMIT :limit",
                                group.expr, group.join, where.Where(), OrderOf(query.mode)));
            st.execute();
            while (st.fetch()) {
                ReportRow row;
                if (query.field == ReportField::kDate) {
                    row.value = FormatDay(integer * kDayMs);
                    days.push_back(integer);
                } else if (group.integer) {
                    row.value = std::to_string(integer);
                } else {
                    row.value = text;
                }
                row.total = n;
                row.stored = stored;
                row.size = size;
                report.rows.push_back(std::move(row));
            }
            if (query.split == ReportSplit::kAction) {
                AddActionSplit(sql, dialect, query.search, days, report.rows);
            }
            report.totals = Totals(sql, dialect, query.search);
            return report;
        });
}

Result<std::vector<QuarantineDay>> SqlMailReports::QuarantineDays(
    const std::optional<std::vector<std::string>>& scope, std::int64_t limit,
    std::optional<std::int64_t> before_day_ms) {
    if (limit < 1 || limit > 1000) {
        return Fail(ErrorCode::kInvalidArgument, "limit must be within 1..1000");
    }
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<std::vector<QuarantineDay>>(
        "listing quarantine days", [&](soci::session& sql) -> Result<std::vector<QuarantineDay>> {
            SearchSql where(dialect);
            if (scope) where.AddScope(*scope);
            where.AddQuarantined(before_day_ms
                                     ? std::optional<std::int64_t>(*before_day_ms / kDayMs)
                                     : std::nullopt);
            long long day = 0, count = 0, n = limit;
            soci::statement st(sql);
            st.exchange(soci::into(day));
            st.exchange(soci::into(count));
            where.Bind(st);
            st.exchange(soci::use(n, "limit"));
            Prepare(st, "SELECT mails.received_day AS v, COUNT(*) AS n FROM mails" + where.Where() +
                            " GROUP BY mails.received_day ORDER BY v DESC LIMIT :limit");
            st.execute();
            std::vector<QuarantineDay> days;
            while (st.fetch()) days.push_back(QuarantineDay{FormatDay(day * kDayMs), count});
            return days;
        });
}

}  // namespace rqwatch::storage
