#pragma once
// multipart/form-data (RFC 7578) as sent by Rspamd >= 3.14.2's "multipart"
// formatter. Hand-written on purpose: the "message" part must come out
// byte-identical, and a MIME library would parse (and may normalise) the
// mail inside it. Parts are views into the body; nothing is copied.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::http {

struct FormPart {
    std::string name;       // from Content-Disposition: form-data; name="..."
    std::string filename;   // may be empty
    std::string_view data;  // exact bytes between the part's header and the next delimiter
};

// The boundary parameter of a multipart Content-Type; empty when absent.
[[nodiscard]] std::string MultipartBoundary(std::string_view content_type);
[[nodiscard]] Result<std::vector<FormPart>> ParseFormData(std::string_view boundary,
                                                          std::string_view body);

}  // namespace rqwatch::http
