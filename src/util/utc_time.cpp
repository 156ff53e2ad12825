#include "util/utc_time.hpp"

#include <ctime>

namespace rqwatch::util {

std::string FormatUtc(std::int64_t unix_ms, const char* format) {
    const auto t = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
    return std::string(buf, n);
}

}  // namespace rqwatch::util
