#include "storage/query_plan.hpp"

#include <fmt/format.h>

namespace rqwatch::storage {

namespace {

std::string ColumnText(const soci::row& row, std::size_t i) {
    if (row.get_indicator(i) == soci::i_null) return {};
    switch (row.get_properties(i).get_data_type()) {
        case soci::dt_string:
            return row.get<std::string>(i);
        case soci::dt_double:
            return fmt::format("{}", row.get<double>(i));
        case soci::dt_integer:
            return std::to_string(row.get<int>(i));
        case soci::dt_long_long:
            return std::to_string(row.get<long long>(i));
        case soci::dt_unsigned_long_long:
            return std::to_string(row.get<unsigned long long>(i));
        default:
            return "?";
    }
}

std::string PlanLine(const soci::row& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
        const std::string& name = row.get_properties(i).get_name();
        if (name == "detail" || name == "QUERY PLAN") return ColumnText(row, i);
    }
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
        const std::string value = ColumnText(row, i);
        if (value.empty()) continue;
        if (!line.empty()) line += ' ';
        line += fmt::format("{}={}", row.get_properties(i).get_name(), value);
    }
    return line;
}

}  // namespace

std::vector<std::string> ReadPlan(soci::statement& st, soci::row& row) {
    std::vector<std::string> lines;
    if (!st.execute(true)) return lines;
    do {
        lines.push_back(PlanLine(row));
    } while (st.fetch());
    return lines;
}

}  // namespace rqwatch::storage
