#include "storage/mail_row.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "storage/column_limits.hpp"
#include "storage/mail_json.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kRcptSeparator = ", ";

void SetOptional(const std::optional<std::int64_t>& in, std::int64_t& value, soci::indicator& ind) {
    value = in.value_or(0);
    ind = in ? soci::i_ok : soci::i_null;
}

std::optional<std::int64_t> GetOptional(std::int64_t value, soci::indicator ind) {
    if (ind == soci::i_null) return std::nullopt;
    return value;
}

std::string JoinRecipients(const std::vector<std::string>& rcpt) {
    std::string out;
    for (const std::string& r : rcpt) {
        if (!out.empty()) out += kRcptSeparator;
        out += r;
    }
    return out;
}

// Inverse of JoinRecipients; exact unless an address itself contains ", "
// (only possible in a quoted local part, which MTAs practically never see).
std::vector<std::string> SplitRecipients(std::string_view joined) {
    std::vector<std::string> out;
    if (joined.empty()) return out;
    std::size_t start = 0;
    for (;;) {
        const auto pos = joined.find(kRcptSeparator, start);
        out.emplace_back(joined.substr(start, pos - start));
        if (pos == std::string_view::npos) break;
        start = pos + kRcptSeparator.size();
    }
    return out;
}

void CutToLimits(MailRow& row) {
    using namespace limits;
    CutToLimit(row.server, kShort);
    CutToLimit(row.qid, kShort);
    CutToLimit(row.action, kAction);
    CutToLimit(row.ip, kIp);
    CutToLimit(row.mail_from, kAddress);
    CutToLimit(row.rcpt_to, kLarge);
    CutToLimit(row.auth_user, kShort);
    CutToLimit(row.rspamd_server, kShort);
    CutToLimit(row.subject, kText);
    CutToLimit(row.mime_from, kText);
    CutToLimit(row.mime_from_addr, kAddress);
    CutToLimit(row.mime_to, kLarge);
    CutToLimit(row.mail_from_domain, kShort);
    CutToLimit(row.mail_from_norm, kAddress);
    CutToLimit(row.mime_from_domain, kShort);
    CutToLimit(row.mime_to_domain, kShort);
    CutToLimit(row.message_id, kAddress);
    CutToLimit(row.headers, kLarge);
    CutToLimit(row.virus, kShort);
    CutToLimit(row.quarantine_path, kAddress);
    // JSON columns are not cut (a cut would break the JSON): they are written
    // by rqwatch from bounded input (header and symbol limits of the ingest).
}

}  // namespace

double FiniteOrZero(double value) { return std::isfinite(value) ? value : 0.0; }

void FillRow(const MailRecord& r, MailRow& row) {
    row.spool_id = r.spool_id;
    row.received_at = r.received_at;
    row.server = r.server;
    row.qid = r.qid;
    row.action = r.action;
    row.score = FiniteOrZero(r.score);
    row.ip = r.ip;
    row.mail_from = r.mail_from;
    row.rcpt_to = JoinRecipients(r.rcpt_to);
    row.auth_user = r.auth_user;
    row.rspamd_server = r.rspamd_server;
    row.scan_time_ms = r.scan_time_ms;
    row.symbols_json = SymbolsJsonText(r.symbols);
    row.fuzzy_json = r.fuzzy_json.empty() ? "[]" : r.fuzzy_json;
    row.subject = r.subject;
    row.mime_from = r.mime_from;
    row.mime_from_addr = r.mime_from_addr;
    row.mime_to_json = AddressesToJson(r.mime_to);
    row.received_day =
        r.received_at >= 0 ? r.received_at / 86'400'000 : (r.received_at - 86'399'999) / 86'400'000;
    row.mail_from_domain = DomainOf(r.mail_from);
    row.mail_from_norm = NormalizeAddress(r.mail_from);
    // Two letters or nothing (MariaDB's column is VARCHAR(2)).
    row.country = r.country.size() == 2 ? r.country : std::string();
    row.mime_from_domain = DomainOf(r.mime_from_addr);
    row.mime_to_domain = r.mime_to.empty() ? std::string() : DomainOf(r.mime_to.front().address);
    row.mime_to.clear();
    for (const MailAddress& a : r.mime_to) {
        if (a.address.empty()) continue;
        if (!row.mime_to.empty()) row.mime_to += kRcptSeparator;
        row.mime_to += NormalizeAddress(a.address);
    }
    row.mime_cc_json = AddressesToJson(r.mime_cc);
    row.message_id = r.message_id;
    SetOptional(r.mail_date, row.mail_date, row.mail_date_ind);
    // SQL integers are signed; no message comes near 2^63 bytes.
    row.size = static_cast<std::int64_t>(
        std::min<std::uint64_t>(r.size, std::numeric_limits<std::int64_t>::max()));
    row.headers = r.headers;
    row.attachments_json = AttachmentsToJson(r.attachments);
    row.has_virus = r.has_virus ? 1 : 0;
    row.virus = r.virus;
    row.stored = r.stored ? 1 : 0;
    row.quarantine_path = r.quarantine_path;
    row.purged = r.purged ? 1 : 0;
    CutToLimits(row);
    row.notified = r.notified ? 1 : 0;
    SetOptional(r.notify_date, row.notify_date, row.notify_date_ind);
    row.released = r.released ? 1 : 0;
    SetOptional(r.release_date, row.release_date, row.release_date_ind);
}

Result<MailRecord> ToRecord(const MailRow& row) {
    MailRecord r;
    r.id = row.id;
    r.spool_id = row.spool_id;
    r.received_at = row.received_at;
    r.server = row.server;
    r.qid = row.qid;
    r.action = row.action;
    r.score = row.score;
    r.ip = row.ip;
    r.mail_from = row.mail_from;
    r.rcpt_to = SplitRecipients(row.rcpt_to);
    r.auth_user = row.auth_user;
    r.rspamd_server = row.rspamd_server;
    r.scan_time_ms = row.scan_time_ms;
    auto symbols = SymbolsFromJson(row.symbols_json);
    if (!symbols) return std::unexpected(symbols.error());
    r.symbols = std::move(*symbols);
    r.fuzzy_json = row.fuzzy_json;
    r.subject = row.subject;
    r.mime_from = row.mime_from;
    r.mime_from_addr = row.mime_from_addr;
    auto mime_to = AddressesFromJson(row.mime_to_json);
    if (!mime_to) return std::unexpected(mime_to.error());
    r.mime_to = std::move(*mime_to);
    auto mime_cc = AddressesFromJson(row.mime_cc_json);
    if (!mime_cc) return std::unexpected(mime_cc.error());
    r.mime_cc = std::move(*mime_cc);
    r.message_id = row.message_id;
    r.mail_date = GetOptional(row.mail_date, row.mail_date_ind);
    r.size = row.size < 0 ? 0 : static_cast<std::uint64_t>(row.size);
    r.headers = row.headers;
    auto attachments = AttachmentsFromJson(row.attachments_json);
    if (!attachments) return std::unexpected(attachments.error());
    r.attachments = std::move(*attachments);
    r.has_virus = row.has_virus != 0;
    r.virus = row.virus;
    r.country = row.country;
    r.stored = row.stored != 0;
    r.quarantine_path = row.quarantine_path;
    r.purged = row.purged != 0;
    r.notified = row.notified != 0;
    r.notify_date = GetOptional(row.notify_date, row.notify_date_ind);
    r.released = row.released != 0;
    r.release_date = GetOptional(row.release_date, row.release_date_ind);
    return r;
}

namespace {

// Every column but id, in the order of kMailColumns: the one list both
// binding directions use.
template <class Visit>
void VisitColumns(MailRow& row, Visit&& visit) {
    visit(row.spool_id);
    visit(row.received_at);
    visit(row.server);
    visit(row.qid);
    visit(row.action);
    visit(row.score);
    visit(row.ip);
    visit(row.mail_from);
    visit(row.rcpt_to);
    visit(row.auth_user);
    visit(row.rspamd_server);
    visit(row.scan_time_ms);
    visit(row.symbols_json);
    visit(row.fuzzy_json);
    visit(row.subject);
    visit(row.mime_from);
    visit(row.mime_from_addr);
    visit(row.mime_to_json);
    visit(row.mime_to);
    visit(row.mime_cc_json);
    visit(row.message_id);
    visit(row.mail_date, row.mail_date_ind);
    visit(row.size);
    visit(row.headers);
    visit(row.attachments_json);
    visit(row.has_virus);
    visit(row.virus);
    visit(row.stored);
    visit(row.quarantine_path);
    visit(row.purged);
    visit(row.notified);
    visit(row.notify_date, row.notify_date_ind);
    visit(row.released);
    visit(row.release_date, row.release_date_ind);
    visit(row.received_day);
    visit(row.mail_from_domain);
    visit(row.mime_from_domain);
    visit(row.mime_to_domain);
    visit(row.mail_from_norm);
    visit(row.country);
}

}  // namespace

void BindUse(soci::statement& st, MailRow& row) {
    VisitColumns(row, [&st](auto& value, auto&... indicator) {
        st.exchange(soci::use(value, indicator...));
    });
}

void BindInto(soci::statement& st, MailRow& row) {
    st.exchange(soci::into(row.id));
    VisitColumns(row, [&st](auto& value, auto&... indicator) {
        st.exchange(soci::into(value, indicator...));
    });
}

}  // namespace rqwatch::storage
