#pragma once
// The SMTP relay of [release], shared by `serve` (release) and `notify`
// (digests).

#include <memory>

#include "config/config.hpp"
#include "net/smtp_sender.hpp"

namespace rqwatch::cli {

// Null when release.smtp_host is empty (no relay configured).
[[nodiscard]] std::unique_ptr<net::SmtpSender> MakeSmtpSender(const config::ReleaseConfig& rel);

}  // namespace rqwatch::cli
