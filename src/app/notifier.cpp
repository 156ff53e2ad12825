#include "app/notifier.hpp"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "app/mime_text.hpp"
#include "core/utf8.hpp"
#include "util/ids.hpp"
#include "util/utc_time.hpp"

namespace rqwatch::app {
namespace {

constexpr std::size_t kMaxShownBytes = 200;  // of a subject or sender in a line
constexpr std::int64_t kDayMs = 86'400'000;

// Mail text in a line of the digest: valid UTF-8, no controls (a CR/LF in a
// subject must not start a line of its own), not too long.
std::string Shown(std::string_view raw) {
    std::string text = Utf8OrCp1252(raw);
    for (char& c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) c = ' ';
    }
    if (text.size() > kMaxShownBytes && CutUtf8(text, kMaxShownBytes)) text += "…";
    return text;
}

std::string MailUrl(const NotifyOptions& o, std::int64_t id) {
    std::string base = o.base_url;
    while (base.ends_with('/')) base.pop_back();
    return fmt::format("{}/mails/{}", base, id);
}

std::string ScoreText(const NotifyItem& it) {
    std::string s = fmt::format("{:.2f} ({})", it.score, Shown(it.action));
    // Reference §9.10: the old text part had the virus flag inverted.
    if (it.has_virus) s += ", virus: " + (it.virus.empty() ? std::string("yes") : Shown(it.virus));
    return s;
}

std::string SenderOf(const NotifyItem& it) {
    return Shown(it.mime_from.empty() ? it.mail_from : it.mime_from);
}

std::string TextPart(const NotifyOptions& o, const std::string& to,
                     const std::vector<NotifyItem>& items,
                     const std::vector<std::vector<DigestLink>>& links, const TimeZone& zone) {
    std::string out = fmt::format(
        "{} held in the quarantine for {}.\r\n"
        "Open a message to look at it; release it if it is yours and wanted.\r\n\r\n",
        items.size() == 1 ? std::string("One new message was")
                          : fmt::format("{} new messages were", items.size()),
        Shown(to));
    for (std::size_t i = 0; i < items.size(); ++i) {
        const NotifyItem& it = items[i];
        out += fmt::format("{}. {}\r\n", i + 1, zone.Format(it.received_at));
        out += "   From:    " + SenderOf(it) + "\r\n";
        out += "   Subject: " + Shown(it.subject) + "\r\n";
        out += "   Score:   " + ScoreText(it) + "\r\n";
        out += "   View:    " + MailUrl(o, it.mail_id) + "\r\n";
        if (i < links.size()) {
            for (const DigestLink& l : links[i]) {
                out += fmt::format("   {}: {}{}\r\n", l.label,
                                   std::string(l.label.size() < 7 ? 7 - l.label.size() : 0, ' '),
                                   l.url);
            }
        }
        out += "\r\n";
    }
    return out;
}

std::string HtmlPart(const NotifyOptions& o, const std::string& to,
                     const std::vector<NotifyItem>& items,
                     const std::vector<std::vector<DigestLink>>& links, const TimeZone& zone) {
    std::string out =
        "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>Quarantine</title>"
        "</head><body style=\"font-family:sans-serif\">\r\n";
    out += fmt::format("<p>{} held in the quarantine for <b>{}</b>.</p>\r\n",
                       items.size() == 1 ? std::string("One new message was")
                                         : fmt::format("{} new messages were", items.size()),
                       HtmlEscape(Shown(to)));
    out += "<table cellpadding=\"4\" style=\"border-collapse:collapse\">\r\n"
           "<tr><th align=\"left\">Received</th><th align=\"left\">From</th>"
           "<th align=\"left\">Subject</th><th align=\"left\">Score</th><th></th></tr>\r\n";
    for (std::size_t i = 0; i < items.size(); ++i) {
        const NotifyItem& it = items[i];
        out += fmt::format(
            "<tr><td>{}</td><td>{}</td><td><a href=\"{}\">{}</a></td><td>{}</td><td>",
            HtmlEscape(zone.Format(it.received_at)), HtmlEscape(SenderOf(it)),
            HtmlEscape(MailUrl(o, it.mail_id)),
            HtmlEscape(it.subject.empty() ? std::string("(no subject)") : Shown(it.subject)),
            HtmlEscape(ScoreText(it)));
        if (i < links.size()) {
            for (const DigestLink& l : links[i]) {
                out += fmt::format("<a href=\"{}\">{}</a> ", HtmlEscape(l.url),
                                   HtmlEscape(l.label));
            }
        }
        out += "</td></tr>\r\n";
    }
    out += "</table>\r\n</body></html>\r\n";
    return out;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out.push_back(c);
        }
    }
    return out;
}

std::string ComposeDigest(const NotifyOptions& options, const std::string& to,
                          const std::vector<NotifyItem>& items,
                          const std::vector<std::vector<DigestLink>>& links, const TimeZone& zone,
                          std::int64_t now_ms) {
    const std::string subject =
        items.size() == 1 ? std::string("Quarantine: 1 message held for you")
                          : fmt::format("Quarantine: {} messages held for you", items.size());
    return ComposeAlternative(AlternativeMail{.from = options.from,
                                              .to = to,
                                              .subject = subject,
                                              .fallback_subject = subject,
                                              .text = TextPart(options, to, items, links, zone),
                                              .html = HtmlPart(options, to, items, links, zone),
                                              .id_tag = "notify"},
                              now_ms);
}

Notifier::Notifier(NotifyRepo& repo, MailSender& sender, NotifyOptions options,
                   DigestLinker linker)
    : repo_(repo), sender_(sender), options_(std::move(options)), linker_(std::move(linker)) {}

Result<NotifyOutcome> Notifier::Run(std::int64_t now_ms) {
    NotifyQuery query{.received_since = options_.max_age_days > 0
                                            ? now_ms - options_.max_age_days * kDayMs
                                            : 0,
                      .max_score = options_.max_score,
                      .limit = options_.limit};
    NotifyOutcome outcome;
    // Pages of pending pairs by recipient (keyset), so that recipients who
    // are not due, however much waits for them, never crowd out those who
    // are; `limit` bounds the pairs sent in one run.
    std::size_t sent_pairs = 0;
    while (sent_pairs < options_.limit) {
        auto pending = repo_.Pending(query);
        if (!pending) return std::unexpected(pending.error());
        const bool full = pending->size() >= query.limit;
        // Pending comes ordered by recipient: one group per recipient.
        std::vector<std::pair<std::string, std::vector<NotifyItem>>> groups;
        for (NotifyItem& it : *pending) {
            if (groups.empty() || groups.back().first != it.recipient) groups.push_back({it.recipient, {}});
            groups.back().second.push_back(std::move(it));
        }
        // A full page may have cut its last recipient's mails short: that
        // one starts the next page instead (unless it fills the page alone).
        if (full && groups.size() > 1) groups.pop_back();
        for (const auto& [recipient, items] : groups) {
            if (auto r = Notify(recipient, items, now_ms, outcome); !r) {
                return std::unexpected(r.error());
            } else if (*r) {
                sent_pairs += items.size();
            }
        }
        if (!full || groups.empty()) break;
        query.after_recipient = groups.back().first;
    }
    return outcome;
}

Result<bool> Notifier::Notify(const std::string& recipient, const std::vector<NotifyItem>& items,
                              std::int64_t now_ms, NotifyOutcome& outcome) {
    auto plan = PlanFor(recipient);
    if (!plan) return std::unexpected(plan.error());
    if (!DigestDue(plan->schedule, plan->zone, plan->last_sent_at, now_ms)) {
        ++outcome.not_due;  // stays pending
        return false;
    }
    if (options_.per_message) {
        for (const NotifyItem& it : items) {
            if (auto r = SendOne(recipient, {it}, plan->zone, now_ms, outcome); !r) {
                return std::unexpected(r.error());
            }
        }
    } else if (auto r = SendOne(recipient, items, plan->zone, now_ms, outcome); !r) {
        return std::unexpected(r.error());
    }
    return true;
}

Result<Notifier::RecipientPlan> Notifier::PlanFor(const std::string& recipient) {
    auto r = repo_.Recipient(recipient);
    if (!r) return std::unexpected(r.error());
    // A stored zone tzdata no longer knows falls back to the default, as
    // does the default to UTC (config validation checked it at start).
    std::optional<TimeZone> zone;
    if (!r->time_zone.empty()) zone = TimeZone::Find(r->time_zone);
    if (!zone) zone = TimeZone::Find(options_.default_time_zone);
    return RecipientPlan{
        .schedule = {.frequency = r->frequency.value_or(options_.default_schedule.frequency),
                     .hour = r->hour.value_or(options_.default_schedule.hour)},
        .zone = zone ? *zone : TimeZone::Utc(),
        .last_sent_at = r->last_sent_at};
}

Result<void> Notifier::SendOne(const std::string& recipient, const std::vector<NotifyItem>& items,
                               const TimeZone& zone, std::int64_t now_ms, NotifyOutcome& outcome) {
    std::vector<std::vector<DigestLink>> links;
    if (linker_) {
        for (const NotifyItem& it : items) links.push_back(linker_(it));
    }
    auto sent = sender_.Send(OutgoingMail{.from = options_.from,
                                          .to = recipient,
                                          .data = ComposeDigest(options_, recipient, items, links,
                                                                zone, now_ms)});
    if (!sent) {
        // Stays pending: the next run tries again.
        ++outcome.failed;
        const Error& e = sent.error();
        outcome.errors.push_back(
            fmt::format("{}: {}", recipient, e.detail.empty() ? e.public_msg : e.detail));
        return {};
    }
    std::vector<std::int64_t> ids;
    for (const NotifyItem& it : items) ids.push_back(it.mail_id);
    if (auto r = repo_.MarkNotified(recipient, ids, now_ms); !r) return r;
    ++outcome.mails_sent;
    outcome.items_notified += ids.size();
    return {};
}

}  // namespace rqwatch::app
