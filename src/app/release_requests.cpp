#include "app/release_requests.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "app/mime_text.hpp"
#include "app/notifier.hpp"
#include "core/utf8.hpp"
#include "util/ids.hpp"

namespace rqwatch::app {
namespace {

std::string Joined(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
    return out;
}

std::string Target(std::int64_t id) { return "release_request:" + std::to_string(id); }

std::string RequestsUrl(const ReleaseRequestOptions& o) {
    std::string base = o.base_url;
    while (base.ends_with('/')) base.pop_back();
    return base + "/release-requests";
}

// Mail text for one line of a notice: no controls, UTF-8.
std::string Line(std::string_view raw) {
    std::string text = Utf8OrCp1252(raw);
    for (char& c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) c = ' ';
    }
    return text;
}

}  // namespace

const char* RequestStateName(RequestState state) {
    switch (state) {
        case RequestState::kPending:
            return "pending";
        case RequestState::kApproved:
            return "approved";
        case RequestState::kRefused:
            return "refused";
        case RequestState::kCancelled:
            return "cancelled";
    }
    return "pending";
}

Result<RequestState> ParseRequestState(std::string_view name) {
    for (RequestState s : {RequestState::kPending, RequestState::kApproved, RequestState::kRefused,
                           RequestState::kCancelled}) {
        if (name == RequestStateName(s)) return s;
    }
    return Fail(ErrorCode::kInvalidArgument,
                "state must be pending, approved, refused or cancelled");
}

Result<void> CheckRequestText(std::string_view text, std::string_view field) {
    if (text.size() > kMaxRequestText) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{} is longer than {} bytes", field, kMaxRequestText));
    }
    if (!IsValidUtf8(text)) {
        return Fail(ErrorCode::kInvalidArgument, fmt::format("{} is not valid UTF-8", field));
    }
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f) {
            return Fail(ErrorCode::kInvalidArgument,
                        fmt::format("{} holds control characters", field));
        }
    }
    return {};
}

std::string ComposeDecisionNotice(const ReleaseRequestOptions& o, const ReleaseRequestRecord& r,
                                  std::int64_t now_ms) {
    const bool approved = r.state == RequestState::kApproved;
    const std::string subject = Line(r.subject);
    const std::string verdict =
        approved ? fmt::format(
                       "Your request to release a quarantined message was approved; it "
                       "has been delivered to {}.",
                       Joined(r.recipients))
                 : std::string("Your request to release a quarantined message was refused.");
    std::string text = verdict + "\n\n";
    text += "Subject: " + subject + "\n";
    text += "Sender:  " + Line(r.mail_from) + "\n";
    if (!approved && !r.reason.empty()) text += "\nReason given:\n" + Utf8OrCp1252(r.reason) + "\n";
    std::string html = "<!DOCTYPE html><html><body><p>" + HtmlEscape(verdict) + "</p>\n<table>";
    html += "<tr><th align=\"left\">Subject</th><td>" + HtmlEscape(subject) + "</td></tr>";
    html += "<tr><th align=\"left\">Sender</th><td>" + HtmlEscape(Line(r.mail_from)) +
            "</td></tr></table>\n";
    if (!approved && !r.reason.empty()) {
        html += "<p>Reason given:</p><pre>" + HtmlEscape(Utf8OrCp1252(r.reason)) + "</pre>\n";
    }
    html += "</body></html>\n";
    const std::string head = approved ? "Release approved" : "Release refused";
    return ComposeAlternative(AlternativeMail{.from = o.from,
                                              .to = r.notice_to,
                                              .subject = head + ": " + subject,
                                              .fallback_subject = head,
                                              .text = text,
                                              .html = html,
                                              .id_tag = "request"},
                              now_ms);
}

ReleaseRequests::ReleaseRequests(MailRelease& release, ReleaseRequestRepo& repo, MailSender* sender,
                                 AuditLog& audit, ReleaseRequestOptions options, Clock clock)
    : release_(release),
      repo_(repo),
      sender_(sender),
      options_(std::move(options)),
      clock_(clock ? clock : Clock(util::NowUnixMs)),
      audit_(audit, clock_) {}

Result<ReleaseRequestRecord> ReleaseRequests::Create(const Requester& who, std::int64_t mail_id,
                                                     const ReleaseRequest& request,
                                                     std::string comment) {
    if (options_.user_release != UserRelease::kRequest) {
        Error e{.code = ErrorCode::kPermissionDenied,
                .public_msg = "release requests are not used on this server",
                .reason = "release_requests_off"};
        return std::unexpected(std::move(e));
    }
    if (auto ok = CheckRequestText(comment, "comment"); !ok) return std::unexpected(ok.error());
    // The requester's scope: their own addresses only, as a release of theirs would be.
    auto targets = release_.Targets(Releaser{who.actor, who.scope}, mail_id, request);
    if (!targets) return std::unexpected(targets.error());
    ReleaseRequestRecord r;
    r.mail_id = mail_id;
    if (who.actor.id > 0) r.requested_by = who.actor.id;
    r.requester = who.actor.username;
    r.notice_to = who.notice_to;
    r.recipients = std::move(targets->recipients);
    r.comment = std::move(comment);
    r.created_at = clock_();
    r.subject = targets->mail.subject;
    r.mail_from = targets->mail.mail_from;
    auto id = repo_.Add(r);
    if (!id) return std::unexpected(id.error());
    r.id = *id;
    audit_.Record(who.actor, "release_request.create", Target(r.id),
                  fmt::format("mail: {}; to: {}", mail_id, Joined(r.recipients)));
    TellAdmins(r);
    return r;
}

Result<ReleaseOrRequestOutcome> ReleaseRequests::ReleaseOrRequest(const Requester& who, bool admin,
                                                                  std::int64_t mail_id,
                                                                  const ReleaseRequest& request) {
    if (admin || options_.user_release == UserRelease::kDirect) {
        auto done =
            release_.Release(Releaser{who.actor, admin ? Scope{} : who.scope}, mail_id, request);
        if (!done) return std::unexpected(done.error());
        return ReleaseOrRequestOutcome{.released = std::move(*done)};
    }
    if (options_.user_release == UserRelease::kOff) {
        Error e{.code = ErrorCode::kPermissionDenied,
                .public_msg = "only administrators release quarantined mail on this server",
                .reason = "release_off"};
        return std::unexpected(std::move(e));
    }
    auto asked = Create(who, mail_id, request, {});
    if (!asked) return std::unexpected(asked.error());
    return ReleaseOrRequestOutcome{.requested = std::move(*asked)};
}

Result<std::vector<ReleaseRequestRecord>> ReleaseRequests::List(ReleaseRequestQuery query,
                                                                bool mine, std::int64_t user_id) {
    if (mine) query.requested_by = user_id;
    return repo_.List(query);
}

Result<ReleaseRequestRecord> ReleaseRequests::Approve(const Actor& admin, std::int64_t id) {
    auto r = repo_.Find(id);
    if (!r) return std::unexpected(r.error());
    if (r->state != RequestState::kPending) {
        return Fail(ErrorCode::kConflict, "this release request has been decided already");
    }
    // Taken first, so that of two administrators at once only one releases.
    const std::int64_t now = clock_();
    if (auto taken =
            repo_.Decide(id, ReleaseDecision{RequestState::kApproved, admin.username, now, {}});
        !taken) {
        return std::unexpected(taken.error());
    }
    auto reopen = [&](const Error& why) {
        if (auto back = repo_.Reopen(id, now); !back) {
            spdlog::error(
                "release request {}: release failed and the request could not be "
                "reopened: {} ({})",
                id, back.error().public_msg, back.error().detail);
        }
        audit_.Record(admin, "release_request.approve_failed", Target(id), why.public_msg);
        return std::unexpected(why);
    };
    // An approval the relay broke off part-way (or a crash) reopened the
    // request: the addresses it reached already are not sent the mail again.
    auto remaining = Unreached(*r);
    if (!remaining) return reopen(remaining.error());
    ReleaseOutcome released{r->mail_id, {}};
    if (!remaining->empty()) {
        // As an administrator, to exactly the addresses checked when it was asked.
        auto sent =
            release_.Release(Releaser{admin, std::nullopt}, r->mail_id,
                             ReleaseRequest{.to_original = false, .alternates = *remaining});
        if (!sent) return reopen(sent.error());
        released = std::move(*sent);
    }
    r->state = RequestState::kApproved;
    r->decided_by = admin.username;
    r->decided_at = now;
    audit_.Record(admin, "release_request.approve", Target(id),
                  fmt::format("mail: {}; to: {}", r->mail_id, Joined(released.delivered_to)));
    TellRequester(*r);
    return r;
}

Result<std::vector<std::string>> ReleaseRequests::Unreached(const ReleaseRequestRecord& r) {
    auto history = release_.History(std::nullopt, r.mail_id);
    if (!history) return std::unexpected(history.error());
    std::vector<std::string> remaining = r.recipients;
    std::erase_if(remaining, [&](const std::string& to) {
        return std::ranges::any_of(*history, [&](const ReleaseRecord& h) {
            return h.ok && h.at >= r.created_at && h.recipient == to;
        });
    });
    return remaining;
}

Result<std::size_t> ReleaseRequests::ReopenInterrupted() {
    const std::int64_t now = clock_();
    std::size_t reopened = 0;
    ReleaseRequestQuery query{.state = RequestState::kApproved, .limit = 200};
    for (;;) {
        auto page = repo_.List(query);  // newest first
        if (!page) return std::unexpected(page.error());
        for (const ReleaseRequestRecord& r : *page) {
            if (r.created_at < now - kInterruptedLookbackMs) return reopened;
            if (!r.decided_at || *r.decided_at > now - kInterruptedGraceMs) continue;
            auto left = Unreached(r);
            if (!left) return std::unexpected(left.error());
            if (left->empty()) continue;
            // Only if it is still this approval (another node may have
            // reopened it, and an administrator approved it again since);
            // kConflict when the requester has asked again meanwhile.
            auto back = repo_.Reopen(r.id, *r.decided_at);
            if (!back && back.error().code != ErrorCode::kConflict) {
                return std::unexpected(back.error());
            }
            if (!back || !*back) continue;
            spdlog::warn(
                "release request {}: the approved release of mail {} was interrupted "
                "before it reached {}; pending again",
                r.id, r.mail_id, Joined(*left));
            audit_.Record(Actor{.username = "rqwatch"}, "release_request.reopen", Target(r.id),
                          fmt::format("mail: {}; the approved release was interrupted before "
                                      "it reached: {}",
                                      r.mail_id, Joined(*left)));
            ++reopened;
        }
        if (page->size() < static_cast<std::size_t>(query.limit)) return reopened;
        query.before_id = page->back().id;
    }
}

Result<ReleaseRequestRecord> ReleaseRequests::Refuse(const Actor& admin, std::int64_t id,
                                                     std::string reason) {
    if (auto ok = CheckRequestText(reason, "reason"); !ok) return std::unexpected(ok.error());
    auto r = repo_.Find(id);
    if (!r) return std::unexpected(r.error());
    const std::int64_t now = clock_();
    if (auto done =
            repo_.Decide(id, ReleaseDecision{RequestState::kRefused, admin.username, now, reason});
        !done) {
        return std::unexpected(done.error());
    }
    r->state = RequestState::kRefused;
    r->decided_by = admin.username;
    r->decided_at = now;
    r->reason = std::move(reason);
    audit_.Record(admin, "release_request.refuse", Target(id), fmt::format("mail: {}", r->mail_id));
    TellRequester(*r);
    return r;
}

Result<ReleaseRequestRecord> ReleaseRequests::Cancel(const Actor& who, std::int64_t id) {
    auto r = repo_.Find(id);
    if (!r) return std::unexpected(r.error());
    if (!r->requested_by || *r->requested_by != who.id) {
        return Fail(ErrorCode::kNotFound, "no such release request");
    }
    const std::int64_t now = clock_();
    if (auto done =
            repo_.Decide(id, ReleaseDecision{RequestState::kCancelled, who.username, now, {}});
        !done) {
        return std::unexpected(done.error());
    }
    r->state = RequestState::kCancelled;
    r->decided_by = who.username;
    r->decided_at = now;
    audit_.Record(who, "release_request.cancel", Target(id), fmt::format("mail: {}", r->mail_id));
    return r;
}

Result<std::optional<ReleaseRequestRecord>> ReleaseRequests::PendingOf(
    std::int64_t mail_id, const std::string& requester) {
    return repo_.PendingOf(mail_id, requester);
}

Result<std::int64_t> ReleaseRequests::CountPending() { return repo_.CountPending(); }

void ReleaseRequests::Notify(const std::string& to, std::string data) {
    if (sender_ == nullptr || to.empty()) return;
    auto sent =
        sender_->Send(OutgoingMail{.from = options_.from, .to = to, .data = std::move(data)});
    // The decision stands; the notice is only news of it.
    if (!sent) {
        spdlog::warn("release requests: notice to {} not sent: {} ({})", to,
                     sent.error().public_msg, sent.error().detail);
    }
}

void ReleaseRequests::TellAdmins(const ReleaseRequestRecord& r) {
    if (options_.notify.empty()) return;
    const std::string subject = Line(r.subject);
    std::string text = fmt::format("{} asks for the release of a quarantined message to {}.\n\n",
                                   Line(r.requester), Joined(r.recipients));
    text += "Subject: " + subject + "\nSender:  " + Line(r.mail_from) + "\n";
    if (!r.comment.empty()) text += "\nComment:\n" + r.comment + "\n";
    std::string html = "<!DOCTYPE html><html><body><p>" +
                       HtmlEscape(fmt::format("{} asks for the release of a quarantined message "
                                              "to {}.",
                                              Line(r.requester), Joined(r.recipients))) +
                       "</p>\n<table><tr><th align=\"left\">Subject</th><td>" +
                       HtmlEscape(subject) + "</td></tr><tr><th align=\"left\">Sender</th><td>" +
                       HtmlEscape(Line(r.mail_from)) + "</td></tr></table>\n";
    if (!r.comment.empty()) html += "<p>Comment:</p><pre>" + HtmlEscape(r.comment) + "</pre>\n";
    if (!options_.base_url.empty()) {
        const std::string url = RequestsUrl(options_);
        text += "\nDecide at " + url + "\n";
        html += "<p><a href=\"" + HtmlEscape(url) + "\">Decide</a></p>\n";
    }
    html += "</body></html>\n";
    for (const std::string& to : options_.notify) {
        Notify(to, ComposeAlternative(AlternativeMail{.from = options_.from,
                                                      .to = to,
                                                      .subject = "Release requested: " + subject,
                                                      .fallback_subject = "Release requested",
                                                      .text = text,
                                                      .html = html,
                                                      .id_tag = "request"},
                                      clock_()));
    }
}

void ReleaseRequests::TellRequester(const ReleaseRequestRecord& r) {
    Notify(r.notice_to, ComposeDecisionNotice(options_, r, clock_()));
}

}  // namespace rqwatch::app
