#pragma once
// Port: hands one mail to the SMTP relay in one transaction (implemented
// with libcurl in net/smtp_sender).

#include <string>

#include "core/error.hpp"

namespace rqwatch::app {

struct OutgoingMail {
    std::string from;  // envelope sender (MAIL FROM); "" = <>
    std::string to;    // the one envelope recipient (RCPT TO)
    std::string data;  // the message as sent (CRLF line ends)
};

class MailSender {
  public:
    virtual ~MailSender() = default;
    // The relay's final reply on success ("250 ..." or at least the code).
    // kUnavailable when the relay cannot be reached, TLS or AUTH fails, it
    // refuses the sender, the recipient or the data, or time runs out; the
    // detail says which.
    [[nodiscard]] virtual Result<std::string> Send(const OutgoingMail& mail) = 0;
};

}  // namespace rqwatch::app
