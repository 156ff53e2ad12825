#pragma once
// Use case: `rqwatch notify` (cron). Tells each recipient of newly
// quarantined mail what was held for it: one digest per recipient (or one
// mail per message in per-message mode), HTML and text, each through its own
// SMTP transaction so that no recipient sees another. What was notified to
// whom is recorded (NotifyRepo, migration 0018): a second run sends nothing.
// Which mails count is reference §I (opt-out, score cut-off, age limit, no
// blacklisted mail); NotifyRepo::Pending applies it. Whether a recipient is
// due is its user's schedule (frequency, hour, time zone; else the config's
// defaults; core/notify_schedule.hpp): the mail of one who is not due stays
// pending for a later run. Digests show times in the recipient's zone.
//
// Subjects and senders are the mail's, i.e. the attacker's: every one is
// escaped in the HTML part and stripped of control characters in the text
// part, and the digest's own headers carry none of them.
// Blocking (SQL, SMTP).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/ports/mail_sender.hpp"
#include "app/ports/notify_repo.hpp"
#include "core/notify_schedule.hpp"
#include "core/time_zone.hpp"

namespace rqwatch::app {

struct NotifyOptions {
    std::string from;          // envelope sender and From: of the digests
    std::string base_url;      // the web UI; a mail's page is base_url + "/mails/ID"
    double max_score = 50;     // mails scoring above are not notified
    std::int64_t max_age_days = 30;  // 0: any age
    bool per_message = false;  // one mail per quarantined message instead of a digest
    std::size_t limit = 10000;  // most (mail, recipient) pairs sent in one run (and per page read)
    // For recipients whose user left them unset, or who have no account.
    NotifySchedule default_schedule;
    std::string default_time_zone = "UTC";  // an IANA name (checked at start)
};

// A one-click action offered in a digest line ("Release", URL).
struct DigestLink {
    std::string label;
    std::string url;
};
// Makes the action links of one digest line (e.g. signed release/delete
// tokens); none when not set.
using DigestLinker = std::function<std::vector<DigestLink>(const NotifyItem&)>;

struct NotifyOutcome {
    std::size_t mails_sent = 0;      // digests (or per-message mails) delivered
    std::size_t items_notified = 0;  // (mail, recipient) pairs recorded
    std::size_t failed = 0;          // recipients whose mail the relay did not take
    std::size_t not_due = 0;         // recipients with pending mail left for a later run
    std::vector<std::string> errors;  // one line per failure
};

class Notifier {
  public:
    Notifier(NotifyRepo& repo, MailSender& sender, NotifyOptions options,
             DigestLinker linker = {});

    // A recipient whose digest fails stays pending (the next run tries it
    // again) and the others are still sent; kUnavailable only when the
    // database cannot be read or written.
    [[nodiscard]] Result<NotifyOutcome> Run(std::int64_t now_ms);

  private:
    // The digest(s) of one recipient when due; false when not due.
    Result<bool> Notify(const std::string& recipient, const std::vector<NotifyItem>& items,
                        std::int64_t now_ms, NotifyOutcome& outcome);
    Result<void> SendOne(const std::string& recipient, const std::vector<NotifyItem>& items,
                         const TimeZone& zone, std::int64_t now_ms, NotifyOutcome& outcome);
    // The schedule and zone of `recipient`: its user's, else the defaults.
    struct RecipientPlan {
        NotifySchedule schedule;
        TimeZone zone;
        std::optional<std::int64_t> last_sent_at;
    };
    Result<RecipientPlan> PlanFor(const std::string& recipient);

    NotifyRepo& repo_;
    MailSender& sender_;
    NotifyOptions options_;
    DigestLinker linker_;
};

// The digest mail to `to` listing `items` (exposed for tests). `links[i]` are
// the action links of items[i] (may be shorter than items). Received times
// are shown in `zone`, with its abbreviation or offset.
[[nodiscard]] std::string ComposeDigest(const NotifyOptions& options, const std::string& to,
                                        const std::vector<NotifyItem>& items,
                                        const std::vector<std::vector<DigestLink>>& links,
                                        const TimeZone& zone, std::int64_t now_ms);

// `text` with & < > " ' as HTML character references.
[[nodiscard]] std::string HtmlEscape(std::string_view text);

}  // namespace rqwatch::app
