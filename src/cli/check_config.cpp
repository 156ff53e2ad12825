// rqwatch check-config: validates the configuration and reports every problem at once.

#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "config/config_keys.hpp"
#include "core/database_url.hpp"

namespace rqwatch::cli {

int RunCheckConfig(const std::string& config_path) {
    auto cfg = LoadOrReport(config_path);
    if (!cfg) return 1;
    const auto path = FindConfigFile(config_path);
    std::cout << "configuration OK (" << (path ? *path : std::string("built-in defaults")) << ")\n"
              << "  listen     " << cfg->server.listen << "\n"
              << "  database   " << RedactDatabaseUrl(cfg->database.url) << "\n"
              << "  spool      " << cfg->spool.dir << "\n"
              << "  quarantine " << cfg->quarantine.dir << "\n";
    return 0;
}

int RunConfigReference() {
    std::cout << config::RenderReferenceMarkdown();
    return 0;
}

}  // namespace rqwatch::cli
