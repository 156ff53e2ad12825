#pragma once
// Logging: spdlog to stderr, one key=value line per event (journald-friendly).

#include <spdlog/spdlog.h>

#include <string>

namespace rqwatch::util {

// level: trace|debug|info|warn|error. Unknown levels fall back to info.
void InitLogging(const std::string& level);

}  // namespace rqwatch::util
