#pragma once
// Multi-row statements over a vector of rows, `per_statement` rows at a time:
// `bind(st, row)` binds one row's values by position, in the order of
// `columns`, and `make_sql(values)` turns "(…), (…)" (Dialect::RowPlaceholders)
// into the statement (an INSERT IGNORE, an upsert).

#include <soci/soci.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "storage/dialect.hpp"
#include "storage/statement.hpp"

namespace rqwatch::storage {

template <class Row, class Bind, class MakeSql>
void ExecuteInChunks(soci::session& sql, const Dialect& dialect, std::string_view columns,
                     std::vector<Row>& rows, std::size_t per_statement, Bind bind,
                     MakeSql make_sql) {
    for (std::size_t begin = 0; begin < rows.size(); begin += per_statement) {
        const std::size_t end = std::min(rows.size(), begin + per_statement);
        std::string values;
        soci::statement st(sql);
        for (std::size_t i = begin; i < end; ++i) {
            if (!values.empty()) values += ", ";
            values += dialect.RowPlaceholders(columns, i - begin);
            bind(st, rows[i]);
        }
        Prepare(st, make_sql(values));
        st.execute(true);
    }
}

}  // namespace rqwatch::storage
