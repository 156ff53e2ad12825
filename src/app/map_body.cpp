#include "app/map_body.hpp"

#include <fmt/format.h>

namespace rqwatch::app {

MapBody::MapBody(const MapInfo& map) : name_(map.name), pair_(map.shape.second.has_value()) {}

void MapBody::Add(std::string_view value, std::string_view second) {
    out_ += value;
    if (pair_) {
        out_ += '|';
        out_ += second;
    }
    out_ += '\n';
    ++lines_;
}

std::string MapBody::Finish() && {
    if (lines_ == 0) return fmt::format("# rqwatch map {}: no entries\n", name_);
    return std::move(out_);
}

std::string RenderMap(const MapInfo& map, const std::vector<MapEntry>& live) {
    MapBody body(map);
    for (const MapEntry& e : live) body.Add(e.value, e.second);
    return std::move(body).Finish();
}

std::string MapEtag(std::string_view body) {
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : body) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return fmt::format("\"{:016x}-{:x}\"", h, body.size());
}

}  // namespace rqwatch::app
