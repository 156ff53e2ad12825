#include "app/digest_actions.hpp"

#include <fmt/format.h>

namespace rqwatch::app {
namespace {

Error LinkError(ErrorCode code, std::string msg, std::string reason) {
    return Error{.code = code, .public_msg = std::move(msg), .reason = std::move(reason)};
}

Actor LinkActor(const ActionClaim& c, const std::string& ip) {
    return Actor{.username = fmt::format("link:{}", c.recipient), .ip = ip};
}

}  // namespace

DigestActions::DigestActions(const ActionSigner& signer, ActionTokenRepo& used,
                             MailViewer& viewer, ReleaseRequests& release,
                             MailDeletion& deletion)
    : signer_(signer), used_(used), viewer_(viewer), release_(release), deletion_(deletion) {}

Result<ActionTarget> DigestActions::Check(std::string_view token, std::int64_t now_s) {
    auto claim = signer_.Verify(token);
    if (!claim) return std::unexpected(claim.error());
    if (claim->expires_s <= now_s) {
        return std::unexpected(LinkError(ErrorCode::kPermissionDenied,
                                    "This link has expired. Log in to see the message.",
                                    "token_expired"));
    }
    auto used = used_.IsUsed(signer_.Digest(token));
    if (!used) return std::unexpected(used.error());
    if (*used) {
        return std::unexpected(
            LinkError(ErrorCode::kConflict, "This link has been used already.", "token_used"));
    }
    // The recipient's own scope: the mail must (still) be theirs and kept.
    auto mail = viewer_.Find(Scope{std::vector<std::string>{claim->recipient}}, claim->mail_id);
    if (!mail) return std::unexpected(mail.error());
    if (!mail->stored || mail->purged) {
        return std::unexpected(LinkError(ErrorCode::kNotFound,
                                    "This message is no longer in the quarantine.", "mail_gone"));
    }
    const bool asks = release_.Mode() == UserRelease::kRequest;
    return ActionTarget{
        .claim = std::move(*claim), .mail = std::move(*mail), .release_is_request = asks};
}

Result<std::string> DigestActions::Act(std::string_view token, std::int64_t now_s,
                                       const std::string& ip) {
    auto target = Check(token, now_s);
    if (!target) return std::unexpected(target.error());
    const ActionClaim& c = target->claim;
    const std::string digest = signer_.Digest(token);
    auto first = used_.MarkUsed(digest, c.mail_id, now_s * 1000);
    if (!first) return std::unexpected(first.error());
    if (!*first) {
        return std::unexpected(
            LinkError(ErrorCode::kConflict, "This link has been used already.", "token_used"));
    }
    const Scope scope{std::vector<std::string>{c.recipient}};
    Result<std::string> done;
    if (c.action == DigestAction::kRelease) {
        auto r = release_.ReleaseOrRequest(
            Requester{LinkActor(c, ip), scope, c.recipient}, /*admin=*/false, c.mail_id,
            ReleaseRequest{.to_original = true});
        if (r && r->requested) {
            done = fmt::format("The release to {} was requested. An administrator will decide; "
                               "you will be told by mail.",
                               c.recipient);
        } else if (r) {
            done = fmt::format("The message was released to {}.", c.recipient);
        } else {
            done = std::unexpected(r.error());
        }
    } else {
        auto r = deletion_.Delete(MailDeleter{LinkActor(c, ip), scope}, c.mail_id);
        if (r) {
            done = std::string("The message was deleted from the quarantine.");
        } else {
            done = std::unexpected(r.error());
        }
    }
    if (!done && done.error().Temporary()) {
        (void)used_.Unmark(digest);  // best effort: the link may be tried again
    }
    return done;
}

}  // namespace rqwatch::app
