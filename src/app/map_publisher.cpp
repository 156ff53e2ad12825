#include "app/map_publisher.hpp"

#include <fmt/format.h>

#include "util/ids.hpp"

namespace rqwatch::app {

MapPublisher::MapPublisher(MapRepo& repo, Clock clock, std::int64_t stamp_ttl_ms)
    : repo_(repo),
      clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)),
      stamp_ttl_ms_(stamp_ttl_ms) {}

void MapPublisher::Invalidate(const std::string& name) {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(name); it != cache_.end()) it->second.checked_at = 0;
}

std::string RenderMap(const MapInfo& map, const std::vector<MapEntry>& live) {
    if (live.empty()) return fmt::format("# rqwatch map {}: no entries\n", map.name);
    std::string out;
    std::size_t size = 0;
    for (const MapEntry& e : live) size += e.value.size() + e.second.size() + 2;
    out.reserve(size);
    const bool pair = map.shape.second.has_value();
    for (const MapEntry& e : live) {
        out += e.value;
        if (pair) {
            out += '|';
            out += e.second;
        }
        out += '\n';
    }
    return out;
}

std::string MapEtag(std::string_view body) {
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : body) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return fmt::format("\"{:016x}-{:x}\"", h, body.size());
}

std::shared_ptr<const PublishedMap> MapPublisher::Fresh(std::string_view name) {
    const std::int64_t now = clock_();
    std::lock_guard lock(mutex_);
    auto it = cache_.find(name);
    if (it == cache_.end() || it->second.checked_at == 0) return nullptr;
    Cached& c = it->second;
    if (now - c.checked_at < stamp_ttl_ms_) return c.map;
    if (c.refresh_from > 0 && now - c.refresh_from < kRefreshWaitMs) return c.map;
    c.refresh_from = now;  // this caller reads the stamp (Get)
    return nullptr;
}

std::shared_ptr<const PublishedMap> MapPublisher::WithinTtl(std::string_view name,
                                                            std::int64_t now) {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(name); it != cache_.end() && it->second.checked_at > 0 &&
                                      now - it->second.checked_at < stamp_ttl_ms_) {
        return it->second.map;
    }
    return nullptr;
}

Result<std::shared_ptr<const PublishedMap>> MapPublisher::Get(const std::string& name) {
    const std::int64_t now = clock_();
    if (auto fresh = WithinTtl(name, now)) return fresh;
    auto stamp = repo_.Stamp(name, now);
    if (!stamp) return std::unexpected(stamp.error());
    {
        std::lock_guard lock(mutex_);
        if (auto it = cache_.find(name); it != cache_.end() &&
                                          it->second.stamp.map_id == stamp->map_id &&
                                          it->second.stamp.stamp == stamp->stamp &&
                                          it->second.stamp.expired == stamp->expired) {
            it->second.checked_at = now;
            it->second.refresh_from = 0;
            return it->second.map;
        }
    }
    auto map = repo_.Find(name);
    if (!map) return std::unexpected(map.error());
    auto live = repo_.LiveEntries(map->id, now);
    if (!live) return std::unexpected(live.error());
    auto out = std::make_shared<PublishedMap>();
    out->name = name;
    out->body = RenderMap(*map, *live);
    out->etag = MapEtag(out->body);
    out->last_modified = stamp->stamp;
    out->entries = live->size();
    std::lock_guard lock(mutex_);
    cache_[name] = Cached{*stamp, out, now, 0};
    return std::shared_ptr<const PublishedMap>(std::move(out));
}

}  // namespace rqwatch::app
