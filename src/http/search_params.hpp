#pragma once
// Query parameters shared by the mail list, statistics and reports:
// filter=FIELD:OP:VALUE (repeatable), day=YYYY-MM-DD|today, limit=N.

#include <cstdint>
#include <optional>
#include <string_view>

#include "app/ports/mail_repo.hpp"
#include "http/types.hpp"

namespace rqwatch::http {

// The filters (and day) of a request; kInvalidArgument naming the bad one.
[[nodiscard]] Result<app::MailSearch> SearchFromQuery(const Request& req);

// A whole decimal integer (no sign tricks, blanks or trailing text).
[[nodiscard]] std::optional<std::int64_t> ParseInteger(std::string_view text);

// An integer query parameter within [min, max]; nullopt when absent;
// kInvalidArgument "NAME must be an integer from MIN to MAX" otherwise.
[[nodiscard]] Result<std::optional<std::int64_t>> IntParam(const Request& req,
                                                           std::string_view name, std::int64_t min,
                                                           std::int64_t max);

// Keyset paging of the admin lists (users, audit, release requests):
// ?limit=1..1000 (default 50) and ?before=ID (the id the next page starts below).
struct PageParams {
    int limit = 50;
    std::optional<std::int64_t> before_id;
};
[[nodiscard]] Result<PageParams> PageParamsOf(const Request& req);

}  // namespace rqwatch::http
