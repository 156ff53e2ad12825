#include "core/mail_report.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace rqwatch {
namespace {

constexpr std::array<std::pair<ReportField, std::string_view>, 15> kFields = {{
    {ReportField::kIp, "ip"},
    {ReportField::kAction, "action"},
    {ReportField::kHasVirus, "has_virus"},
    {ReportField::kMailFrom, "mail_from"},
    {ReportField::kRcptTo, "rcpt_to"},
    {ReportField::kMimeFrom, "mime_from"},
    {ReportField::kMimeTo, "mime_to"},
    {ReportField::kServer, "server"},
    {ReportField::kMailFromDomain, "mail_from_domain"},
    {ReportField::kRcptToDomain, "rcpt_to_domain"},
    {ReportField::kMimeFromDomain, "mime_from_domain"},
    {ReportField::kMimeToDomain, "mime_to_domain"},
    {ReportField::kDate, "date"},
    {ReportField::kSymbol, "symbol"},
    {ReportField::kCountry, "country"},
}};

constexpr std::array<std::pair<ReportMode, std::string_view>, 4> kModes = {{
    {ReportMode::kCount, "count"},
    {ReportMode::kVolume, "volume"},
    {ReportMode::kStored, "stored"},
    {ReportMode::kDay, "day"},
}};

// kNone has no name: it is the parameter's absence.
constexpr std::array<std::pair<ReportSplit, std::string_view>, 1> kSplits = {{
    {ReportSplit::kAction, "action"},
}};

template <class Table>
std::string Names(const Table& table) {
    std::string out;
    for (const auto& [value, name] : table) out += (out.empty() ? "" : ", ") + std::string(name);
    return out;
}

// The value named `name` in `table`, or an error listing the names.
template <class Table>
auto ParseName(const Table& table, std::string_view name, std::string_view what,
               std::string_view whats) -> Result<typename Table::value_type::first_type> {
    for (const auto& [value, n] : table) {
        if (n == name) return value;
    }
    return Fail(ErrorCode::kInvalidArgument, fmt::format("unknown report {} \"{}\" ({}: {})", what,
                                                         name.substr(0, 64), whats, Names(table)));
}

}  // namespace

Result<ReportField> ParseReportField(std::string_view name) {
    return ParseName(kFields, name, "field", "fields");
}

Result<ReportMode> ParseReportMode(std::string_view name) {
    return ParseName(kModes, name, "mode", "modes");
}

Result<ReportSplit> ParseReportSplit(std::string_view name) {
    return ParseName(kSplits, name, "split", "splits");
}

std::string_view ReportFieldName(ReportField field) {
    for (const auto& [f, n] : kFields) {
        if (f == field) return n;
    }
    return "?";
}

std::string_view ReportModeName(ReportMode mode) {
    for (const auto& [m, n] : kModes) {
        if (m == mode) return n;
    }
    return "?";
}

}  // namespace rqwatch
