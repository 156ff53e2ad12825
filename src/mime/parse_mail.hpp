#pragma once
// GMime-based parsing of a raw RFC 5322 message into the fields rqwatch shows
// and searches. Mail is hostile input: this never throws, never crashes on
// malformed MIME, and always returns something for any byte sequence.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/mail.hpp"

namespace rqwatch::mime {

struct ParsedMail {
    std::string subject;              // decoded, UTF-8, CR/LF folded to spaces
    std::optional<MailAddress> from;  // first From: address
    std::vector<MailAddress> to;
    std::vector<MailAddress> cc;
    std::string message_id;            // without <>
    std::optional<std::int64_t> date;  // Date: header as unix seconds (UTC)
    std::string headers;               // raw header block converted to valid UTF-8
    std::vector<Attachment> attachments;
    std::string queue_id_header;  // X-Rspamd-Queue-Id if present (alphanumeric only)
};

// Initialise GMime once per process (idempotent, thread-safe). Call before any parse.
void InitMime();

// Parses `raw` (any bytes, LF or CRLF, may start with an mbox "From " line).
[[nodiscard]] ParsedMail ParseMail(std::string_view raw);

// Decodes an unstructured header value as Rspamd may send it: raw UTF-8 (3.4),
// RFC 2047 encoded-words (3.8.2+), or stray 8-bit bytes (taken as
// Windows-1252 when not valid UTF-8). Result is valid UTF-8; CR/LF and other
// control characters become spaces.
[[nodiscard]] std::string DecodeHeaderValue(std::string_view value);

// Returns `s` if valid UTF-8, else a conversion assuming Windows-1252.
[[nodiscard]] std::string ToValidUtf8(std::string_view s);

}  // namespace rqwatch::mime
