#pragma once
// The registry of configuration keys: the single declaration of every key's
// path, type, bounds, documentation and (through Config's initialisers)
// default. The loader, the validator and `rqwatch config-reference` (which
// produces the table in docs/configuration.md) all read it.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "config/config.hpp"

namespace rqwatch::config {

using StringRef = std::string& (*)(Config&);
using IntRef = std::int64_t& (*)(Config&);
using BoolRef = bool& (*)(Config&);
using ListRef = std::vector<std::string>& (*)(Config&);

struct KeyDef {
    std::string path;  // "server.listen"
    std::variant<StringRef, IntRef, BoolRef, ListRef> ref;
    std::string doc;
    std::int64_t min = 0;  // integers only
    std::int64_t max = 0;
    std::vector<std::string> choices;  // allowed values (strings and list items), empty = any
    bool secret = false;  // also settable as <path>_env (environment variable) or <path>_file
};

[[nodiscard]] const std::vector<KeyDef>& ConfigKeys();

// The default value of a key as TOML text (for docs and the example file).
[[nodiscard]] std::string DefaultAsToml(const KeyDef& key);

// Markdown table of every key (the reference part of docs/configuration.md).
[[nodiscard]] std::string RenderReferenceMarkdown();

}  // namespace rqwatch::config
