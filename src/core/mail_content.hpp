#pragma once
// What a viewer reads out of one stored mail: its header fields, its body
// parts and its attachments. Produced by app::MailContentParser (GMime).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/mail.hpp"

namespace rqwatch {

// One header field, unfolded and decoded (RFC 2047) to valid UTF-8.
struct HeaderField {
    std::string name;
    std::string value;
};

// The bodies a mail client would show: the first text/plain and the first
// text/html part that are not attachments (not looking into attached
// messages), converted to UTF-8 from their charset.
struct MailBody {
    std::optional<std::string> text;
    bool text_truncated = false;
    // `cid:` references to inline images of the mail are replaced by data:
    // URIs, so the HTML shows them without fetching anything.
    std::optional<std::string> html;
    bool html_truncated = false;
};

// The decoded bytes of one attachment, numbered as in MailRecord::attachments.
struct AttachmentContent {
    Attachment meta;
    std::string bytes;
};

}  // namespace rqwatch
