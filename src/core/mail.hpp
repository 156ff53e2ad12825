#pragma once
// Domain types of one scanned message as rqwatch stores it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rqwatch {

// One Rspamd symbol as exported by metadata_exporter.
struct Symbol {
    std::string name;
    double score = 0;
    std::string group;  // may be empty
    std::vector<std::string> groups;
    std::vector<std::string> options;
};

// An attachment (or any non-body leaf part with a file name) found in the mail.
struct Attachment {
    std::string filename;      // decoded (RFC 2047/2231), UTF-8; may be empty
    std::string content_type;  // lower-case "type/subtype"
    std::uint64_t size = 0;    // decoded size in bytes
};

// An address parsed from a MIME header: display name (UTF-8) and addr-spec.
struct MailAddress {
    std::string name;
    std::string address;
};

// What the importer writes to SQL for one message (mails row + recipient and
// symbol rows). Times are UTC unix milliseconds.
struct MailRecord {
    std::int64_t id = 0;           // SQL row id, assigned by the repository
    std::string spool_id;          // unique; makes spool replays idempotent
    std::int64_t received_at = 0;  // when the ingest endpoint acknowledged it
    std::string server;            // ?server= of the ingest request (node name)

    // Rspamd verdict and envelope.
    std::string qid;     // empty when Rspamd said "unknown"
    std::string action;  // "reject", "no action", ...
    double score = 0;
    std::string ip;                    // empty when unknown
    std::string mail_from;             // SMTP MAIL FROM, case kept; empty for <>
    std::vector<std::string> rcpt_to;  // SMTP RCPT TO, as sent (order, case)
    std::string auth_user;
    std::string rspamd_server;
    std::int64_t scan_time_ms = -1;
    std::vector<Symbol> symbols;
    std::string fuzzy_json = "[]";

    // From the message itself (GMime), or from metadata when no raw message.
    std::string subject;
    std::string mime_from;  // "Name <addr>" as displayed; addr in mime_from_addr
    std::string mime_from_addr;
    std::vector<MailAddress> mime_to;
    std::vector<MailAddress> mime_cc;
    std::string message_id;                 // without <>
    std::optional<std::int64_t> mail_date;  // Date: header, unix seconds
    std::uint64_t size = 0;                 // raw message size in bytes
    std::string headers;                    // raw header block, UTF-8 (invalid bytes replaced)
    std::vector<Attachment> attachments;

    // Policy outcome.
    bool has_virus = false;
    std::string virus;            // first option of the antivirus symbol, or its name
    std::string country;          // ISO code of `ip` from GeoIP at import; "" unknown
    bool stored = false;          // raw mail kept in the quarantine
    std::string quarantine_path;  // relative to the quarantine dir: yyyy-mm-dd/<spool_id>.eml
    bool purged = false;          // the quarantined file has been deleted since

    bool notified = false;
    std::optional<std::int64_t> notify_date;
    bool released = false;
    std::optional<std::int64_t> release_date;
};

// Recipients are normalised for per-user access checks: lower-case, trimmed.
[[nodiscard]] std::string NormalizeAddress(std::string_view address);
// The domain of an address for reports: lower-case text after the last '@'
// (reference §D6), without a trailing '>'; "" when there is no '@'.
[[nodiscard]] std::string DomainOf(std::string_view address);

}  // namespace rqwatch
