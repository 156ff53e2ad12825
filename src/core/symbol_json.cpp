#include "core/symbol_json.hpp"

#include "util/json_string.hpp"

namespace rqwatch {

void AppendSymbolsJson(std::string& out, const std::vector<Symbol>& symbols) {
    out += '[';
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        const Symbol& sym = symbols[i];
        if (i != 0) out += ',';
        out += '{';
        util::AppendJsonKey(out, "name");
        util::AppendJsonString(out, sym.name);
        out += ',';
        util::AppendJsonKey(out, "score");
        util::AppendJsonNumber(out, sym.score);
        out += ',';
        util::AppendJsonKey(out, "group");
        util::AppendJsonString(out, sym.group);
        out += ',';
        util::AppendJsonKey(out, "groups");
        util::AppendJsonStringList(out, sym.groups);
        out += ',';
        util::AppendJsonKey(out, "options");
        util::AppendJsonStringList(out, sym.options);
        out += '}';
    }
    out += ']';
}

std::string SymbolsJsonText(const std::vector<Symbol>& symbols) {
    std::string out;
    out.reserve(64 * symbols.size() + 2);
    AppendSymbolsJson(out, symbols);
    return out;
}

nlohmann::json SymbolsToJson(const std::vector<Symbol>& symbols) {
    return nlohmann::json::parse(SymbolsJsonText(symbols));
}

}  // namespace rqwatch
