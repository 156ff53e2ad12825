#include "storage/sql_script.hpp"

#include "util/ascii.hpp"

namespace rqwatch::storage {
namespace {

std::string_view Trim(std::string_view s) { return util::TrimAscii(s, " \t\n\v\f\r"); }

void Flush(std::string& statement, std::vector<std::string>& out) {
    const std::string_view code = Trim(statement);
    if (!code.empty()) out.emplace_back(code);
    statement.clear();
}

}  // namespace

std::vector<std::string> SplitSqlScript(std::string_view script) {
    std::vector<std::string> out;
    std::string statement;
    std::size_t i = 0;
    while (i < script.size()) {
        const char c = script[i];
        if (c == '\'' || c == '"' || c == '`') {
            // A doubled quote inside is an escaped quote: the scan simply
            // leaves and re-enters the quoted run, which is equivalent.
            const auto end = script.find(c, i + 1);
            const std::size_t next = end == std::string_view::npos ? script.size() : end + 1;
            statement.append(script.substr(i, next - i));
            i = next;
        } else if (script.substr(i, 2) == "--") {
            const auto nl = script.find('\n', i);
            i = nl == std::string_view::npos ? script.size() : nl + 1;
            statement += '\n';
        } else if (script.substr(i, 2) == "/*") {
            const auto end = script.find("*/", i + 2);
            i = end == std::string_view::npos ? script.size() : end + 2;
            statement += ' ';
        } else if (c == ';') {
            Flush(statement, out);
            ++i;
        } else {
            statement += c;
            ++i;
        }
    }
    Flush(statement, out);
    return out;
}

}  // namespace rqwatch::storage
