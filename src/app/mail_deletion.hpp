#pragma once
// Use case: delete mails from the quarantine, one or a selection.
//
// Deleting removes the quarantined file and marks the row purged, as
// retention does: the traffic record stays (reports and searches still
// count it) and shows that the mail was deleted. Administrators delete any
// mail; a domain admin, and users where `users_may_delete` allows it, only
// mail all of whose recipients are theirs, so nobody deletes mail that was
// also someone else's. Every deletion is audited.
// Blocking (SQL, files): run on a worker thread.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/mail_viewer.hpp"
#include "app/ports/audit_log.hpp"
#include "app/ports/blob_store.hpp"
#include "app/ports/remote_node.hpp"
#include "app/ports/retention_repo.hpp"

namespace rqwatch::app {

// Most mails in one bulk request.
inline constexpr std::size_t kMaxBulkMails = 1000;

// Who asks, as far as deleting goes.
struct MailDeleter {
    Actor actor;
    Scope scope;                 // nullopt: an administrator
    bool domain_admin = false;   // may delete within the scope whatever the setting
};

struct DeleteOutcome {
    std::int64_t id = 0;
    bool deleted = false;  // false: the mail had no quarantined file (any more)
};

class MailDeletion {
  public:
    using Clock = AuditTrail::Clock;
    // `remote` may be null (no other nodes).
    MailDeletion(MailViewer& viewer, RetentionRepo& retention, BlobStore& blobs, AuditLog& audit,
                 RemoteNode* remote, std::string local_node, bool users_may_delete,
                 Clock clock = {});

    // kPermissionDenied when the caller may not delete this mail (or any);
    // kNotFound for a mail outside the scope; kUnavailable when the mail is
    // kept on another node that cannot be asked, or the database is down.
    // A mail of another node is deleted there (RemoteNode), then marked here.
    [[nodiscard]] Result<DeleteOutcome> Delete(const MailDeleter& who, std::int64_t id);
    // Deletes this node's file of a mail, nothing else, for another node
    // that records the deletion (node API); false when there was none.
    [[nodiscard]] Result<bool> LocalRemove(std::int64_t id);

  private:
    MailViewer& viewer_;
    RetentionRepo& retention_;
    BlobStore& blobs_;
    RemoteNode* remote_;
    std::string local_node_;
    bool users_may_delete_;
    AuditTrail audit_;
};

}  // namespace rqwatch::app
