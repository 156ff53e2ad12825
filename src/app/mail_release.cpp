#include "app/mail_release.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "app/account_rules.hpp"
#include "app/mime_text.hpp"
#include "core/mail_scope.hpp"
#include "util/ids.hpp"
#include "util/utc_time.hpp"

namespace rqwatch::app {
namespace {

// The line end the file uses, so that added header lines match it.
std::string_view LineEndOf(const std::string& raw) {
    const auto lf = raw.find('\n');
    return lf != std::string::npos && lf > 0 && raw[lf - 1] == '\r' ? "\r\n" : "\n";
}

// Bare LF to CRLF (a part inside a mail that rqwatch writes with CRLF).
std::string ToCrlf(const std::string& raw) {
    std::string out;
    out.reserve(raw.size() + raw.size() / 32);
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) out.push_back('\r');
        out.push_back(raw[i]);
    }
    return out;
}

std::string Attachment(const ReleaseOptions& o, const MailRecord& mail, const std::string& raw,
                       const std::string& to, const std::string& trace, std::int64_t now_ms) {
    const std::string body = ToCrlf(raw);
    std::string boundary;
    do {
        boundary = "rqwatch-" + util::RandomHex(32);
    } while (body.find(boundary) != std::string::npos);
    const std::string subject = HeaderSafe(mail.subject);
    std::string out;
    out.reserve(body.size() + 2048);
    out += fmt::format("From: <{}>\r\nTo: <{}>\r\n", o.from, to);
    out += fmt::format("Subject: {}\r\n", IsPlainAscii(subject) && !subject.empty()
                                              ? "Released: " + subject
                                              : std::string("Released quarantined message"));
    out += "Date: " + util::FormatUtc(now_ms, "%a, %d %b %Y %H:%M:%S +0000") + "\r\n";
    out += fmt::format("Message-ID: <rqwatch-release-{}-{}@rqwatch>\r\n", mail.id, util::RandomHex(16));
    out += "X-Rqwatch-Released: " + trace + "\r\n";
    if (!o.bypass_header.empty()) out += o.bypass_header + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += fmt::format("Content-Type: multipart/mixed; boundary=\"{}\"\r\n\r\n", boundary);
    out += fmt::format("--{}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: 8bit\r\n\r\n",
                       boundary);
    out += "A message held in the quarantine has been released to you.\r\n\r\n";
    out += "Subject:    " + subject + "\r\n";
    out += "From:       " + HeaderSafe(mail.mime_from) + "\r\n";
    out += "Sender:     " + HeaderSafe(mail.mail_from) + "\r\n";
    out += "Message-ID: " + HeaderSafe(mail.message_id) + "\r\n";
    out += "Virus:      " + std::string(mail.has_virus ? "yes, " + HeaderSafe(mail.virus) : "no") +
           "\r\n\r\nThe original message is attached.\r\n";
    out += fmt::format("--{}\r\nContent-Type: message/rfc822; name=\"Original Message.eml\"\r\n"
                       "Content-Disposition: attachment; filename=\"Original Message.eml\"\r\n"
                       "Content-Transfer-Encoding: {}\r\n\r\n",
                       boundary, IsPlainAscii(body) ? "7bit" : "8bit");
    out += body;
    if (!body.ends_with("\r\n")) out += "\r\n";
    out += fmt::format("--{}--\r\n", boundary);
    return out;
}

}  // namespace

std::string ComposeRelease(const ReleaseOptions& options, const MailRecord& mail,
                           const std::string& raw, const std::string& to,
                           const std::string& trace, std::int64_t now_ms) {
    if (options.mode == ReleaseMode::kAttachment) {
        return Attachment(options, mail, raw, to, trace, now_ms);
    }
    // Byte for byte after the added lines: signatures (DKIM) and the trail stay intact.
    const std::string_view eol = LineEndOf(raw);
    std::string out;
    out.reserve(raw.size() + 256);
    out += "X-Rqwatch-Released: " + trace;
    out += eol;
    if (!options.bypass_header.empty()) {
        out += options.bypass_header;
        out += eol;
    }
    out += raw;
    return out;
}

MailRelease::MailRelease(MailViewer& viewer, MailSender* sender, MailActionRepo& actions,
                         AuditLog& audit, ReleaseOptions options, Clock clock)
    : viewer_(viewer), sender_(sender), actions_(actions), options_(std::move(options)),
      clock_(clock ? clock : Clock(util::NowUnixMs)), audit_(audit, clock_) {}

Result<std::vector<std::string>> MailRelease::Recipients(const Releaser& who,
                                                         const MailRecord& mail,
                                                         const ReleaseRequest& request) const {
    std::vector<std::string> out;
    std::set<std::string> seen;
    if (request.to_original) {
        for (const std::string& r : mail.rcpt_to) {
            auto addr = NormalizeAccountAddress(r, "recipient");
            if (!addr) continue;  // "unknown", empty or malformed: nobody to deliver to
            if (who.scope && !InScope({*addr}, *who.scope)) continue;  // a co-recipient
            if (seen.insert(*addr).second) out.push_back(*addr);
        }
        if (out.empty()) {
            return Fail(ErrorCode::kInvalidArgument,
                        "this mail has no original recipient you may release it to");
        }
    }
    for (const std::string& a : request.alternates) {
        auto addr = NormalizeAccountAddress(a, "alternate address");
        if (!addr) return std::unexpected(addr.error());
        if (who.scope && !InScope({*addr}, *who.scope)) {
            return Fail(ErrorCode::kPermissionDenied,
                        "you may release mail only to your own addresses");
        }
        if (seen.insert(*addr).second) out.push_back(*addr);
    }
    return out;
}

Result<ReleaseTargets> MailRelease::Targets(const Releaser& who, std::int64_t id,
                                            const ReleaseRequest& request) {
    if (!request.to_original && request.alternates.empty()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "choose the original recipients, alternate addresses, or both");
    }
    if (request.alternates.size() > kMaxReleaseAlternates) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("at most {} alternate addresses", kMaxReleaseAlternates));
    }
    auto mail = viewer_.Find(who.scope, id);
    if (!mail) return std::unexpected(mail.error());
    auto recipients = Recipients(who, *mail, request);
    if (!recipients) return std::unexpected(recipients.error());
    if (sender_ == nullptr) {
        return Fail(ErrorCode::kUnavailable, "release is not configured on this server",
                    "release.smtp_host is empty");
    }
    return ReleaseTargets{std::move(*mail), std::move(*recipients)};
}

Result<ReleaseOutcome> MailRelease::Release(const Releaser& who, std::int64_t id,
                                            const ReleaseRequest& request) {
    auto targets = Targets(who, id, request);
    if (!targets) return std::unexpected(targets.error());
    const MailRecord* mail = &targets->mail;
    const std::vector<std::string>* recipients = &targets->recipients;
    auto raw = viewer_.Raw(who.scope, id);
    if (!raw) return std::unexpected(raw.error());

    const std::int64_t now = clock_();
    const std::string mode = options_.mode == ReleaseMode::kOriginal ? "original" : "attachment";
    const std::string trace = fmt::format("by {}; at {}; id {}", HeaderSafe(who.actor.username),
                                          util::FormatUtc(now, "%Y-%m-%dT%H:%M:%SZ"), id);
    std::vector<ReleaseRecord> rows;
    ReleaseOutcome outcome{id, {}};
    std::optional<Error> failure;
    for (const std::string& to : *recipients) {
        ReleaseRecord row{id, now, who.actor.username, to, mode, false, {}};
        auto sent = sender_->Send(
            OutgoingMail{options_.from, to, ComposeRelease(options_, raw->mail, raw->bytes, to,
                                                           trace, now)});
        if (sent) {
            row.ok = true;
            row.result = *sent;
            outcome.delivered_to.push_back(to);
        } else {
            row.result = sent.error().detail.empty() ? sent.error().public_msg
                                                     : sent.error().detail;
            failure = sent.error();
        }
        rows.push_back(std::move(row));
        if (failure) break;  // the relay is down or refuses: the rest would fail alike
    }
    auto recorded = actions_.AddReleases(rows);
    if (!outcome.delivered_to.empty()) {
        std::string to;
        for (const auto& r : outcome.delivered_to) to += (to.empty() ? "" : ", ") + r;
        audit_.Record(who.actor, "mail.release", "mail:" + std::to_string(id),
                      fmt::format("to: {}; mode: {}; subject: {}", to, mode, mail->subject));
    }
    if (failure) {
        return Fail(ErrorCode::kUnavailable,
                    fmt::format("the mail relay did not take the mail for {}{}",
                                rows.back().recipient,
                                outcome.delivered_to.empty()
                                    ? std::string("; nothing was released")
                                    : fmt::format("; delivered to {} address(es) before",
                                                  outcome.delivered_to.size())),
                    rows.back().result);
    }
    if (!recorded) return std::unexpected(recorded.error());
    return outcome;
}

Result<std::vector<ReleaseRecord>> MailRelease::History(
    const Scope& scope, std::int64_t id) {
    auto rows = actions_.Releases(id);
    if (!rows || !scope) return rows;
    std::erase_if(*rows, [&](const ReleaseRecord& r) { return !InScope({r.recipient}, *scope); });
    return rows;
}

}  // namespace rqwatch::app
