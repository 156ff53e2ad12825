#pragma once
// Content-Disposition for downloads whose names come from mail (hostile).

#include <string>
#include <string_view>

namespace rqwatch::http {

// "attachment" with an ASCII name for old clients (RFC 6266 filename: every
// other byte, quotes and path separators become "_") and the real UTF-8
// name (RFC 8187 filename*). `fallback` (ASCII) replaces a name that is
// empty or only dots.
[[nodiscard]] std::string AttachmentDisposition(std::string_view filename,
                                                std::string_view fallback);

}  // namespace rqwatch::http
