// rqwatch maps rspamd-config | export: what Rspamd needs for rqwatch's
// maps, and the maps as files for hosts that read them from disk.

#include <fmt/format.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <filesystem>
#include <iostream>

#include "app/map_publisher.hpp"
#include "app/rspamd_map_config.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "storage/sql_map_repo.hpp"
#include "util/fs.hpp"

namespace rqwatch::cli {

int RunMapsRspamdConfig(const std::string& config_path, const MapsRspamdConfigArgs& args) {
    auto cfg = LoadOrReport(config_path);
    if (!cfg) return 1;
    auto db = OpenDatabaseOrReport(*cfg, /*migrate=*/true);
    if (!db) return 1;
    storage::SqlMapRepo repo(db);
    auto maps = repo.List();
    if (!maps) {
        PrintError("cannot list the maps", maps.error());
        return 1;
    }
    std::string base = args.base_url;
    if (base.empty()) {
        const std::string host = cfg->listen_host == "0.0.0.0" || cfg->listen_host == "::"
                                     ? "127.0.0.1"
                                     : cfg->listen_host;
        base = fmt::format("http://{}:{}",
                           host.find(':') != std::string::npos ? "[" + host + "]" : host,
                           cfg->listen_port);
    }
    const auto conf = app::MakeRspamdMapConfig(
        *maps, app::RspamdMapConfigOptions{.base_url = base,
                                           .lua_path = args.lua_path,
                                           .allow_score = args.allow_score,
                                           .block_score = args.block_score,
                                           .poll_seconds = args.poll_seconds,
                                           .username = cfg->maps.reader_username,
                                           .password = cfg->maps.reader_password});
    if (args.out_dir.empty()) {
        std::cout << "# ==> local.d/multimap.conf <==\n"
                  << conf.multimap << "\n# ==> rspamd.conf.local <==\n"
                  << conf.lua;
        return 0;
    }
    for (const auto& [file, text] :
         {std::pair{"multimap.conf", conf.multimap}, std::pair{"rqwatch_maps.conf", conf.lua}}) {
        if (auto ok = util::AtomicWriteFile(args.out_dir + "/" + file, text, 0644); !ok) {
            PrintError(fmt::format("cannot write {}/{}", args.out_dir, file), ok.error());
            return 1;
        }
    }
    return 0;
}

int RunMapsExport(const std::string& config_path, const MapsExportArgs& args) {
    auto cfg = LoadOrReport(config_path);
    if (!cfg) return 1;
    auto db = OpenDatabaseOrReport(*cfg, /*migrate=*/true);
    if (!db) return 1;
    if (auto ok = util::MakeDirs(args.dir, 0755); !ok) {
        PrintError("cannot create " + args.dir, ok.error());
        return 1;
    }
    storage::SqlMapRepo repo(db);
    app::MapPublisher publisher(repo);
    auto maps = repo.List();
    if (!maps) {
        PrintError("cannot list the maps", maps.error());
        return 1;
    }
    int written = 0, unchanged = 0;
    for (const auto& m : *maps) {
        auto published = publisher.Get(m.name);
        if (!published) {
            PrintError("cannot render map " + m.name, published.error());
            return 1;
        }
        const std::string path = fmt::format("{}/{}.txt", args.dir, m.name);
        // Only when changed: a reader watching the file's mtime reloads it
        // only then.
        if (auto old = util::ReadFile(path); old && *old == (*published)->body) {
            ++unchanged;
            continue;
        }
        if (auto ok = util::AtomicWriteFile(path, (*published)->body, 0644); !ok) {
            PrintError("cannot write " + path, ok.error());
            return 1;
        }
        // mtime = the map's change stamp, as Last-Modified over HTTP.
        const timespec times[2] = {{(*published)->last_modified, 0},
                                   {(*published)->last_modified, 0}};
        ::utimensat(AT_FDCWD, path.c_str(), times, 0);
        ++written;
    }
    std::cout << fmt::format("maps export: {} written, {} unchanged in {}\n", written, unchanged,
                             args.dir);
    return 0;
}

}  // namespace rqwatch::cli
