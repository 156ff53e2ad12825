#pragma once
// Small pieces of the mails rqwatch writes itself (released copies in the
// attachment mode, digests, release-request notices): header-safe text and
// base64 body lines, and a whole multipart/alternative mail.

#include <cstdint>
#include <string>
#include <string_view>

namespace rqwatch::app {

// Header values come from users and mails: no line breaks or controls.
[[nodiscard]] std::string HeaderSafe(std::string_view text);
// Printable ASCII only (what a header may hold without RFC 2047).
[[nodiscard]] bool IsPlainAscii(std::string_view text);
// Base64 in lines of 76, each ending in CRLF: parts of any line length stay
// within SMTP's line limit whatever a subject holds.
[[nodiscard]] std::string Base64Lines(std::string_view in);

struct AlternativeMail {
    std::string from;
    std::string to;
    std::string subject;  // made header-safe; a non-ASCII one is replaced by `fallback_subject`
    std::string fallback_subject;
    std::string text;  // UTF-8
    std::string html;  // UTF-8, every value escaped by the caller
    std::string id_tag;  // in the Message-ID: <rqwatch-TAG-RANDOM@rqwatch>
};

// An auto-submitted multipart/alternative mail (CRLF line ends, base64 parts).
[[nodiscard]] std::string ComposeAlternative(const AlternativeMail& mail, std::int64_t now_ms);

}  // namespace rqwatch::app
