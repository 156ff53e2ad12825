#include "core/symbol_json.hpp"

namespace rqwatch {

nlohmann::json SymbolsToJson(const std::vector<Symbol>& symbols) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& s : symbols) {
        out.push_back({{"name", s.name},
                       {"score", s.score},
                       {"group", s.group},
                       {"groups", s.groups},
                       {"options", s.options}});
    }
    return out;
}

}  // namespace rqwatch
