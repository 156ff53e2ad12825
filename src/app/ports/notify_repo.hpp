#pragma once
// Port: what `rqwatch notify` reads and records (migration 0018, SQL in
// storage/sql_notify_repo): the quarantined mails not notified yet to each
// of their recipients, and which mail was notified to which address.

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::app {

// What decides whether a mail is notified (reference §I).
struct NotifyQuery {
    std::int64_t received_since = 0;  // unix ms; 0 = any age
    double max_score = 50;            // mails scoring above are not notified
    std::size_t limit = 10000;        // most (mail, recipient) pairs in one run
};

// One quarantined mail, as one of its recipients sees it in a digest.
struct NotifyItem {
    std::int64_t mail_id = 0;
    std::string recipient;  // normalised (mail_recipients.recipient)
    std::int64_t received_at = 0;
    std::string mail_from;
    std::string mime_from;
    std::string subject;
    double score = 0;
    std::string action;
    bool has_virus = false;
    std::string virus;
};

class NotifyRepo {
  public:
    virtual ~NotifyRepo() = default;
    // (mail, recipient) pairs of mails that are kept (stored, not purged),
    // with a real recipient (not "" nor "unknown"), not notified to it yet,
    // received since `received_since`, scoring at most `max_score`, not hit
    // by a blacklist map (RQWATCH_*_BL / _BLACKLIST) and whose recipient's
    // user (by address or alias) has not turned notifications off. Ordered by
    // recipient, then mail id.
    [[nodiscard]] virtual Result<std::vector<NotifyItem>> Pending(const NotifyQuery& query) = 0;
    // Records that these mails were notified to `recipient` at `at` (unix
    // ms) and marks the mails notified; pairs recorded before stay as they are.
    [[nodiscard]] virtual Result<void> MarkNotified(const std::string& recipient,
                                                    const std::vector<std::int64_t>& mail_ids,
                                                    std::int64_t at) = 0;
};

}  // namespace rqwatch::app
