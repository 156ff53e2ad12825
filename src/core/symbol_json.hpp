#pragma once
// The one JSON shape of a Rspamd symbol, shared by the spool sidecar and the API.

#include <nlohmann/json.hpp>
#include <vector>

#include "core/mail.hpp"

namespace rqwatch {

[[nodiscard]] nlohmann::json SymbolsToJson(const std::vector<Symbol>& symbols);

}  // namespace rqwatch
