#pragma once
// Compile-checks a regexp map value ("/pattern/flags", already form-checked
// by core/map_entry) with PCRE2 through GLib — the library the SQLite
// regexp() of this layer uses already — so that a pattern Rspamd could not
// compile never reaches a map (Rspamd would drop the whole line set).

#include <string_view>

#include "core/error.hpp"

namespace rqwatch::storage {

// kInvalidArgument with PCRE2's message when the pattern does not compile.
[[nodiscard]] Result<void> RegexpCompiles(std::string_view value);

}  // namespace rqwatch::storage
