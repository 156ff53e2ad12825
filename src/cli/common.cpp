#include "cli/common.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "core/database_url.hpp"
#include "storage/migrator.hpp"
#include "util/fs.hpp"
#include "util/log.hpp"

namespace rqwatch::cli {

std::optional<std::string> FindConfigFile(const std::string& given) {
    if (!given.empty()) return given;
    std::error_code ec;
    for (const char* candidate : {"rqwatch.toml", "/etc/rqwatch/rqwatch.toml"}) {
        if (std::filesystem::exists(candidate, ec)) return std::string(candidate);
    }
    return std::nullopt;
}

std::optional<config::Config> LoadOrReport(const std::string& given) {
    const auto path = FindConfigFile(given);
    if (path && !std::filesystem::exists(*path)) {
        std::cerr << "rqwatch: config file " << *path << " does not exist\n";
        return std::nullopt;
    }
    auto outcome = config::LoadConfig(path);
    // What only the LDAP layer knows how to check, in the same report.
    if (outcome.config.ldap.enabled) {
        for (const auto& problem : auth::CheckLdapSettings(outcome.config.ldap.settings)) {
            outcome.errors.push_back("ldap." + problem);
        }
    }
    for (const auto& problem : auth::CheckOidcSettings(outcome.config.oidc)) {
        outcome.errors.push_back("auth.oidc." + problem);
    }
    if (!outcome.Ok()) {
        for (const auto& e : outcome.errors) std::cerr << "config error: " << e << "\n";
        std::cerr << "rqwatch: " << outcome.errors.size() << " configuration problem"
                  << (outcome.errors.size() == 1 ? "" : "s") << " found\n";
        return std::nullopt;
    }
    util::InitLogging(outcome.config.log.level);
    return outcome.config;
}

void PrintError(const std::string& what, const Error& e) {
    std::cerr << "rqwatch: " << what << ": " << e.public_msg;
    if (!e.detail.empty()) std::cerr << " (" << e.detail << ")";
    std::cerr << "\n";
}

namespace {

Result<std::shared_ptr<storage::Database>> OpenDatabase(const config::Config& cfg, bool migrate) {
    auto target = ParseDatabaseUrl(cfg.database.url);
    if (!target) return std::unexpected(target.error());
    const auto& path = target->sqlite_path;
    const auto slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) {
        if (auto r = util::MakeDirs(path.substr(0, slash)); !r) return std::unexpected(r.error());
    }
    auto db = storage::Database::Open(storage::DatabaseOptions{
        .url = cfg.database.url, .pool_size = static_cast<int>(cfg.database.pool_size)});
    if (!db) return db;
    if (migrate) {
        auto applied = storage::Migrate(**db);
        if (!applied) return std::unexpected(applied.error());
        if (*applied > 0)
            spdlog::info("database {}: applied {} migration(s)", (*db)->Description(), *applied);
    }
    return db;
}

}  // namespace

std::shared_ptr<storage::Database> OpenDatabaseOrReport(const config::Config& cfg, bool migrate) {
    auto db = OpenDatabase(cfg, migrate);
    if (!db) {
        PrintError("cannot open database " + RedactDatabaseUrl(cfg.database.url), db.error());
        return nullptr;
    }
    return *db;
}

}  // namespace rqwatch::cli
