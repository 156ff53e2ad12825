#include "app/mail_deletion.hpp"

#include "core/mail_scope.hpp"

namespace rqwatch::app {

MailDeletion::MailDeletion(MailViewer& viewer, RetentionRepo& retention, BlobStore& blobs,
                           AuditLog& audit, RemoteNode* remote, std::string local_node,
                           bool users_may_delete, Clock clock)
    : viewer_(viewer), retention_(retention), blobs_(blobs), remote_(remote),
      local_node_(std::move(local_node)), users_may_delete_(users_may_delete),
      audit_(audit, std::move(clock)) {}

Result<bool> MailDeletion::LocalRemove(std::int64_t id) {
    auto mail = viewer_.Find(std::nullopt, id);
    if (!mail) return std::unexpected(mail.error());
    if (!mail->stored || mail->purged) return false;
    auto removed = blobs_.Remove(mail->quarantine_path);
    if (!removed) return std::unexpected(removed.error());
    return removed->kind != BlobRemoval::Kind::kMissing;
}

Result<DeleteOutcome> MailDeletion::Delete(const MailDeleter& who, std::int64_t id) {
    if (who.scope && !who.domain_admin && !users_may_delete_) {
        return Fail(ErrorCode::kPermissionDenied, "only administrators may delete mail");
    }
    auto mail = viewer_.Find(who.scope, id);
    if (!mail) return std::unexpected(mail.error());
    if (who.scope && !AllInScope(mail->rcpt_to, *who.scope)) {
        return Fail(ErrorCode::kPermissionDenied,
                    "this mail was also addressed to others; ask an administrator to delete it");
    }
    if (!mail->stored || mail->purged) return DeleteOutcome{id, false};
    auto removed = blobs_.Remove(mail->quarantine_path);
    if (!removed) return std::unexpected(removed.error());
    if (removed->kind == BlobRemoval::Kind::kMissing && mail->server != local_node_) {
        // Marking it purged here alone would leave the file on the other node.
        if (remote_ == nullptr) {
            return Fail(ErrorCode::kUnavailable,
                        "this mail is kept on node \"" + mail->server + "\", not on this one");
        }
        if (auto there = remote_->DeleteRaw(mail->server, id); !there) {
            return std::unexpected(there.error());
        }
    }
    // The file first: a failure from here on leaves a row that a retry
    // finishes, never a "deleted" mail whose file is still there.
    auto marked = retention_.MarkPurged({id});
    if (!marked) return std::unexpected(marked.error());
    audit_.Record(who.actor, "mail.delete", "mail:" + std::to_string(id),
                  "subject: " + mail->subject + "; from: " + mail->mail_from);
    return DeleteOutcome{id, true};
}

}  // namespace rqwatch::app
