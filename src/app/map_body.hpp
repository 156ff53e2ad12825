#pragma once
// The text Rspamd downloads for a map: one line per live entry, the value;
// "value|rcpt" for combined and personal maps (what rqwatch_maps.lua and a
// selector multimap look up); "key score" for key-score maps (the score is
// part of the value). Never empty: Rspamd backs off for up to 200 minutes on
// a 0-byte map, so a map without entries is one comment line.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "app/ports/map_repo.hpp"

namespace rqwatch::app {

// Built line by line as the repository streams the entries, so that no
// entry is copied on the way (MapRepo::EachLiveEntry).
class MapBody {
  public:
    explicit MapBody(const MapInfo& map);
    void Add(std::string_view value, std::string_view second);
    [[nodiscard]] std::size_t Lines() const { return lines_; }
    // The body; the builder is spent.
    [[nodiscard]] std::string Finish() &&;

  private:
    std::string name_;
    bool pair_;
    std::string out_;
    std::size_t lines_ = 0;
};

// The body of a map from whole entries (tests and the benchmark).
[[nodiscard]] std::string RenderMap(const MapInfo& map, const std::vector<MapEntry>& live);
// A strong ETag of a body: "\"<16 hex digits>-<length>\"" (FNV-1a 64).
[[nodiscard]] std::string MapEtag(std::string_view body);

}  // namespace rqwatch::app
