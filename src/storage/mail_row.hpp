#pragma once
// One mails row in the types SOCI exchanges, and its conversion from and to
// MailRecord. Shared by the insert (sql_mail_repo.cpp) and the reads
// (listing, search). Statements bind to MailRow members by reference, so one
// MailRow is filled per record and a prepared statement re-executed.

#include <soci/soci.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/mail.hpp"

namespace rqwatch::storage {

struct MailRow {
    std::int64_t id = 0;
    std::string spool_id;
    std::int64_t received_at = 0;
    std::string server;
    std::string qid;
    std::string action;
    double score = 0;
    std::string ip;
    std::string mail_from;
    std::string rcpt_to;
    std::string auth_user;
    std::string rspamd_server;
    std::int64_t scan_time_ms = -1;
    std::string symbols_json;
    std::string fuzzy_json;
    std::string subject;
    std::string mime_from;
    std::string mime_from_addr;
    std::string mime_to_json;
    std::string mime_to;  // addresses only, lower-case, ", "-joined (search)
    // Report keys (migration 0003).
    std::int64_t received_day = 0;  // UTC days since 1970-01-01
    std::string mail_from_domain;
    std::string mime_from_domain;
    std::string mime_to_domain;  // of the first To address
    std::string mail_from_norm;  // NormalizeAddress(mail_from), for search (migration 0004)
    std::string country;         // migration 0002
    std::string mime_cc_json;
    std::string message_id;
    std::int64_t mail_date = 0;
    soci::indicator mail_date_ind = soci::i_null;
    std::int64_t size = 0;
    std::string headers;
    std::string attachments_json;
    int has_virus = 0;
    std::string virus;
    int stored = 0;
    std::string quarantine_path;
    int purged = 0;  // the quarantined file was deleted (retention or by hand)
    int notified = 0;
    std::int64_t notify_date = 0;
    soci::indicator notify_date_ind = soci::i_null;
    int released = 0;
    std::int64_t release_date = 0;
    soci::indicator release_date_ind = soci::i_null;
};

// SQLite stores NaN as NULL, which a NOT NULL score column rejects: one odd
// score must not fail the whole batch (it would be retried forever).
[[nodiscard]] double FiniteOrZero(double value);

// Fills every column of `row` from `record`, cut to the column sizes.
void FillRow(const MailRecord& record, MailRow& row);
[[nodiscard]] Result<MailRecord> ToRecord(const MailRow& row);

// Binds every column but id, in the order of kMailColumns, by position (the
// statement's placeholders must be in that order): SOCI looks a named
// binding up among all of a statement's parameters, which is quadratic in a
// multi-row INSERT of thousands of values.
void BindUse(soci::statement& st, MailRow& row);
// Binds id + every column positionally, in the order of kMailSelectColumns.
void BindInto(soci::statement& st, MailRow& row);

}  // namespace rqwatch::storage
