#pragma once
// Content-Disposition for downloads whose names come from mail (hostile).

#include <string>
#include <string_view>

#include "http/types.hpp"

namespace rqwatch::http {

// "attachment" with an ASCII name for old clients (RFC 6266 filename: every
// other byte, quotes and path separators become "_") and the real UTF-8
// name (RFC 8187 filename*). `fallback` (ASCII) replaces a name that is
// empty or only dots.
[[nodiscard]] std::string AttachmentDisposition(std::string_view filename,
                                                std::string_view fallback);

// A download of bytes from mail: application/octet-stream whatever they
// are, `disposition` (AttachmentDisposition), and a sandbox CSP, so that
// even opened by hand it is a document of no origin.
[[nodiscard]] Response Download(std::string bytes, const std::string& disposition);

}  // namespace rqwatch::http
