#pragma once
// Port: fills the message-derived fields of a record from the raw mail
// (subject, MIME addresses, Message-ID, Date, headers, attachments).
// Implemented with GMime in mime/.

#include <string_view>

#include "core/mail.hpp"

namespace rqwatch::app {

class MailParser {
  public:
    virtual ~MailParser() = default;
    virtual void Fill(std::string_view raw, MailRecord& record) = 0;
    // Decodes a header value Rspamd sent (raw UTF-8 or RFC 2047) to UTF-8.
    [[nodiscard]] virtual std::string DecodeHeader(std::string_view value) = 0;
};

}  // namespace rqwatch::app
