#pragma once
// Port: what `rqwatch notify` reads and records (migrations 0018 and 0019,
// SQL in storage/sql_notify_repo): the quarantined mails not notified yet to
// each of their recipients, which mail was notified to which address, and
// when each address last had a digest and on which schedule it wants them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/notify_schedule.hpp"

namespace rqwatch::app {

// What decides whether a mail is notified (reference §I).
struct NotifyQuery {
    std::int64_t received_since = 0;  // unix ms; 0 = any age
    double max_score = 50;            // mails scoring above are not notified
    std::size_t limit = 10000;        // most (mail, recipient) pairs in one answer
    std::string after_recipient;      // keyset: only recipients sorting after this
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

// A recipient address's schedule: when it last had a digest and the
// settings of the user it belongs to (by address, else by alias), each
// unset when that user left it to the config's defaults or there is no such
// user.
struct NotifyRecipient {
    std::optional<std::int64_t> last_sent_at;  // unix ms; nullopt: never
    std::optional<NotifyFrequency> frequency;
    std::optional<int> hour;
    std::string time_zone;  // "" = default
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
    // The schedule of one address (normalised, as NotifyItem::recipient).
    [[nodiscard]] virtual Result<NotifyRecipient> Recipient(const std::string& address) = 0;
    // Records that these mails were notified to `recipient` at `at` (unix
    // ms), marks the mails notified and makes `at` the recipient's last
    // digest; pairs recorded before stay as they are.
    [[nodiscard]] virtual Result<void> MarkNotified(const std::string& recipient,
                                                    const std::vector<std::int64_t>& mail_ids,
                                                    std::int64_t at) = 0;
};

}  // namespace rqwatch::app
