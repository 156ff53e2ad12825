#pragma once
// app::MailSender over SMTP with libcurl: one transaction per Send on a
// connection of its own, STARTTLS required, optional or off, AUTH when a
// user is set, certificates and host names always checked under TLS.

#include <cstdint>
#include <string>

#include "app/ports/mail_sender.hpp"

namespace rqwatch::net {

enum class StartTls { kRequired, kOptional, kNone };

struct SmtpOptions {
    std::string host;
    std::int64_t port = 25;
    StartTls starttls = StartTls::kRequired;
    std::string username;  // "" = no AUTH
    std::string password;
    std::string helo_name = "localhost";
    std::string ca_file;  // "" = the system's CAs
    std::int64_t timeout_ms = 30000;
};

class SmtpSender final : public app::MailSender {
  public:
    explicit SmtpSender(SmtpOptions options) : options_(std::move(options)) {}
    [[nodiscard]] Result<std::string> Send(const app::OutgoingMail& mail) override;

  private:
    SmtpOptions options_;
};

}  // namespace rqwatch::net
