#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace rqwatch::config {

struct LoadOutcome {
    Config config;
    std::vector<std::string> errors;  // every problem found, "file: key: message"
    std::vector<std::string> files;   // files read, in order (main, then local override)

    [[nodiscard]] bool Ok() const { return errors.empty(); }
};

// Reads an environment variable; injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
[[nodiscard]] EnvLookup ProcessEnv();

// The override file that sits beside `main_path`: rqwatch.toml -> rqwatch.local.toml.
[[nodiscard]] std::string LocalOverridePath(const std::string& main_path);

// Loads `path` (nullopt: built-in defaults only, paths relative to the current
// directory), merges its .local.toml override if present, resolves secrets and
// paths, and validates everything. Never stops at the first error.
[[nodiscard]] LoadOutcome LoadConfig(const std::optional<std::string>& path,
                                     const EnvLookup& env = ProcessEnv());

}  // namespace rqwatch::config
