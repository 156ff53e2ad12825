#include "app/ports/map_repo.hpp"

namespace rqwatch::app {

std::string_view MapListKindName(MapListKind kind) {
    switch (kind) {
        case MapListKind::kAllow: return "allow";
        case MapListKind::kBlock: return "block";
        case MapListKind::kCustom: return "custom";
    }
    return "custom";
}

std::optional<MapListKind> ParseMapListKind(std::string_view name) {
    for (MapListKind k : {MapListKind::kAllow, MapListKind::kBlock, MapListKind::kCustom}) {
        if (MapListKindName(k) == name) return k;
    }
    return std::nullopt;
}

std::string_view MapScopeName(MapScope scope) {
    switch (scope) {
        case MapScope::kBasic: return "basic";
        case MapScope::kCombined: return "combined";
        case MapScope::kPersonal: return "personal";
        case MapScope::kCustom: return "custom";
    }
    return "custom";
}

std::optional<MapScope> ParseMapScope(std::string_view name) {
    for (MapScope s : {MapScope::kBasic, MapScope::kCombined, MapScope::kPersonal, MapScope::kCustom}) {
        if (MapScopeName(s) == name) return s;
    }
    return std::nullopt;
}

}  // namespace rqwatch::app
