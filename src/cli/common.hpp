#pragma once
// Shared by the subcommands: finding and loading the configuration, opening
// the database.

#include <memory>
#include <optional>
#include <string>

#include "config/load_config.hpp"
#include "core/error.hpp"
#include "storage/database.hpp"

namespace rqwatch::cli {

// --config as given, else ./rqwatch.toml, else /etc/rqwatch/rqwatch.toml, else built-in defaults.
[[nodiscard]] std::optional<std::string> FindConfigFile(const std::string& given);

// Loads and validates; prints every problem to stderr. nullopt when invalid.
[[nodiscard]] std::optional<config::Config> LoadOrReport(const std::string& given);

// Creates the data directory if needed, opens and (if `migrate`) migrates the
// database. On failure prints "cannot open database URL: reason" (password
// redacted) and returns null.
[[nodiscard]] std::shared_ptr<storage::Database> OpenDatabaseOrReport(const config::Config& cfg,
                                                                      bool migrate);

void PrintError(const std::string& what, const Error& e);

}  // namespace rqwatch::cli
