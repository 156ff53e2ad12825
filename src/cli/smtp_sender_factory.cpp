#include "cli/smtp_sender_factory.hpp"

namespace rqwatch::cli {

std::unique_ptr<net::SmtpSender> MakeSmtpSender(const config::ReleaseConfig& rel) {
    if (rel.smtp_host.empty()) return nullptr;
    return std::make_unique<net::SmtpSender>(net::SmtpOptions{
        .host = rel.smtp_host,
        .port = rel.smtp_port,
        .starttls = rel.starttls == "none"       ? net::StartTls::kNone
                    : rel.starttls == "optional" ? net::StartTls::kOptional
                                                 : net::StartTls::kRequired,
        .username = rel.username,
        .password = rel.password,
        .helo_name = rel.helo_name,
        .ca_file = rel.ca_file,
        .timeout_ms = rel.timeout_seconds * 1000});
}

}  // namespace rqwatch::cli
