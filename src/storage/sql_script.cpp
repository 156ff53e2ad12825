#include "storage/sql_script.hpp"

#include <cctype>

namespace rqwatch::storage {
namespace {

// True when the statement holds something besides whitespace and comments.
bool HasCode(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        if (std::isspace(static_cast<unsigned char>(s[i]))) {
            ++i;
        } else if (s.substr(i, 2) == "--") {
            const auto nl = s.find('\n', i);
            i = nl == std::string_view::npos ? s.size() : nl + 1;
        } else if (s.substr(i, 2) == "/*") {
            const auto end = s.find("*/", i + 2);
            i = end == std::string_view::npos ? s.size() : end + 2;
        } else {
            return true;
        }
    }
    return false;
}

void Flush(std::string_view statement, std::vector<std::string>& out) {
    if (HasCode(statement)) out.emplace_back(statement);
}

}  // namespace

std::vector<std::string> SplitSqlScript(std::string_view script) {
    std::vector<std::string> out;
    std::size_t start = 0;
    std::size_t i = 0;
    while (i < script.size()) {
        const char c = script[i];
        if (c == '\'' || c == '"' || c == '`') {
            // A doubled quote inside is an escaped quote: the scan simply
            // leaves and re-enters the quoted run, which is equivalent.
            const auto end = script.find(c, i + 1);
            i = end == std::string_view::npos ? script.size() : end + 1;
        } else if (script.substr(i, 2) == "--") {
            const auto nl = script.find('\n', i);
            i = nl == std::string_view::npos ? script.size() : nl + 1;
        } else if (script.substr(i, 2) == "/*") {
            const auto end = script.find("*/", i + 2);
            i = end == std::string_view::npos ? script.size() : end + 2;
        } else if (c == ';') {
            Flush(script.substr(start, i - start), out);
            start = ++i;
        } else {
            ++i;
        }
    }
    Flush(script.substr(start), out);
    return out;
}

}  // namespace rqwatch::storage
