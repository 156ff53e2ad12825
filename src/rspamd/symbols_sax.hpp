#pragma once
// Parses the X-Rspamd-symbols header (a JSON array of {name, score, group,
// groups, options}) straight into Symbol values with nlohmann's SAX
// interface: it runs on the I/O thread for every mail, and building a DOM
// first cost more than the rest of the header handling.

#include <optional>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/mail.hpp"

namespace rqwatch::rspamd {

// nullopt when the text is valid JSON but not an array (the caller then
// falls back to the DOM path, which also accepts a name -> object map);
// kInvalidArgument for malformed JSON or malformed entries.
[[nodiscard]] std::optional<Result<std::vector<Symbol>>> ParseSymbolArray(std::string_view text);

}  // namespace rqwatch::rspamd
