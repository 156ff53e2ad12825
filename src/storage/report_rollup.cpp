#include "storage/report_rollup.hpp"

#include <fmt/format.h>

#include "storage/mail_row.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::size_t kRowsPerStatement = 500;

struct Row {
    long long day = 0;
    int kind = 0;
    std::string value;
    RollupSums sums;
};

}  // namespace

std::optional<RollupKind> RollupOf(ReportField field) {
    switch (field) {
        case ReportField::kMailFrom:
            return RollupKind::kMailFrom;
        case ReportField::kRcptTo:
            return RollupKind::kRcptTo;
        case ReportField::kSymbol:
            return RollupKind::kSymbol;
        case ReportField::kRcptToDomain:
            return RollupKind::kRcptToDomain;
        case ReportField::kMailFromDomain:
            return RollupKind::kMailFromDomain;
        default:
            return std::nullopt;
    }
}

void RollupBatch::Add(std::int64_t day, RollupKind kind, const std::string& value, bool stored,
                      std::int64_t size) {
    RollupSums& s = sums_[{day, static_cast<int>(kind), value}];
    s.mails += 1;
    s.stored += stored ? 1 : 0;
    s.size += size;
}

void RollupBatch::Write(soci::session& sql, const Dialect& dialect) {
    std::vector<Row> rows;
    rows.reserve(sums_.size());
    for (const auto& [key, sums] : sums_) {
        rows.push_back(Row{std::get<0>(key), std::get<1>(key), std::get<2>(key), sums});
    }
    // Bound by position (see BindUse); SQLite gets anonymous placeholders.
    const std::string one = dialect.Kind() == DialectKind::kSqlite ? "(?, ?, ?, ?, ?, ?)" : "";
    for (std::size_t begin = 0; begin < rows.size(); begin += kRowsPerStatement) {
        const std::size_t end = std::min(rows.size(), begin + kRowsPerStatement);
        std::string values;
        soci::statement st(sql);
        for (std::size_t i = begin; i < end; ++i) {
            if (!values.empty()) values += ", ";
            values += one.empty()
                          ? fmt::format("(:d{0}, :k{0}, :v{0}, :m{0}, :s{0}, :z{0})", i - begin)
                          : one;
            st.exchange(soci::use(rows[i].day));
            st.exchange(soci::use(rows[i].kind));
            st.exchange(soci::use(rows[i].value));
            st.exchange(soci::use(rows[i].sums.mails));
            st.exchange(soci::use(rows[i].sums.stored));
            st.exchange(soci::use(rows[i].sums.size));
        }
        Prepare(st, dialect.UpsertAddRows("report_daily", "day, kind, value", "mails, stored, size",
                                          values));
        st.execute(true);
    }
}

}  // namespace rqwatch::storage
