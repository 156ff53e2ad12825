#pragma once
// Top-N reports of reference §D6 (plus symbols and countries): which field to
// group by and how to rank the groups.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace rqwatch {

enum class ReportField {
    kIp,
    kAction,
    kHasVirus,
    kMailFrom,
    kRcptTo,
    kMimeFrom,
    kMimeTo,
    kServer,
    kMailFromDomain,
    kRcptToDomain,
    kMimeFromDomain,
    kMimeToDomain,
    kDate,
    kSymbol,
    kCountry,
};

// count: most mails first; volume: most bytes; stored: most kept mails;
// day: newest day first (for the date field).
enum class ReportMode { kCount, kVolume, kStored, kDay };

// What each row is broken down by, besides its totals: nothing, or (for the
// date field) the count per Rspamd action, for a traffic-by-action chart.
enum class ReportSplit { kNone, kAction };

[[nodiscard]] Result<ReportField> ParseReportField(std::string_view name);
[[nodiscard]] Result<ReportMode> ParseReportMode(std::string_view name);
[[nodiscard]] std::string_view ReportFieldName(ReportField field);
[[nodiscard]] std::string_view ReportModeName(ReportMode mode);
// "action" only: kNone is the parameter's absence, not a value.
[[nodiscard]] Result<ReportSplit> ParseReportSplit(std::string_view name);

struct ReportRow {
    std::string value;  // "" for mails without one; days as YYYY-MM-DD
    std::int64_t total = 0;
    std::int64_t stored = 0;
    std::int64_t size = 0;  // bytes
    // ReportSplit::kAction: mails per action (only actions with some).
    std::map<std::string, std::int64_t> actions;
};

struct MailReport {
    ReportField field = ReportField::kAction;
    ReportMode mode = ReportMode::kCount;
    std::vector<ReportRow> rows;  // at most the requested limit
    ReportRow totals;             // over every matching mail, not only the top rows
};

// Counts of reference §D4.
struct MailStats {
    std::int64_t total = 0;
    std::int64_t stored = 0;
    std::int64_t notified = 0;
    std::int64_t released = 0;
    std::int64_t virus = 0;
    std::vector<std::pair<std::string, std::int64_t>> actions;  // most frequent first
    std::optional<std::int64_t> oldest;                         // received_at, unix ms
    std::optional<std::int64_t> newest;
};

struct QuarantineDay {
    std::string day;  // YYYY-MM-DD (UTC)
    std::int64_t count = 0;
};

}  // namespace rqwatch
