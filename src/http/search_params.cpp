#include "http/search_params.hpp"

#include <fmt/format.h>

#include <charconv>
#include <limits>
#include <string>

namespace rqwatch::http {

Result<app::MailSearch> SearchFromQuery(const Request& req) {
    app::MailSearch search;
    for (const auto& [key, value] : req.query_list) {
        if (key != "filter") continue;
        if (search.filters.size() == kMaxFilters) {
            return Fail(ErrorCode::kInvalidArgument,
                        fmt::format("at most {} filters at once", kMaxFilters));
        }
        auto filter = ParseMailFilter(value);
        if (!filter) return std::unexpected(filter.error());
        search.filters.push_back(std::move(*filter));
    }
    if (auto it = req.query.find("day"); it != req.query.end()) {
        // The day view of reference §C1.
        auto f = DayFilter(it->second);
        if (!f) return std::unexpected(f.error());
        search.filters.push_back(std::move(*f));
    }
    return search;
}

std::optional<std::int64_t> ParseInteger(std::string_view text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return v;
}

Result<PageParams> PageParamsOf(const Request& req) {
    PageParams out;
    auto limit = IntParam(req, "limit", 1, 1000);
    if (!limit) return std::unexpected(limit.error());
    out.limit = static_cast<int>(limit->value_or(50));
    auto before = IntParam(req, "before", 1, std::numeric_limits<std::int64_t>::max());
    if (!before) return std::unexpected(before.error());
    out.before_id = *before;
    return out;
}

Result<std::optional<std::int64_t>> IntParam(const Request& req, std::string_view name,
                                             std::int64_t min, std::int64_t max) {
    auto it = req.query.find(std::string(name));
    if (it == req.query.end()) return std::optional<std::int64_t>{};
    const auto v = ParseInteger(it->second);
    if (!v || *v < min || *v > max) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{} must be an integer from {} to {}", name, min, max));
    }
    return v;
}

}  // namespace rqwatch::http
