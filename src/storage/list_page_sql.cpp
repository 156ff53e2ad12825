#include "storage/list_page_sql.hpp"

#include <fmt/format.h>

#include "storage/like_pattern.hpp"
#include "storage/sqlite_functions.hpp"

namespace rqwatch::storage {

ListPageSql::ListPageSql(std::string_view id_column, int limit,
                         std::optional<std::int64_t> before_id)
    : id_column_(id_column), limit_(limit) {
    if (before_id) {
        before_ = *before_id;
        conditions_.push_back(fmt::format("{} < :before", id_column_));
    }
}

Result<ListPageSql> ListPageSql::Create(std::string_view id_column, int limit,
                                        std::optional<std::int64_t> before_id) {
    if (limit < 1 || limit > kMaxLimit) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("limit must be within 1..{}", kMaxLimit));
    }
    return ListPageSql(id_column, limit, before_id);
}

void ListPageSql::AddContains(std::initializer_list<std::string_view> columns,
                              std::string_view value) {
    if (value.empty() || columns.size() == 0) return;
    // The value is lowered here, not with LOWER(:c): PostgreSQL cannot type
    // a bare parameter for an overloaded function.
    pattern_ = ContainsPattern(Utf8Lower(value));
    std::string any;
    for (std::string_view column : columns) {
        if (!any.empty()) any += " OR ";
        // A name per use, each bound once: no SOCI backend has to bind a
        // name that appears twice.
        any += fmt::format("LOWER({}) LIKE :c{} ESCAPE '!'", column, pattern_uses_++);
    }
    conditions_.push_back("(" + any + ")");
}

void ListPageSql::AddAtLeast(std::string_view column, std::optional<std::int64_t> value) {
    if (!value) return;
    at_least_ = *value;
    conditions_.push_back(fmt::format("{} >= :since", column));
}

std::string ListPageSql::Tail() const {
    std::string out;
    for (const std::string& c : conditions_) {
        out += out.empty() ? " WHERE " : " AND ";
        out += c;
    }
    out += fmt::format(" ORDER BY {} DESC LIMIT :limit", id_column_);
    return out;
}

void ListPageSql::Bind(soci::statement& st) {
    for (std::size_t i = 0; i < pattern_uses_; ++i) {
        st.exchange(soci::use(pattern_, fmt::format("c{}", i)));
    }
    if (at_least_) st.exchange(soci::use(*at_least_, "since"));
    if (before_) st.exchange(soci::use(*before_, "before"));
    st.exchange(soci::use(limit_, "limit"));
}

}  // namespace rqwatch::storage
