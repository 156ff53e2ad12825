#include "storage/report_rollup.hpp"

#include <fmt/format.h>

#include "storage/multi_row.hpp"

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
    ExecuteInChunks(
        sql, dialect, "day, kind, value, mails, stored, size", rows, kRowsPerStatement,
        [](soci::statement& st, Row& r) {
            st.exchange(soci::use(r.day));
            st.exchange(soci::use(r.kind));
            st.exchange(soci::use(r.value));
            st.exchange(soci::use(r.sums.mails));
            st.exchange(soci::use(r.sums.stored));
            st.exchange(soci::use(r.sums.size));
        },
        [&](const std::string& values) {
            return dialect.UpsertAddRows("report_daily", "day, kind, value", "mails, stored, size",
                                         values);
        });
}

}  // namespace rqwatch::storage
