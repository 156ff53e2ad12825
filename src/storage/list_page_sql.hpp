#pragma once
// The WHERE, ORDER BY and LIMIT of an admin list page (users, aliases, the
// audit log): newest first, keyset pages by id (`id < before_id`, so a page
// never shifts when rows arrive), optionally only rows where one of some
// text columns contains a substring, case-insensitively, and rows with a
// column at or above a bound. Every value is bound (:c0…, :since, :before,
// :limit); only column names chosen in code become SQL text.

#include <soci/soci.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::storage {

class ListPageSql {
  public:
    static constexpr int kMaxLimit = 1000;

    // kInvalidArgument unless 1 <= limit <= kMaxLimit. `id_column` is the
    // (qualified, when joined) id the pages are cut by.
    [[nodiscard]] static Result<ListPageSql> Create(std::string_view id_column, int limit,
                                                    std::optional<std::int64_t> before_id);

    // Rows where one of `columns` contains `value` (both lowered, as the
    // mail search does); no condition when `value` is empty. Once per query.
    void AddContains(std::initializer_list<std::string_view> columns, std::string_view value);
    // Rows with `column` >= `value`, when set. Once per query.
    void AddAtLeast(std::string_view column, std::optional<std::int64_t> value);

    // " WHERE … ORDER BY id DESC LIMIT :limit" (no WHERE without conditions).
    [[nodiscard]] std::string Tail() const;
    // Binds every value by reference: this object must neither move nor go
    // away before the statement does.
    void Bind(soci::statement& st);

  private:
    ListPageSql(std::string_view id_column, int limit, std::optional<std::int64_t> before_id);

    std::string id_column_;
    std::vector<std::string> conditions_;
    std::string pattern_;
    std::size_t pattern_uses_ = 0;  // one placeholder per column (:c0, :c1 …)
    std::optional<long long> at_least_;
    std::optional<long long> before_;
    long long limit_ = 0;
};

}  // namespace rqwatch::storage
