#pragma once
// What Rspamd needs to use rqwatch's maps (`rqwatch maps rspamd-config`):
// multimap rules for the basic maps and the custom maps whose field a
// multimap type reads, and the rqwatch_maps section that lua/rqwatch_maps.lua
// reads for the combined and personal maps (checked per recipient). Only
// what Rspamd 3.4 understands: no `extract_from` (3.9+), no `prefilter`,
// MIME From through a selector, `one_shot` everywhere (a rule otherwise
// scores once per matching recipient).

#include <cstdint>
#include <string>
#include <vector>

#include "app/ports/map_repo.hpp"

namespace rqwatch::app {

struct RspamdMapConfigOptions {
    std::string base_url;          // "http://127.0.0.1:8480": where Rspamd reaches rqwatch
    std::string lua_path;          // where rqwatch_maps.lua is installed
    double allow_score = -20;      // a hit of an allow map
    double block_score = 20;       // a hit of a block map (reject at the default 15)
    std::int64_t poll_seconds = 0;  // per-map poll interval; 0: map_watch_interval
    std::string username;          // maps.reader_username / _password, put in the URLs
    std::string password;
};

struct RspamdMapConfig {
    std::string multimap;  // local.d/multimap.conf
    std::string lua;       // rspamd.conf.local (top level): rqwatch_maps { … } and lua = …
};

[[nodiscard]] RspamdMapConfig MakeRspamdMapConfig(const std::vector<MapInfo>& maps,
                                                  const RspamdMapConfigOptions& options);
// "RQWATCH_SMTP_FROM_BLOCK": the symbol of a map.
[[nodiscard]] std::string MapSymbol(const std::string& name);

}  // namespace rqwatch::app
