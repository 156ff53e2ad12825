#pragma once
// Building SOCI statements without SOCI's `sql << ...` / `sql.prepare << ...`
// helpers. Those go through ref_counted_statement, whose typeinfo Debian's
// libsoci_core.so does not export, so the UBSan (vptr) build cannot link
// them; soci::statement used directly has no such problem.

#include <soci/soci.h>

#include <string>
#include <string_view>
#include <utility>

namespace rqwatch::storage {

// alloc + prepare + define_and_bind of a statement whose elements are
// exchanged already (for elements chosen at run time).
inline void Prepare(soci::statement& st, std::string_view query) {
    st.alloc();
    st.prepare(std::string(query));
    st.define_and_bind();
}

// Prepares `query` with the given soci::use()/soci::into() elements, ready
// for execute(); bound variables are captured by reference.
template <class... Elements>
[[nodiscard]] soci::statement MakeStatement(soci::session& sql, std::string_view query,
                                            Elements&&... elements) {
    soci::statement st(sql);
    (st.exchange(std::forward<Elements>(elements)), ...);
    Prepare(st, query);
    return st;
}

// Prepares and runs `query` once; true when a row was fetched into the
// into() elements (always false for statements returning no rows).
template <class... Elements>
bool ExecuteOnce(soci::session& sql, std::string_view query, Elements&&... elements) {
    soci::statement st = MakeStatement(sql, query, std::forward<Elements>(elements)...);
    return st.execute(true);
}

}  // namespace rqwatch::storage
