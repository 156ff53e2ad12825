#include "app/map_publisher.hpp"

#include "app/map_body.hpp"
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
    if (auto fresh = WithinTtl(name, clock_())) return fresh;
    // One reader per map at a time. After a restart (or an edit) every
    // Rspamd worker polls at once; without this each would read all of a
    // 100,000-entry map, and the last would wait for all the others. The
    // callers behind the first find its result within the TTL.
    std::lock_guard reading(gates_[std::hash<std::string>{}(name) % gates_.size()]);
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
    MapBody body(*map);
    auto live = repo_.EachLiveEntry(
        map->id, now, [&body](std::string_view value, std::string_view second) {
            body.Add(value, second);
        });
    if (!live) return std::unexpected(live.error());
    auto out = std::make_shared<PublishedMap>();
    out->name = name;
    out->body = std::move(body).Finish();
    out->etag = MapEtag(out->body);
    out->last_modified = stamp->stamp;
    out->entries = *live;
    std::lock_guard lock(mutex_);
    cache_[name] = Cached{*stamp, out, now, 0};
    return std::shared_ptr<const PublishedMap>(std::move(out));
}

}  // namespace rqwatch::app
