#include "core/map_kind.hpp"

#include <array>
#include <utility>

namespace rqwatch {
namespace {

constexpr std::array<std::pair<MapField, std::string_view>, 9> kFieldNames{{
    {MapField::kEmail, "email"},
    {MapField::kIp, "ip"},
    {MapField::kDomain, "domain"},
    {MapField::kAsn, "asn"},
    {MapField::kUrl, "url"},
    {MapField::kText, "text"},
    {MapField::kRegexp, "regexp"},
    {MapField::kGlob, "glob"},
    {MapField::kKeyScore, "key_score"},
}};

constexpr bool NameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

constexpr bool AlnumChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

bool ValidMapName(std::string_view name) {
    if (name.empty() || name.size() > 64 || !AlnumChar(name.front())) return false;
    for (char c : name) {
        if (!NameChar(c)) return false;
    }
    return name.find("..") == std::string_view::npos;
}

std::string_view MapFieldName(MapField field) {
    for (const auto& [f, name] : kFieldNames) {
        if (f == field) return name;
    }
    return "unknown";
}

std::optional<MapField> ParseMapField(std::string_view name) {
    for (const auto& [f, n] : kFieldNames) {
        if (n == name) return f;
    }
    return std::nullopt;
}

}  // namespace rqwatch
