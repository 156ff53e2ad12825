// rqwatch migrate: brings the database schema up to date (idempotent).

#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/database_url.hpp"
#include "storage/migrator.hpp"

namespace rqwatch::cli {

int RunMigrate(const std::string& config_path) {
    auto cfg = LoadOrReport(config_path);
    if (!cfg) return 1;
    auto db = OpenDatabaseOrReport(*cfg, /*migrate=*/false);
    if (!db) return 1;
    auto applied = storage::Migrate(*db);
    if (!applied) {
        PrintError("migration failed", applied.error());
        return 1;
    }
    auto version = storage::CurrentVersion(*db);
    std::cout << "applied " << *applied << " migration(s); schema version "
              << (version ? std::to_string(*version) : std::string("?")) << " ("
              << RedactDatabaseUrl(cfg->database.url) << ")\n";
    return 0;
}

}  // namespace rqwatch::cli
