#pragma once
// Search filters over mails: field, operator, value, as the old Rqwatch had
// them (reference §D2/§D3: 18 fields × 10 operators), plus Rspamd symbols.
// Parsing and validation live here; storage/ turns a validated filter into
// SQL with bound values.
//
// Text form (API `filter=` parameter, CLI `--filter`): FIELD:OP:VALUE, split
// at the first two colons, so values may contain colons (IPv6, times).
//   action:eq:reject      subject:contains:invoice      score:ge:6.5
//   date:eq:2026-11-22    rcpt_to:eq:alice@example.org   symbol:eq:BAYES_SPAM
//   symbol.BAYES_SPAM:ge:3 (mails with that symbol scoring at least 3)

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace rqwatch {

enum class FilterField {
    kDate,
    kSubject,
    kAction,
    kScore,
    kStored,
    kIp,
    kMailFrom,
    kRcptTo,
    kMimeFrom,
    kMimeTo,
    kHasVirus,
    kSize,
    kHeaders,
    kSymbols,
    kReleased,
    kNotified,
    kNotificationPending,
    kServer,
    kCountry,      // ISO code of the sending IP (GeoIP)
    kSymbol,       // a symbol name (mail_symbols)
    kSymbolScore,  // the score of one named symbol
};

enum class FilterOp { kEq, kNe, kContains, kNotContains, kGt, kGe, kLt, kLe, kRegexp, kNotRegexp };

// What a field holds decides its operators and how its value is read.
enum class FieldKind { kText, kRecipient, kNumber, kFlag, kDate, kSymbol, kSymbolScore };

struct MailFilter {
    FilterField field = FilterField::kSubject;
    FilterOp op = FilterOp::kEq;
    std::string value;              // as given (text, regexp, symbol name); trimmed
    double number = 0;              // kNumber, kSymbolScore
    bool flag = false;              // kFlag
    std::int64_t day_start_ms = 0;  // kDate: 00:00 UTC of the day
    std::string symbol;             // kSymbolScore: the symbol whose score is compared
};

inline constexpr std::size_t kMaxFilterValue = 256;
inline constexpr std::size_t kMaxFilters = 20;

[[nodiscard]] FieldKind KindOf(FilterField field);
[[nodiscard]] std::string_view FieldName(FilterField field);
[[nodiscard]] std::string_view OpName(FilterOp op);
[[nodiscard]] std::vector<std::string_view> AllFieldNames();  // for messages and docs
[[nodiscard]] std::vector<std::string_view> AllOpNames();

// "FIELD:OP:VALUE" -> a validated filter; kInvalidArgument with a message
// that says what is wrong and what is allowed.
[[nodiscard]] Result<MailFilter> ParseMailFilter(std::string_view text);

// The same filter back in text form (round trip of ParseMailFilter).
[[nodiscard]] std::string FormatMailFilter(const MailFilter& filter);

// "YYYY-MM-DD" -> 00:00 UTC of that day in unix milliseconds.
[[nodiscard]] Result<std::int64_t> ParseDay(std::string_view day);
// The filter of a day view: "YYYY-MM-DD" or "today" (UTC) -> date:eq:DAY.
[[nodiscard]] Result<MailFilter> DayFilter(std::string_view day);

// Unix milliseconds -> "YYYY-MM-DD" of that instant in UTC.
[[nodiscard]] std::string FormatDay(std::int64_t unix_ms);

}  // namespace rqwatch
