#pragma once
// The one JSON shape of a Rspamd symbol list, shared by the spool record, the
// database column and the API: [{"name","score","group","groups","options"}].

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/mail.hpp"

namespace rqwatch {

// Written directly (no DOM): it runs for every mail, twice.
[[nodiscard]] std::string SymbolsJsonText(const std::vector<Symbol>& symbols);
void AppendSymbolsJson(std::string& out, const std::vector<Symbol>& symbols);
// The same as a DOM, for the API.
[[nodiscard]] nlohmann::json SymbolsToJson(const std::vector<Symbol>& symbols);

}  // namespace rqwatch
