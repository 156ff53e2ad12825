#include "core/mail_filter.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>

#include "core/regex_check.hpp"
#include "core/utf8.hpp"
#include "util/ascii.hpp"

namespace rqwatch {
namespace {

struct FieldInfo {
    FilterField field;
    std::string_view name;
    FieldKind kind;
};

constexpr std::array<FieldInfo, 20> kFields = {{
    {FilterField::kDate, "date", FieldKind::kDate},
    {FilterField::kSubject, "subject", FieldKind::kText},
    {FilterField::kAction, "action", FieldKind::kText},
    {FilterField::kScore, "score", FieldKind::kNumber},
    {FilterField::kStored, "stored", FieldKind::kFlag},
    {FilterField::kIp, "ip", FieldKind::kText},
    {FilterField::kMailFrom, "mail_from", FieldKind::kText},
    {FilterField::kRcptTo, "rcpt_to", FieldKind::kRecipient},
    {FilterField::kMimeFrom, "mime_from", FieldKind::kText},
    {FilterField::kMimeTo, "mime_to", FieldKind::kText},
    {FilterField::kHasVirus, "has_virus", FieldKind::kFlag},
    {FilterField::kSize, "size", FieldKind::kNumber},
    {FilterField::kHeaders, "headers", FieldKind::kText},
    {FilterField::kSymbols, "symbols", FieldKind::kText},
    {FilterField::kReleased, "released", FieldKind::kFlag},
    {FilterField::kNotified, "notified", FieldKind::kFlag},
    {FilterField::kNotificationPending, "notification_pending", FieldKind::kFlag},
    {FilterField::kServer, "server", FieldKind::kText},
    {FilterField::kCountry, "country", FieldKind::kText},
    {FilterField::kSymbol, "symbol", FieldKind::kSymbol},
}};

constexpr std::array<std::pair<FilterOp, std::string_view>, 10> kOps = {{
    {FilterOp::kEq, "eq"},
    {FilterOp::kNe, "ne"},
    {FilterOp::kContains, "contains"},
    {FilterOp::kNotContains, "not_contains"},
    {FilterOp::kGt, "gt"},
    {FilterOp::kGe, "ge"},
    {FilterOp::kLt, "lt"},
    {FilterOp::kLe, "le"},
    {FilterOp::kRegexp, "regexp"},
    {FilterOp::kNotRegexp, "not_regexp"},
}};

// The old system's spellings, accepted too.
constexpr std::array<std::pair<std::string_view, FilterOp>, 6> kOpAliases = {{
    {"=", FilterOp::kEq},
    {"<>", FilterOp::kNe},
    {"!=", FilterOp::kNe},
    {">", FilterOp::kGt},
    {">=", FilterOp::kGe},
    {"<", FilterOp::kLt},
}};

constexpr std::string_view kSymbolScorePrefix = "symbol.";

Error Invalid(std::string msg) { return Error{ErrorCode::kInvalidArgument, std::move(msg), {}}; }

std::string_view Trim(std::string_view s) { return util::TrimAscii(s); }

bool IsNumberOp(FilterOp op) {
    return op == FilterOp::kEq || op == FilterOp::kNe || op == FilterOp::kGt ||
           op == FilterOp::kGe || op == FilterOp::kLt || op == FilterOp::kLe;
}

bool IsSymbolName(std::string_view s) {
    if (s.empty() || s.size() > 128) return false;
    for (char c : s) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) {
            return false;
        }
    }
    return true;
}

Result<double> ParseNumber(std::string_view s, std::string_view field) {
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || !std::isfinite(v)) {
        return std::unexpected(Invalid(fmt::format("{} needs a number, not \"{}\"", field, s)));
    }
    return v;
}

Result<bool> ParseFlag(std::string_view s, std::string_view field) {
    if (s == "1" || s == "true" || s == "yes") return true;
    if (s == "0" || s == "false" || s == "no") return false;
    return std::unexpected(
        Invalid(fmt::format("{} is 0 or 1 (or true/false), not \"{}\"", field, s)));
}

std::string OpsList(std::initializer_list<FilterOp> ops) {
    std::string out;
    for (FilterOp op : ops) {
        if (!out.empty()) out += ", ";
        out += OpName(op);
    }
    return out;
}

}  // namespace

FieldKind KindOf(FilterField field) {
    if (field == FilterField::kSymbolScore) return FieldKind::kSymbolScore;
    for (const auto& f : kFields) {
        if (f.field == field) return f.kind;
    }
    return FieldKind::kText;
}

std::string_view FieldName(FilterField field) {
    if (field == FilterField::kSymbolScore) return "symbol.NAME";
    for (const auto& f : kFields) {
        if (f.field == field) return f.name;
    }
    return "?";
}

std::string_view OpName(FilterOp op) {
    for (const auto& [o, name] : kOps) {
        if (o == op) return name;
    }
    return "?";
}

std::vector<std::string_view> AllFieldNames() {
    std::vector<std::string_view> out;
    for (const auto& f : kFields) out.push_back(f.name);
    out.push_back("symbol.NAME");
    return out;
}

std::vector<std::string_view> AllOpNames() {
    std::vector<std::string_view> out;
    for (const auto& [op, name] : kOps) out.push_back(name);
    return out;
}

Result<std::int64_t> ParseDay(std::string_view day) {
    using namespace std::chrono;
    int y = 0;
    unsigned m = 0, d = 0;
    const bool shape = day.size() == 10 && day[4] == '-' && day[7] == '-';
    auto num = [&](std::size_t pos, std::size_t len, auto& out) {
        auto [end, ec] = std::from_chars(day.data() + pos, day.data() + pos + len, out);
        return ec == std::errc{} && end == day.data() + pos + len;
    };
    if (!shape || !num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) {
        return std::unexpected(Invalid(fmt::format("a day is YYYY-MM-DD, not \"{}\"", day)));
    }
    const year_month_day ymd{year{y}, month{m}, std::chrono::day{d}};
    if (!ymd.ok() || y < 1970 || y > 9999) {
        return std::unexpected(Invalid(fmt::format("\"{}\" is not a valid day", day)));
    }
    return duration_cast<milliseconds>(sys_days{ymd}.time_since_epoch()).count();
}

std::string FormatDay(std::int64_t unix_ms) {
    using namespace std::chrono;
    const year_month_day ymd{floor<days>(sys_time<milliseconds>(milliseconds(unix_ms)))};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

Result<MailFilter> DayFilter(std::string_view day) {
    if (day == "today") {
        return ParseMailFilter("date:eq:" +
                               FormatDay(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count()));
    }
    return ParseMailFilter("date:eq:" + std::string(day));
}

Result<MailFilter> ParseMailFilter(std::string_view text) {
    const auto c1 = text.find(':');
    const auto c2 = c1 == std::string_view::npos ? c1 : text.find(':', c1 + 1);
    if (c2 == std::string_view::npos) {
        return std::unexpected(
            Invalid(fmt::format("a filter is FIELD:OP:VALUE (e.g. action:eq:reject), not \"{}\"",
                                Utf8OrCp1252(text.substr(0, 80)))));
    }
    const std::string_view field_name = Trim(text.substr(0, c1));
    const std::string_view op_name = Trim(text.substr(c1 + 1, c2 - c1 - 1));
    const std::string_view value = Trim(text.substr(c2 + 1));

    MailFilter f;
    if (field_name.starts_with(kSymbolScorePrefix)) {
        f.field = FilterField::kSymbolScore;
        f.symbol = std::string(field_name.substr(kSymbolScorePrefix.size()));
        if (!IsSymbolName(f.symbol)) {
            return std::unexpected(Invalid(fmt::format(
                "\"{}\" is not a symbol name (letters, digits, _ - .)", Utf8OrCp1252(f.symbol))));
        }
    } else {
        bool found = false;
        for (const auto& fi : kFields) {
            if (fi.name == field_name) {
                f.field = fi.field;
                found = true;
            }
        }
        if (!found) {
            std::string names;
            for (auto n : AllFieldNames()) names += (names.empty() ? "" : ", ") + std::string(n);
            return std::unexpected(Invalid(
                fmt::format("unknown field \"{}\" (fields: {})", Utf8OrCp1252(field_name), names)));
        }
    }
    bool op_found = false;
    for (const auto& [op, name] : kOps) {
        if (name == op_name) {
            f.op = op;
            op_found = true;
        }
    }
    for (const auto& [alias, op] : kOpAliases) {
        if (alias == op_name) {
            f.op = op;
            op_found = true;
        }
    }
    if (op_name == "<=") {
        f.op = FilterOp::kLe;
        op_found = true;
    }
    if (!op_found) {
        std::string names;
        for (auto n : AllOpNames()) names += (names.empty() ? "" : ", ") + std::string(n);
        return std::unexpected(Invalid(
            fmt::format("unknown operator \"{}\" (operators: {})", Utf8OrCp1252(op_name), names)));
    }
    if (value.empty()) return std::unexpected(Invalid("the filter value is empty"));
    if (value.size() > kMaxFilterValue) {
        return std::unexpected(
            Invalid(fmt::format("the filter value is longer than {} bytes", kMaxFilterValue)));
    }
    if (!IsValidUtf8(value)) return std::unexpected(Invalid("the filter value is not UTF-8"));
    f.value = std::string(value);

    const std::string_view fname = FieldName(f.field);
    auto wrong_op = [&](std::initializer_list<FilterOp> allowed) {
        return std::unexpected(Invalid(fmt::format("{} takes the operators {}, not {}", fname,
                                                   OpsList(allowed), OpName(f.op))));
    };
    switch (KindOf(f.field)) {
        case FieldKind::kText:
        case FieldKind::kRecipient:
        case FieldKind::kSymbol:
            if (f.op == FilterOp::kRegexp || f.op == FilterOp::kNotRegexp) {
                if (auto r = CheckSearchRegex(f.value); !r) return std::unexpected(r.error());
            }
            if (KindOf(f.field) == FieldKind::kSymbol &&
                !(f.op == FilterOp::kEq || f.op == FilterOp::kNe || f.op == FilterOp::kContains ||
                  f.op == FilterOp::kNotContains || f.op == FilterOp::kRegexp ||
                  f.op == FilterOp::kNotRegexp)) {
                return wrong_op({FilterOp::kEq, FilterOp::kNe, FilterOp::kContains,
                                 FilterOp::kNotContains, FilterOp::kRegexp, FilterOp::kNotRegexp});
            }
            break;
        case FieldKind::kNumber:
        case FieldKind::kSymbolScore: {
            if (!IsNumberOp(f.op)) {
                return wrong_op({FilterOp::kEq, FilterOp::kNe, FilterOp::kGt, FilterOp::kGe,
                                 FilterOp::kLt, FilterOp::kLe});
            }
            auto n = ParseNumber(f.value, fname);
            if (!n) return std::unexpected(n.error());
            f.number = *n;
            if (f.field == FilterField::kSize &&
                (f.number != std::floor(f.number) || f.number < 0 || f.number > 9.0e15)) {
                return std::unexpected(
                    Invalid(fmt::format("size is a whole number of bytes, not \"{}\"", f.value)));
            }
            break;
        }
        case FieldKind::kFlag: {
            if (f.op != FilterOp::kEq && f.op != FilterOp::kNe) {
                return wrong_op({FilterOp::kEq, FilterOp::kNe});
            }
            auto b = ParseFlag(f.value, fname);
            if (!b) return std::unexpected(b.error());
            f.flag = *b;
            break;
        }
        case FieldKind::kDate: {
            if (!IsNumberOp(f.op)) {
                return wrong_op({FilterOp::kEq, FilterOp::kNe, FilterOp::kGt, FilterOp::kGe,
                                 FilterOp::kLt, FilterOp::kLe});
            }
            auto day = ParseDay(f.value);
            if (!day) return std::unexpected(day.error());
            f.day_start_ms = *day;
            break;
        }
    }
    return f;
}

std::string FormatMailFilter(const MailFilter& filter) {
    const std::string field = filter.field == FilterField::kSymbolScore
                                  ? std::string(kSymbolScorePrefix) + filter.symbol
                                  : std::string(FieldName(filter.field));
    return field + ":" + std::string(OpName(filter.op)) + ":" + filter.value;
}

}  // namespace rqwatch
