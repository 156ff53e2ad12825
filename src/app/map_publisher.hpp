#pragma once
// Use case: what Rspamd downloads from /maps/<name>.txt (and what
// `rqwatch maps export` writes): the enabled, unexpired entries, rendered
// by app/map_body.
//
// A rendered body is cached per map under its change stamp and expiry
// count. The stamp comes from the database, so every node sharing it
// answers the same Last-Modified and ETag; it is read again at most every
// `stamp_ttl_ms` (a poll of an unchanged map then costs no query), and at
// once after a change made through this process (Invalidate). A change
// made on another node shows within stamp_ttl_ms.

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "app/map_body.hpp"
#include "app/ports/map_repo.hpp"

namespace rqwatch::app {

struct PublishedMap {
    std::string name;
    std::string body;
    std::string etag;                 // quoted, of the body
    std::int64_t last_modified = 0;  // seconds since the epoch
    std::size_t entries = 0;
};

class MapPublisher {
  public:
    using Clock = std::function<std::int64_t()>;  // ms since the epoch
    explicit MapPublisher(MapRepo& repo, Clock clock = {}, std::int64_t stamp_ttl_ms = 1000);

    // Reads the stamp of `name` again at the next Get.
    void Invalidate(const std::string& name);

    // kNotFound for an unknown map.
    [[nodiscard]] Result<std::shared_ptr<const PublishedMap>> Get(const std::string& name);
    // What Get would answer without asking the database, else null (the
    // caller then runs Get on a thread that may block). Never blocks on I/O,
    // so the HTTP server calls it on an I/O thread. Within stamp_ttl_ms of
    // the last stamp read: the cached map. Past it, the first caller gets
    // null and so reads the stamp again; until that read ends (at most
    // kRefreshWaitMs) the others keep getting the cached map: without this,
    // every poll arriving during the read would run the same query. After
    // Invalidate: null for everyone, so a local change shows at once.
    [[nodiscard]] std::shared_ptr<const PublishedMap> Fresh(std::string_view name);
    static constexpr std::int64_t kRefreshWaitMs = 5000;

  private:
    struct Cached {
        MapStamp stamp;
        std::shared_ptr<const PublishedMap> map;
        std::int64_t checked_at = 0;  // ms; 0: read the stamp at the next Get
        std::int64_t refresh_from = 0;  // ms; a caller of Fresh is reading the stamp since
    };
    // The cached map when its stamp was read less than stamp_ttl_ms ago.
    std::shared_ptr<const PublishedMap> WithinTtl(std::string_view name, std::int64_t now);

    MapRepo& repo_;
    Clock clock_;
    std::int64_t stamp_ttl_ms_;
    std::mutex mutex_;
    std::map<std::string, Cached, std::less<>> cache_;
    // Held while a map's stamp and body are read (Get); a fixed set shared by
    // name hash, so that polls of unknown names allocate nothing.
    std::array<std::mutex, 8> gates_;
};

}  // namespace rqwatch::app
