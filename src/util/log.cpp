#include "util/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

namespace rqwatch::util {

void InitLogging(const std::string& level) {
    if (auto existing = spdlog::get("rqwatch")) {
        spdlog::set_level(spdlog::level::from_str(level));
        return;
    }
    auto logger = spdlog::stderr_logger_mt("rqwatch");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::from_str(level));
    spdlog::flush_on(spdlog::level::warn);
}

}  // namespace rqwatch::util
